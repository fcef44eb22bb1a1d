// Migration 0010: one-time passwords. A password an admin set must be changed at the first sign-in
// (`password_must_change`), and it signs in only once (`one_time_used_at`); adapter layer.
import type { Kysely, Migration } from 'kysely'

export const passwordChangeSchema: Migration = {
  async up(db: Kysely<unknown>) {
    // SQLite takes one column per ALTER TABLE.
    await db.schema
      .alterTable('users')
      .addColumn('password_must_change', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
    await db.schema.alterTable('users').addColumn('one_time_used_at', 'bigint').execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('users').dropColumn('one_time_used_at').execute()
    await db.schema.alterTable('users').dropColumn('password_must_change').execute()
  },
}
