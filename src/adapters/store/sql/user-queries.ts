// Queries on users, for any Kysely dialect; adapter layer. Deleting a user removes what is theirs
// explicitly, in one transaction, rather than relying on the dialect's cascades being enabled.
import { randomUUID } from 'node:crypto'
import type { Updateable } from 'kysely'
import type { NewUser, User, UserPatch } from '../../../ports/store.js'
import type { NarvaroDb, UserTable } from './database-schema.js'
import { searchNameOf } from './migrations/0003-directory.js'
import { toUser } from './row-mappers.js'
import { updateFromValues } from './update-from-values.js'

export const insertUser = async (db: NarvaroDb, input: NewUser): Promise<User> => {
  const row = {
    id: randomUUID(),
    organization_id: input.organizationId,
    address: input.address,
    display_name: input.displayName,
    search_name: searchNameOf(input.displayName),
    role: input.role,
    time_zone: input.timeZone,
    working_hours: null,
    password_hash: input.passwordHash,
    scram: input.scram ? JSON.stringify(input.scram) : null,
    password_must_change: input.mustChangePassword ? 1 : 0,
    one_time_used_at: null,
    created_at: input.createdAt,
    last_seen: null,
  }
  await db.insertInto('users').values(row).execute()
  return toUser({ ...row, title: null, sip_digest: null })
}

/** Looks a user up by id or by exact (already normalized) address. */
export const selectUser = async (
  db: NarvaroDb,
  by: { readonly id: string } | { readonly address: string },
): Promise<User | undefined> => {
  const query = db.selectFrom('users').selectAll()
  const row = await (
    'id' in by ? query.where('id', '=', by.id) : query.where('address', '=', by.address)
  ).executeTakeFirst()
  return row && toUser(row)
}

export const selectUsers = async (
  db: NarvaroDb,
  organizationId: string,
): Promise<readonly User[]> => {
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('address')
    .execute()
  return rows.map(toUser)
}

export const countUsers = async (db: NarvaroDb): Promise<number> => {
  const { count } = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('count'))
    .executeTakeFirstOrThrow()
  return Number(count)
}

/** Only the keys present (and not `undefined`) in the patch change. */
const toUserUpdate = (patch: UserPatch): Updateable<UserTable> => ({
  ...(patch.displayName === undefined
    ? {}
    : { display_name: patch.displayName, search_name: searchNameOf(patch.displayName) }),
  ...(patch.role === undefined ? {} : { role: patch.role }),
  ...(patch.timeZone === undefined ? {} : { time_zone: patch.timeZone }),
  ...(patch.workingHours === undefined
    ? {}
    : { working_hours: JSON.stringify(patch.workingHours) }),
  ...(patch.passwordHash === undefined ? {} : { password_hash: patch.passwordHash }),
  ...(patch.scram === undefined
    ? {}
    : { scram: patch.scram === null ? null : JSON.stringify(patch.scram) }),
  ...(patch.sipDigest === undefined
    ? {}
    : { sip_digest: patch.sipDigest === null ? null : JSON.stringify(patch.sipDigest) }),
  ...(patch.lastSeen === undefined ? {} : { last_seen: patch.lastSeen }),
  ...(patch.mustChangePassword === undefined
    ? {}
    : { password_must_change: patch.mustChangePassword ? 1 : 0 }),
  ...(patch.oneTimeUsedAt === undefined ? {} : { one_time_used_at: patch.oneTimeUsedAt }),
})

export const updateUser = async (
  db: NarvaroDb,
  id: string,
  patch: UserPatch,
): Promise<User | undefined> => {
  const update = toUserUpdate(patch)
  if (Object.keys(update).length === 0) return selectUser(db, { id })
  const row = await db
    .updateTable('users')
    .set(update)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
  return row && toUser(row)
}

export const recordLastSeen = (db: NarvaroDb, seen: ReadonlyMap<string, number>): Promise<void> =>
  updateFromValues(
    db,
    { table: 'users', key: 'address', column: 'last_seen', onlyForward: true },
    seen,
  )

export const claimOneTimePassword = async (
  db: NarvaroDb,
  id: string,
  now: number,
): Promise<boolean> => {
  const { numUpdatedRows } = await db
    .updateTable('users')
    .set({ one_time_used_at: now })
    .where('id', '=', id)
    .where('password_must_change', '=', 1)
    .where('one_time_used_at', 'is', null)
    .executeTakeFirst()
  return numUpdatedRows > 0n
}

export const deleteUser = (db: NarvaroDb, id: string): Promise<boolean> =>
  db.transaction().execute(async (trx) => {
    await trx.deleteFrom('api_tokens').where('user_id', '=', id).execute()
    await trx.deleteFrom('contact_methods').where('user_id', '=', id).execute()
    await trx
      .deleteFrom('subscriptions')
      .where((eb) => eb.or([eb('watcher_id', '=', id), eb('presentity_id', '=', id)]))
      .execute()
    await trx.deleteFrom('publications').where('user_id', '=', id).execute()
    await trx.deleteFrom('personal_settings').where('user_id', '=', id).execute()
    await trx.deleteFrom('group_members').where('user_id', '=', id).execute()
    await trx.deleteFrom('user_tags').where('user_id', '=', id).execute()
    await trx.deleteFrom('contact_list_members').where('user_id', '=', id).execute()
    const owned = trx.selectFrom('contact_lists').select('id').where('owner_id', '=', id)
    await trx.deleteFrom('contact_list_members').where('list_id', 'in', owned).execute()
    await trx.deleteFrom('contact_lists').where('owner_id', '=', id).execute()
    const { numDeletedRows } = await trx.deleteFrom('users').where('id', '=', id).executeTakeFirst()
    return numDeletedRows > 0n
  })
