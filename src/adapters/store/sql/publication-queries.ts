// Queries on the durable publications of a person, for any Kysely dialect; adapter layer.
import type { Publication } from '../../../core/model/presence-model.js'
import type { StoredPublication } from '../../../ports/store.js'
import type { NarvaroDb } from './database-schema.js'
import { fromPublication, toStoredPublication } from './row-mappers.js'

/** Stores the publication, replacing the user's one from the same source. */
export const upsertPublication = async (
  db: NarvaroDb,
  userId: string,
  publication: Publication,
): Promise<void> => {
  const row = fromPublication(userId, publication)
  const { user_id, source_id, ...changes } = row
  await db
    .insertInto('publications')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'source_id']).doUpdateSet(changes))
    .execute()
}

export const deletePublication = async (
  db: NarvaroDb,
  userId: string,
  sourceId: string,
): Promise<boolean> => {
  const { numDeletedRows } = await db
    .deleteFrom('publications')
    .where('user_id', '=', userId)
    .where('source_id', '=', sourceId)
    .executeTakeFirst()
  return numDeletedRows > 0n
}

/** Publications still live at `now` (`expiresAt > now`), the same rule as aggregation. */
export const selectLivePublications = async (
  db: NarvaroDb,
  now: number,
): Promise<readonly StoredPublication[]> => {
  const rows = await db
    .selectFrom('publications')
    .selectAll()
    .where('expires_at', '>', now)
    .orderBy('user_id')
    .orderBy('source_id')
    .execute()
  return rows.map(toStoredPublication)
}
