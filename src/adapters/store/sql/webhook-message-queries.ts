// Queries on webhook workflow messages waiting for delivery, for any Kysely dialect; adapter layer.
import type { PendingWebhookMessage } from '../../../ports/webhook-store.js'
import type { NarvaroDb } from './database-schema.js'

/** One row per endpoint and key: the newer message replaces the older (delete, then insert). */
export const saveWebhookMessage = (db: NarvaroDb, message: PendingWebhookMessage): Promise<void> =>
  db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('webhook_messages')
      .where('webhook_id', '=', message.endpointId)
      .where('message_key', '=', message.key)
      .execute()
    await trx
      .insertInto('webhook_messages')
      .values({
        webhook_id: message.endpointId,
        message_key: message.key,
        message_id: message.id,
        event_type: message.type,
        body: message.body,
        created_at: message.createdAt,
      })
      .execute()
  })

export const deleteWebhookMessage = async (
  db: NarvaroDb,
  endpointId: string,
  id: string,
): Promise<void> => {
  await db
    .deleteFrom('webhook_messages')
    .where('webhook_id', '=', endpointId)
    .where('message_id', '=', id)
    .execute()
}

export const selectWebhookMessages = async (
  db: NarvaroDb,
  endpointId: string,
): Promise<PendingWebhookMessage[]> => {
  const rows = await db
    .selectFrom('webhook_messages')
    .selectAll()
    .where('webhook_id', '=', endpointId)
    .orderBy('created_at')
    .orderBy('message_id')
    .execute()
  return rows.map((row) => ({
    endpointId: row.webhook_id,
    id: row.message_id,
    key: row.message_key,
    type: row.event_type,
    body: row.body,
    createdAt: Number(row.created_at),
  }))
}
