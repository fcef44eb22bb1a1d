// Migration 0001: the first store schema, in portable types (text ids, bigint times, text JSON) so
// the same code runs on SQLite and PostgreSQL; adapter layer.
import type { Kysely, Migration } from 'kysely'

const createOrganizationsAndUsers = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema
    .createTable('organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('domain', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('address', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('working_hours', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint')
    .execute()
  await db.schema
    .createIndex('users_organization_id')
    .on('users')
    .column('organization_id')
    .execute()
}

const createApiTokens = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .execute()
  await db.schema.createIndex('api_tokens_user_id').on('api_tokens').column('user_id').execute()
}

const createContactMethods = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema
    .createTable('contact_methods')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('hours', 'text')
    .execute()
  await db.schema
    .createIndex('contact_methods_user_id')
    .on('contact_methods')
    .columns(['user_id', 'position'])
    .execute()
}

const createSubscriptions = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema
    .createTable('subscriptions')
    .addColumn('watcher_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('presentity_id', 'text', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('subscriptions_pk', ['watcher_id', 'presentity_id'])
    .execute()
  await db.schema
    .createIndex('subscriptions_presentity_id')
    .on('subscriptions')
    .column('presentity_id')
    .execute()
}

const createPublications = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema
    .createTable('publications')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'bigint')
    .addColumn('last_active_at', 'bigint')
    .addColumn('idle', 'integer')
    .addPrimaryKeyConstraint('publications_pk', ['user_id', 'source_id'])
    .execute()
  await db.schema
    .createIndex('publications_expires_at')
    .on('publications')
    .column('expires_at')
    .execute()
}

const dependentsFirst = [
  'publications',
  'subscriptions',
  'contact_methods',
  'api_tokens',
  'users',
  'organizations',
]

export const initialSchema: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await createOrganizationsAndUsers(db)
    await createApiTokens(db)
    await createContactMethods(db)
    await createSubscriptions(db)
    await createPublications(db)
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of dependentsFirst) await db.schema.dropTable(table).execute()
  },
}
