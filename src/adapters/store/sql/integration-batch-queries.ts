// A batch of integration events against the store, for any Kysely dialect: one read round (event ids,
// users, source states, each an `IN` or `OR` query in chunks) and one transaction of multi-row
// statements for everything the batch changed; adapter layer.
import type {
  IntegrationBatchKeys,
  IntegrationBatchReads,
  IntegrationBatchWrite,
  IntegrationSourceState,
} from '../../../ports/integration-store.js'
import type { User } from '../../../ports/store.js'
import type { NarvaroDb } from './database-schema.js'
import { inBatches } from './in-batches.js'
import { toSource } from './integration-queries.js'
import { fromPublication, toUser } from './row-mappers.js'

/** Keys per `IN` list. */
const keysPerQuery = 500
/**
 * Rows per statement (publications have 9 columns) and terms per `OR` of keys: below every
 * dialect's limit of bound parameters and SQLite's limit of expression depth (1,000).
 */
const rowsPerStatement = 100

const selectSeen = async (db: NarvaroDb, keys: IntegrationBatchKeys): Promise<string[]> => {
  const seen: string[] = []
  for (const ids of inBatches([...new Set(keys.eventIds)], keysPerQuery)) {
    const rows = await db
      .selectFrom('integration_events')
      .select('event_id')
      .where('integration_id', '=', keys.integrationId)
      .where('event_id', 'in', ids)
      .execute()
    for (const row of rows) seen.push(row.event_id)
  }
  return seen
}

const selectUsersByAddress = async (
  db: NarvaroDb,
  addresses: readonly string[],
): Promise<User[]> => {
  const users: User[] = []
  for (const batch of inBatches([...new Set(addresses)], keysPerQuery)) {
    const rows = await db.selectFrom('users').selectAll().where('address', 'in', batch).execute()
    for (const row of rows) users.push(toUser(row))
  }
  return users
}

/** The states of exactly the (user, source key) pairs asked for. */
const selectSources = async (
  db: NarvaroDb,
  integrationId: string,
  pairs: readonly { readonly userId: string; readonly sourceKey: string }[],
): Promise<IntegrationSourceState[]> => {
  const sources: IntegrationSourceState[] = []
  for (const batch of inBatches(pairs, rowsPerStatement)) {
    const rows = await db
      .selectFrom('integration_sources')
      .selectAll()
      .where((eb) =>
        eb.or(
          batch.map((pair) =>
            eb.and([
              eb('integration_id', '=', integrationId),
              eb('user_id', '=', pair.userId),
              eb('source_key', '=', pair.sourceKey),
            ]),
          ),
        ),
      )
      .execute()
    for (const row of rows) sources.push(toSource(row))
  }
  return sources
}

export const readIntegrationBatch = async (
  db: NarvaroDb,
  keys: IntegrationBatchKeys,
): Promise<IntegrationBatchReads> => {
  const seenEventIds = await selectSeen(db, keys)
  const users = await selectUsersByAddress(
    db,
    keys.sources.map((source) => source.address),
  )
  const idOf = new Map(users.map((user) => [user.address, user.id]))
  const pairs = new Map<string, { userId: string; sourceKey: string }>()
  for (const { address, sourceKey } of keys.sources) {
    const userId = idOf.get(address)
    if (userId !== undefined) pairs.set(`${userId}\n${sourceKey}`, { userId, sourceKey })
  }
  const sources = await selectSources(db, keys.integrationId, [...pairs.values()])
  return { seenEventIds, users, sources }
}

/** The last of the items with the same key, in the order of their last occurrence. */
const lastByKey = <T>(items: readonly T[], keyOf: (item: T) => string): T[] => [
  ...new Map(items.map((item) => [keyOf(item), item])).values(),
]

const insertEvents = async (trx: NarvaroDb, write: IntegrationBatchWrite): Promise<void> => {
  const rows = [...new Set(write.eventIds)].map((eventId) => ({
    integration_id: write.integrationId,
    event_id: eventId,
    seen_at: write.seenAt,
  }))
  for (const batch of inBatches(rows, rowsPerStatement)) {
    await trx
      .insertInto('integration_events')
      .values(batch)
      .onConflict((oc) => oc.columns(['integration_id', 'event_id']).doNothing())
      .execute()
  }
}

const upsertSources = async (trx: NarvaroDb, write: IntegrationBatchWrite): Promise<void> => {
  const sources = lastByKey(write.sources, (s) => `${s.integrationId}\n${s.userId}\n${s.sourceKey}`)
  const rows = sources.map((source) => ({
    integration_id: source.integrationId,
    user_id: source.userId,
    source_key: source.sourceKey,
    last_at: source.lastAt,
    ended: source.ended ? 1 : 0,
    updated_at: source.updatedAt,
  }))
  for (const batch of inBatches(rows, rowsPerStatement)) {
    await trx
      .insertInto('integration_sources')
      .values(batch)
      .onConflict((oc) =>
        oc.columns(['integration_id', 'user_id', 'source_key']).doUpdateSet((eb) => ({
          last_at: eb.ref('excluded.last_at'),
          ended: eb.ref('excluded.ended'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute()
  }
}

const deletePublications = async (trx: NarvaroDb, write: IntegrationBatchWrite): Promise<void> => {
  for (const batch of inBatches(write.publications.delete, rowsPerStatement)) {
    await trx
      .deleteFrom('publications')
      .where((eb) =>
        eb.or(
          batch.map((key) =>
            eb.and([eb('user_id', '=', key.userId), eb('source_id', '=', key.sourceId)]),
          ),
        ),
      )
      .execute()
  }
}

const upsertPublications = async (trx: NarvaroDb, write: IntegrationBatchWrite): Promise<void> => {
  const puts = lastByKey(write.publications.put, (p) => `${p.userId}\n${p.publication.source.id}`)
  const rows = puts.map((put) => fromPublication(put.userId, put.publication))
  for (const batch of inBatches(rows, rowsPerStatement)) {
    await trx
      .insertInto('publications')
      .values(batch)
      .onConflict((oc) =>
        oc.columns(['user_id', 'source_id']).doUpdateSet((eb) => ({
          source_kind: eb.ref('excluded.source_kind'),
          state: eb.ref('excluded.state'),
          published_at: eb.ref('excluded.published_at'),
          expires_at: eb.ref('excluded.expires_at'),
          version: eb.ref('excluded.version'),
          last_active_at: eb.ref('excluded.last_active_at'),
          idle: eb.ref('excluded.idle'),
        })),
      )
      .execute()
  }
}

/** Deletes come before puts, so a key in both lists ends put. */
export const commitIntegrationBatch = (
  db: NarvaroDb,
  write: IntegrationBatchWrite,
): Promise<void> =>
  db.transaction().execute(async (trx) => {
    await insertEvents(trx, write)
    await upsertSources(trx, write)
    await deletePublications(trx, write)
    await upsertPublications(trx, write)
  })
