// Migration 0005: integration sources (their token hashes, the event ids they sent, and the ordering
// state of each of their sources), in the portable types of 0001; adapter layer.
import type { Kysely, Migration } from 'kysely'

const createIntegrations = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema
    .createTable('integrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kinds', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .execute()
  await db.schema
    .createIndex('integrations_organization_id')
    .on('integrations')
    .column('organization_id')
    .execute()
}

const createEventsAndSources = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema
    .createTable('integration_events')
    .addColumn('integration_id', 'text', (c) =>
      c.notNull().references('integrations.id').onDelete('cascade'),
    )
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('integration_events_pk', ['integration_id', 'event_id'])
    .execute()
  await db.schema
    .createIndex('integration_events_seen_at')
    .on('integration_events')
    .column('seen_at')
    .execute()
  await db.schema
    .createTable('integration_sources')
    .addColumn('integration_id', 'text', (c) =>
      c.notNull().references('integrations.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('ended', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('integration_sources_pk', ['integration_id', 'user_id', 'source_key'])
    .execute()
  await db.schema
    .createIndex('integration_sources_updated_at')
    .on('integration_sources')
    .column('updated_at')
    .execute()
}

export const integrationsSchema: Migration = {
  async up(db) {
    await createIntegrations(db)
    await createEventsAndSources(db)
  },
  async down(db) {
    await db.schema.dropTable('integration_sources').execute()
    await db.schema.dropTable('integration_events').execute()
    await db.schema.dropTable('integrations').execute()
  },
}
