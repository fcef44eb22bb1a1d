// The store of a cluster: PresenceStore and PolicyStore on PostgreSQL through node-postgres, with the
// same Kysely query layer and migrations as SQLite (NARVARO_DATABASE_URL=postgres://...); adapter layer.
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { NarvaroError } from '../../../core/errors.js'
import type { NarvaroDatabase } from '../sql/database-schema.js'
import { KyselyPresenceStore } from '../sql/kysely-presence-store.js'
import { migrateToLatest, narvaroMigrations } from '../sql/migrations/narvaro-migrations.js'
import { classifyPostgresError } from './postgres-errors.js'

export interface PostgresConfig {
  /** postgres://user@host:port/database (NARVARO_DATABASE_URL). */
  readonly url: string
  /** Connections in the pool (10). */
  readonly maxConnections?: number
  /** How long a query waits for a free connection or a new one, in ms (5,000). */
  readonly connectTimeoutMs?: number
}

/**
 * 64-bit integers (the store's times in milliseconds, counts) as JS numbers: every value the store
 * keeps is far below 2^53, and the query layer expects numbers as SQLite gives them.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
}

/** PresenceStore and PolicyStore on PostgreSQL; call `migrate()` before use and `close()` at the end. */
export class PostgresPresenceStore extends KyselyPresenceStore {
  constructor(config: PostgresConfig) {
    let pool: pg.Pool
    try {
      pool = new pg.Pool({
        connectionString: config.url,
        max: config.maxConnections ?? 10,
        connectionTimeoutMillis: config.connectTimeoutMs ?? 5000,
        types,
      })
    } catch (error) {
      throw new NarvaroError('NRV_STORE_UNAVAILABLE', 'cannot use the PostgreSQL URL', {
        cause: error,
      })
    }
    // An idle connection that the server drops reports here; the pool replaces it.
    pool.on('error', () => undefined)
    // So does one that is checked out between two queries: its next query fails (and is classified
    // as NRV_STORE_UNAVAILABLE) instead of the error event ending the process.
    pool.on('connect', (client) => client.on('error', () => undefined))
    const db = new Kysely<NarvaroDatabase>({ dialect: new PostgresDialect({ pool }) })
    super({ db, classifyError: classifyPostgresError })
  }

  /** Migrates the schema the connection uses (the URL's search_path, else `public`). */
  override migrate(): Promise<void> {
    return this.run('migrate', async (db) => {
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
      await migrateToLatest(db, narvaroMigrations, rows[0]?.schema)
    })
  }
}

/** Opens the PostgreSQL store (the pool connects at the first query). */
export const openPostgresStore = async (config: PostgresConfig): Promise<PostgresPresenceStore> =>
  new PostgresPresenceStore(config)
