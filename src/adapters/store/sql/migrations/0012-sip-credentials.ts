// Migration 0012: a user's SIP credentials (digest HA1s, RFC 8760: MD5 and SHA-256), set apart from
// the password by the person or an admin, so phones sign in without the password itself; adapter layer.
import type { Kysely, Migration } from 'kysely'

export const sipCredentialsSchema: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('sip_digest', 'text').execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('users').dropColumn('sip_digest').execute()
  },
}
