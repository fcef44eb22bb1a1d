// Queries on personal contact lists and their members, for any Kysely dialect; adapter layer. A list's
// members are users of its owner's organization.
import { randomUUID } from 'node:crypto'
import { NarvaroError } from '../../../core/errors.js'
import type { ContactList } from '../../../ports/directory-store.js'
import type { NarvaroDb } from './database-schema.js'
import { inBatches } from './in-batches.js'
import { toMillis } from './row-mappers.js'

const membersPerStatement = 500

interface ContactListRow {
  readonly id: string
  readonly owner_id: string
  readonly name: string
  readonly created_at: number | string
}

const toContactList = (row: ContactListRow): ContactList => ({
  id: row.id,
  ownerId: row.owner_id,
  name: row.name,
  createdAt: toMillis(row.created_at),
})

export const insertContactList = async (
  db: NarvaroDb,
  input: Omit<ContactList, 'id'>,
): Promise<ContactList> => {
  const row = {
    id: randomUUID(),
    owner_id: input.ownerId,
    name: input.name,
    created_at: input.createdAt,
  }
  await db.insertInto('contact_lists').values(row).execute()
  return toContactList(row)
}

export const selectContactLists = async (
  db: NarvaroDb,
  ownerId: string,
): Promise<readonly ContactList[]> => {
  const rows = await db
    .selectFrom('contact_lists')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .orderBy('name')
    .execute()
  return rows.map(toContactList)
}

export const selectContactList = async (
  db: NarvaroDb,
  ownerId: string,
  name: string,
): Promise<ContactList | undefined> => {
  const row = await db
    .selectFrom('contact_lists')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('name', '=', name)
    .executeTakeFirst()
  return row && toContactList(row)
}

/** Removes the list and its memberships (explicitly, not relying on enabled cascades). */
export const deleteContactList = (db: NarvaroDb, listId: string): Promise<boolean> =>
  db.transaction().execute(async (trx) => {
    await trx.deleteFrom('contact_list_members').where('list_id', '=', listId).execute()
    const { numDeletedRows } = await trx
      .deleteFrom('contact_lists')
      .where('id', '=', listId)
      .executeTakeFirst()
    return numDeletedRows > 0n
  })

const notFound = (message: string, listId: string): NarvaroError =>
  new NarvaroError('NRV_NOT_FOUND', `contact list members: ${message}`, { details: { listId } })

/** The owner's organization, or NRV_NOT_FOUND for a missing list. */
const organizationOfList = async (db: NarvaroDb, listId: string): Promise<string> => {
  const row = await db
    .selectFrom('contact_lists as l')
    .innerJoin('users as o', 'o.id', 'l.owner_id')
    .select('o.organization_id')
    .where('l.id', '=', listId)
    .executeTakeFirst()
  if (!row) throw notFound('no such list', listId)
  return row.organization_id
}

/** Inserts members not yet in the list; rejects users missing or of another organization. */
const insertMembers = async (
  db: NarvaroDb,
  listId: string,
  userIds: readonly string[],
): Promise<void> => {
  const organizationId = await organizationOfList(db, listId)
  for (const batch of inBatches([...new Set(userIds)], membersPerStatement)) {
    const { count } = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('id', 'in', batch)
      .where('organization_id', '=', organizationId)
      .executeTakeFirstOrThrow()
    if (Number(count) !== batch.length)
      throw notFound('a user is not in the owner organization', listId)
    const rows = batch.map((userId) => ({ list_id: listId, user_id: userId }))
    await db
      .insertInto('contact_list_members')
      .values(rows)
      .onConflict((oc) => oc.columns(['list_id', 'user_id']).doNothing())
      .execute()
  }
}

export const replaceContactListMembers = (
  db: NarvaroDb,
  listId: string,
  userIds: readonly string[],
): Promise<void> =>
  db.transaction().execute(async (trx) => {
    await organizationOfList(trx, listId)
    await trx.deleteFrom('contact_list_members').where('list_id', '=', listId).execute()
    await insertMembers(trx, listId, userIds)
  })

export const addContactListMembers = (
  db: NarvaroDb,
  listId: string,
  userIds: readonly string[],
): Promise<void> => db.transaction().execute((trx) => insertMembers(trx, listId, userIds))

export const removeContactListMembers = async (
  db: NarvaroDb,
  listId: string,
  userIds: readonly string[],
): Promise<void> => {
  await organizationOfList(db, listId)
  for (const batch of inBatches(userIds, membersPerStatement)) {
    await db
      .deleteFrom('contact_list_members')
      .where('list_id', '=', listId)
      .where('user_id', 'in', batch)
      .execute()
  }
}

export const selectContactListMembers = async (
  db: NarvaroDb,
  listId: string,
): Promise<readonly string[]> => {
  const rows = await db
    .selectFrom('contact_list_members')
    .select('user_id')
    .where('list_id', '=', listId)
    .orderBy('user_id')
    .execute()
  return rows.map((row) => row.user_id)
}
