// Migration 0006: schedule entries, calendar feeds and the scheduled publications expanded from them,
// in the portable types of 0001 (text ids, bigint times, JSON as text); adapter layer.
import type { Kysely, Migration } from 'kysely'

const createScheduledPublications = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema
    .createTable('scheduled_publications')
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('free_busy', 'text')
    .addPrimaryKeyConstraint('scheduled_publications_pk', ['owner', 'source_id', 'starts_at'])
    .execute()
  await db.schema
    .createIndex('scheduled_publications_starts_at')
    .on('scheduled_publications')
    .columns(['starts_at'])
    .execute()
  await db.schema
    .createIndex('scheduled_publications_user')
    .on('scheduled_publications')
    .columns(['user_id', 'starts_at'])
    .execute()
  await db.schema
    .createIndex('scheduled_publications_ends_at')
    .on('scheduled_publications')
    .columns(['ends_at'])
    .execute()
}

const createScheduleEntries = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema
    .createTable('schedule_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('set_state', 'text', (c) => c.notNull())
    .addColumn('when_rule', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('schedule_entries_user')
    .on('schedule_entries')
    .column('user_id')
    .execute()
}

const createCalendarFeeds = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema
    .createTable('calendar_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('ics', 'text')
    .addColumn('refreshed_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('calendar_feeds_user')
    .on('calendar_feeds')
    .column('user_id')
    .execute()
}

export const schedulesSchema: Migration = {
  async up(db) {
    await createScheduledPublications(db)
    await createScheduleEntries(db)
    await createCalendarFeeds(db)
  },
  async down(db) {
    await db.schema.dropTable('calendar_feeds').execute()
    await db.schema.dropTable('schedule_entries').execute()
    await db.schema.dropTable('scheduled_publications').execute()
  },
}
