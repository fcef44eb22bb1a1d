// Queries on groups and their members, for any Kysely dialect; adapter layer. A group's members are
// users of the group's own organization, replaced as a whole.
import { randomUUID } from 'node:crypto'
import { NarvaroError } from '../../../core/errors.js'
import type { Group } from '../../../ports/policy-store.js'
import type { NarvaroDb } from './database-schema.js'
import { inBatches } from './in-batches.js'
import { toGroup } from './row-mappers.js'

const membersPerInsert = 1_000

export const insertGroup = async (db: NarvaroDb, input: Omit<Group, 'id'>): Promise<Group> => {
  const row = {
    id: randomUUID(),
    organization_id: input.organizationId,
    name: input.name,
    created_at: input.createdAt,
  }
  await db.insertInto('groups').values(row).execute()
  return toGroup(row)
}

/** Removes the group and its memberships (explicitly, not relying on enabled cascades). */
export const deleteGroup = (db: NarvaroDb, groupId: string): Promise<boolean> =>
  db.transaction().execute(async (trx) => {
    await trx.deleteFrom('group_members').where('group_id', '=', groupId).execute()
    const { numDeletedRows } = await trx
      .deleteFrom('groups')
      .where('id', '=', groupId)
      .executeTakeFirst()
    return numDeletedRows > 0n
  })

export const selectGroups = async (
  db: NarvaroDb,
  organizationId: string,
): Promise<readonly Group[]> => {
  const rows = await db
    .selectFrom('groups')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('name')
    .execute()
  return rows.map(toGroup)
}

const notFound = (message: string, details: Record<string, unknown>): NarvaroError =>
  new NarvaroError('NRV_NOT_FOUND', `setGroupMembers: ${message}`, { details })

/** Counts the group's members that are users of `organizationId`. */
const countOwnMembers = async (
  db: NarvaroDb,
  groupId: string,
  organizationId: string,
): Promise<number> => {
  const { count } = await db
    .selectFrom('group_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('m.group_id', '=', groupId)
    .where('u.organization_id', '=', organizationId)
    .executeTakeFirstOrThrow()
  return Number(count)
}

/**
 * Replaces the members in one transaction; a repeated id counts once. A missing group, or a user
 * who is missing or of another organization, rejects with NRV_NOT_FOUND and changes nothing.
 */
export const replaceGroupMembers = (
  db: NarvaroDb,
  groupId: string,
  userIds: readonly string[],
): Promise<void> =>
  db.transaction().execute(async (trx) => {
    const group = await trx
      .selectFrom('groups')
      .select('organization_id')
      .where('id', '=', groupId)
      .executeTakeFirst()
    if (!group) throw notFound('no such group', { groupId })
    await trx.deleteFrom('group_members').where('group_id', '=', groupId).execute()
    const members = [...new Set(userIds)]
    for (const batch of inBatches(members, membersPerInsert)) {
      const rows = batch.map((userId) => ({ group_id: groupId, user_id: userId }))
      await trx.insertInto('group_members').values(rows).execute()
    }
    if ((await countOwnMembers(trx, groupId, group.organization_id)) !== members.length) {
      throw notFound('a user is not in the group organization', { groupId })
    }
  })

export const selectGroupMembers = async (
  db: NarvaroDb,
  groupId: string,
): Promise<readonly string[]> => {
  const rows = await db
    .selectFrom('group_members')
    .select('user_id')
    .where('group_id', '=', groupId)
    .orderBy('user_id')
    .execute()
  return rows.map((row) => row.user_id)
}

export const selectGroupsOf = async (db: NarvaroDb, userId: string): Promise<readonly string[]> => {
  const rows = await db
    .selectFrom('group_members')
    .select('group_id')
    .where('user_id', '=', userId)
    .orderBy('group_id')
    .execute()
  return rows.map((row) => row.group_id)
}
