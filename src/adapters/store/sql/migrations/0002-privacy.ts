// Migration 0002: privacy data (organization policies, personal settings, groups and the audit log),
// in the portable types of 0001 (text ids, bigint times, text JSON); adapter layer.
import type { Kysely, Migration } from 'kysely'

const createPolicyTables = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema
    .createTable('organization_policy')
    .addColumn('organization_id', 'text', (c) =>
      c.primaryKey().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('personal_settings')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .execute()
}

const createGroupTables = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema
    .createTable('groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('groups_organization_id_name', ['organization_id', 'name'])
    .execute()
  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
    .execute()
  await db.schema
    .createIndex('group_members_user_id')
    .on('group_members')
    .column('user_id')
    .execute()
}

const createAuditEvents = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_address', 'text', (c) => c.notNull())
    .addColumn('subject_address', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .execute()
  const indexes = {
    audit_events_organization_id_at: ['organization_id', 'at'],
    audit_events_organization_id_subject_address_at: ['organization_id', 'subject_address', 'at'],
    // Retention deletes by time across organizations.
    audit_events_at: ['at'],
  }
  for (const [name, columns] of Object.entries(indexes)) {
    await db.schema.createIndex(name).on('audit_events').columns(columns).execute()
  }
}

const dependentsFirst = [
  'audit_events',
  'group_members',
  'groups',
  'personal_settings',
  'organization_policy',
]

export const privacySchema: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await createPolicyTables(db)
    await createGroupTables(db)
    await createAuditEvents(db)
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of dependentsFirst) await db.schema.dropTable(table).execute()
  },
}
