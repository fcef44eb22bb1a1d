// Migration 0011: SCRAM credentials (RFC 5802, 7677) beside the argon2 hash, derived when a password
// is set, so XMPP clients can sign in with SCRAM-SHA-1 and SCRAM-SHA-256; adapter layer.
import type { Kysely, Migration } from 'kysely'

export const scramCredentialsSchema: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('scram', 'text').execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('users').dropColumn('scram').execute()
  },
}
