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

/** Upserts many in one transaction, then reads them back; in input order. */
export const upsertSubscriptions = async (
  db: NarvaroDb,
  inputs: readonly NewSubscription[],
): Promise<readonly Subscription[]> => {
  if (inputs.length === 0) return []
  return db.transaction().execute(async (trx) => {
    const result: Subscription[] = []
    for (const input of inputs) result.push(await upsertSubscription(trx, input))
    return result
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
