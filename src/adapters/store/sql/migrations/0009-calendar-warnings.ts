// Migration 0009: what the last good read of a calendar skipped or read leniently (a JSON array of
// at most 20 texts, null for none), so the owner sees it also after a refresh in the background;
// adapter layer.
import type { Kysely, Migration } from 'kysely'

export const calendarWarningsSchema: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('calendar_feeds').addColumn('last_warnings', 'text').execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('calendar_feeds').dropColumn('last_warnings').execute()
  },
}
