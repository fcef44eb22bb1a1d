// Migration 0008: workflow messages of webhooks waiting for delivery (one per endpoint and coalescing
// key, the latest), so a restart does not lose them; adapter layer.
import type { Kysely, Migration } from 'kysely'

export const webhookMessagesSchema: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('webhook_messages')
      .addColumn('webhook_id', 'text', (c) =>
        c.notNull().references('webhooks.id').onDelete('cascade'),
      )
      .addColumn('message_key', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_messages_pk', ['webhook_id', 'message_key'])
      .execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('webhook_messages').execute()
  },
}
