// Migration 0003: the directory (titles, a search column, tags, personal contact lists), in the
// portable types of 0001 (text ids, bigint times); adapter layer.
import { sql } from 'kysely'
import type { Kysely, Migration } from 'kysely'

/** The form of a display name that search compares with: the same on every dialect. */
export const searchNameOf = (displayName: string): string =>
  displayName.normalize('NFC').toLowerCase()

/** SQLite takes one column per ALTER TABLE, so each is its own statement. */
const addUserColumns = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema.alterTable('users').addColumn('title', 'text').execute()
  await db.schema
    .alterTable('users')
    .addColumn('search_name', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
}

/** Fills the search column of existing users in JavaScript: SQLite's lower() knows only ASCII. */
const backfillSearchNames = async (db: Kysely<unknown>): Promise<void> => {
  const { rows } = await sql<{ id: string; display_name: string }>`
    select id, display_name from users`.execute(db)
  for (const row of rows) {
    await sql`update users set search_name = ${searchNameOf(row.display_name)}
      where id = ${row.id}`.execute(db)
  }
}

const createUserTags = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema
    .createTable('user_tags')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_tags_pk', ['user_id', 'tag'])
    .execute()
  await db.schema.createIndex('user_tags_tag').on('user_tags').columns(['tag', 'user_id']).execute()
}

const createContactLists = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema
    .createTable('contact_lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('contact_lists_owner_id_name', ['owner_id', 'name'])
    .execute()
  await db.schema
    .createTable('contact_list_members')
    .addColumn('list_id', 'text', (c) =>
      c.notNull().references('contact_lists.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('contact_list_members_pk', ['list_id', 'user_id'])
    .execute()
  await db.schema
    .createIndex('contact_list_members_user_id')
    .on('contact_list_members')
    .column('user_id')
    .execute()
}

export const directorySchema: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await addUserColumns(db)
    await backfillSearchNames(db)
    await createUserTags(db)
    await createContactLists(db)
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['contact_list_members', 'contact_lists', 'user_tags']) {
      await db.schema.dropTable(table).execute()
    }
    await db.schema.alterTable('users').dropColumn('search_name').execute()
    await db.schema.alterTable('users').dropColumn('title').execute()
  },
}
