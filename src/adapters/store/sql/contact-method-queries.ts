// Queries on contact methods, for any Kysely dialect; adapter layer. A user's list is replaced as a
// whole and read back in the order it was given.
import type { ContactMethod } from '../../../core/model/presence-model.js'
import type { NarvaroDb } from './database-schema.js'
import { fromContactMethod, toContactMethod } from './row-mappers.js'

export const selectContactMethods = async (
  db: NarvaroDb,
  userId: string,
): Promise<readonly ContactMethod[]> => {
  const rows = await db
    .selectFrom('contact_methods')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('position')
    .execute()
  return rows.map(toContactMethod)
}

export const replaceContactMethods = (
  db: NarvaroDb,
  userId: string,
  methods: readonly ContactMethod[],
): Promise<void> =>
  db.transaction().execute(async (trx) => {
    await trx.deleteFrom('contact_methods').where('user_id', '=', userId).execute()
    if (methods.length === 0) return
    const rows = methods.map((method, position) => fromContactMethod(userId, method, position))
    await trx.insertInto('contact_methods').values(rows).execute()
  })
