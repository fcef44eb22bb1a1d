// Migration 0007: how often a subscribed calendar feed is fetched, in minutes (null: the default);
// adapter layer.
import type { Kysely, Migration } from 'kysely'

export const calendarRefreshSchema: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('calendar_feeds').addColumn('refresh_minutes', 'integer').execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('calendar_feeds').dropColumn('refresh_minutes').execute()
  },
}
