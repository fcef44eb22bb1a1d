// The store's migrations as code, served by an in-memory provider (nothing is read from disk at
// run time), and the runner that brings a database up to date; adapter layer.
import { Migrator } from 'kysely'
import type { Kysely, Migration, MigrationProvider } from 'kysely'
import { initialSchema } from './0001-initial-schema.js'
import { privacySchema } from './0002-privacy.js'
import { directorySchema } from './0003-directory.js'
import { webhooksSchema } from './0004-webhooks.js'
import { integrationsSchema } from './0005-integrations.js'
import { schedulesSchema } from './0006-schedules.js'
import { calendarRefreshSchema } from './0007-calendar-refresh.js'
import { webhookMessagesSchema } from './0008-webhook-messages.js'
import { calendarWarningsSchema } from './0009-calendar-warnings.js'
import { passwordChangeSchema } from './0010-password-change.js'
import { scramCredentialsSchema } from './0011-scram-credentials.js'
import { sipCredentialsSchema } from './0012-sip-credentials.js'

/** Every migration by name; names sort in the order they run and are never renamed. */
export const narvaroMigrations: Readonly<Record<string, Migration>> = {
  '0001-initial-schema': initialSchema,
  '0002-privacy': privacySchema,
  '0003-directory': directorySchema,
  '0004-webhooks': webhooksSchema,
  '0005-integrations': integrationsSchema,
  '0006-schedules': schedulesSchema,
  '0007-calendar-refresh': calendarRefreshSchema,
  '0008-webhook-messages': webhookMessagesSchema,
  '0009-calendar-warnings': calendarWarningsSchema,
  '0010-password-change': passwordChangeSchema,
  '0011-scram-credentials': scramCredentialsSchema,
  '0012-sip-credentials': sipCredentialsSchema,
}

export class InMemoryMigrationProvider implements MigrationProvider {
  constructor(private readonly migrations: Readonly<Record<string, Migration>>) {}

  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve({ ...this.migrations })
  }
}

/** Runs every migration not yet applied; running it again does nothing. */
export const migrateToLatest = async <DB>(
  db: Kysely<DB>,
  migrations: Readonly<Record<string, Migration>> = narvaroMigrations,
  /**
   * The schema of the migration tables, where the database has schemas (PostgreSQL): Kysely looks
   * for them in every schema otherwise, and would take another schema's for ours.
   */
  schema?: string,
): Promise<void> => {
  const migrator = new Migrator({
    db,
    provider: new InMemoryMigrationProvider(migrations),
    migrationTableName: 'narvaro_migration',
    migrationLockTableName: 'narvaro_migration_lock',
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
  })
  const { error } = await migrator.migrateToLatest()
  if (error !== undefined) throw error
}
