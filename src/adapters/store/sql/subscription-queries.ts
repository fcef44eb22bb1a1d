// Queries on subscriptions, for any Kysely dialect; adapter layer. Rows hold user ids; the domain
// Subscription names both parties by address, so reads join the users table twice.
import type { Subscription } from '../../../core/subscriptions/subscription.js'
import type { NewSubscription } from '../../../ports/store.js'
import type { NarvaroDb } from './database-schema.js'
import { toMillis } from './row-mappers.js'

const selectJoined = (db: NarvaroDb) =>
  db
    .selectFrom('subscriptions as s')
    .innerJoin('users as w', 'w.id', 's.watcher_id')
    .innerJoin('users as p', 'p.id', 's.presentity_id')
    .select([
      'w.address as watcher_address',
      'p.address as presentity_address',
      's.state',
      's.created_at',
    ])

type JoinedRow = Awaited<ReturnType<ReturnType<typeof selectJoined>['executeTakeFirstOrThrow']>>

const toSubscription = (row: JoinedRow): Subscription => ({
  watcherAddress: row.watcher_address,
  presentityAddress: row.presentity_address,
  state: row.state,
  createdAt: toMillis(row.created_at),
})

/** Creates the subscription, or changes the state of an existing one (keeping when it began). */
export const upsertSubscription = async (
  db: NarvaroDb,
  input: NewSubscription,
): Promise<Subscription> => {
  const { watcherId, presentityId, state } = input
  await db
    .insertInto('subscriptions')
    .values({
      watcher_id: watcherId,
      presentity_id: presentityId,
      state,
      created_at: input.createdAt,
    })
    .onConflict((oc) => oc.columns(['watcher_id', 'presentity_id']).doUpdateSet({ state }))
    .execute()
  const row = await selectJoined(db)
    .where('s.watcher_id', '=', watcherId)
    .where('s.presentity_id', '=', presentityId)
    .executeTakeFirstOrThrow()
  return toSubscription(row)
}

/** Rows per INSERT: far below every dialect's limit of bound parameters. */
const rowsPerInsert = 200

/**
 * Upserts many in one transaction, with multi-row INSERTs, then reads them back with one query
 * per watcher; in input order (the last state given wins for a repeated pair).
 */
export const upsertSubscriptions = async (
  db: NarvaroDb,
  inputs: readonly NewSubscription[],
): Promise<readonly Subscription[]> => {
  if (inputs.length === 0) return []
  return db.transaction().execute(async (trx) => {
    const latest = new Map(
      inputs.map((input) => [`${input.watcherId}\n${input.presentityId}`, input]),
    )
    const rows = [...latest.values()].map((input) => ({
      watcher_id: input.watcherId,
      presentity_id: input.presentityId,
      state: input.state,
      created_at: input.createdAt,
    }))
    for (let i = 0; i < rows.length; i += rowsPerInsert) {
      await trx
        .insertInto('subscriptions')
        .values(rows.slice(i, i + rowsPerInsert))
        .onConflict((oc) =>
          oc
            .columns(['watcher_id', 'presentity_id'])
            .doUpdateSet((eb) => ({ state: eb.ref('excluded.state') })),
        )
        .execute()
    }
    const stored = new Map<string, Subscription>()
    for (const watcherId of new Set(inputs.map((input) => input.watcherId))) {
      const found = await selectJoined(trx)
        .select(['s.watcher_id', 's.presentity_id'])
        .where('s.watcher_id', '=', watcherId)
        .execute()
      for (const row of found)
        stored.set(`${row.watcher_id}\n${row.presentity_id}`, toSubscription(row))
    }
    return inputs.map((input) => stored.get(`${input.watcherId}\n${input.presentityId}`)!)
  })
}

export const deleteSubscription = async (
  db: NarvaroDb,
  watcherId: string,
  presentityId: string,
): Promise<boolean> => {
  const { numDeletedRows } = await db
    .deleteFrom('subscriptions')
    .where('watcher_id', '=', watcherId)
    .where('presentity_id', '=', presentityId)
    .executeTakeFirst()
  return numDeletedRows > 0n
}

/** What a watcher subscribed to, by presentity address. */
export const selectSubscriptionsOf = async (
  db: NarvaroDb,
  watcherId: string,
): Promise<readonly Subscription[]> => {
  const rows = await selectJoined(db)
    .where('s.watcher_id', '=', watcherId)
    .orderBy('p.address')
    .execute()
  return rows.map(toSubscription)
}

/** Who watches a presentity, by watcher address. */
export const selectWatchersOf = async (
  db: NarvaroDb,
  presentityId: string,
): Promise<readonly Subscription[]> => {
  const rows = await selectJoined(db)
    .where('s.presentity_id', '=', presentityId)
    .orderBy('w.address')
    .execute()
  return rows.map(toSubscription)
}
