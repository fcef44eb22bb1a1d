// The embedded store: PresenceStore and PolicyStore on one SQLite file through better-sqlite3 (WAL,
// foreign keys on), reusing the shared Kysely query layer; adapter layer.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { SqliteDatabase } from 'kysely'
import { NarvaroError } from '../../../core/errors.js'
import type { NarvaroDatabase } from '../sql/database-schema.js'
import { KyselyPresenceStore } from '../sql/kysely-presence-store.js'
import { isMemoryFile, resolveSqliteConfig } from './sqlite-config.js'
import type { SqliteConfig } from './sqlite-config.js'
import { classifySqliteError } from './sqlite-errors.js'

/** Creates a directory (and its parents) private to the service (0700), whatever the umask. */
export const createPrivateDirectory = (directory: string): void => {
  const created = mkdirSync(directory, { recursive: true, mode: 0o700 })
  if (created !== undefined) chmodSync(directory, 0o700)
}

/**
 * Creates the directory (0700) and an empty database file (0600) when missing, whatever the umask.
 * SQLite gives its -wal and -shm files the mode of the database file, so they are private too.
 */
const createPrivately = (file: string): void => {
  createPrivateDirectory(dirname(file))
  try {
    closeSync(openSync(file, 'wx', 0o600))
    chmodSync(file, 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
}

const openDatabase = (config: Required<SqliteConfig>): Database.Database => {
  if (!isMemoryFile(config.file)) createPrivately(config.file)
  const database = new Database(config.file)
  try {
    // The busy timeout comes first, so that switching to WAL waits for other processes' locks.
    database.pragma(`busy_timeout = ${config.busyTimeoutMs}`)
    database.pragma('journal_mode = WAL')
    database.pragma('synchronous = NORMAL')
    database.pragma('foreign_keys = ON')
    // Statement journals (a multi-row upsert keeps one, to undo only itself) and temporary tables in
    // memory: in files they were written and deleted again for each such statement.
    database.pragma('temp_store = MEMORY')
    return database
  } catch (error) {
    database.close()
    throw error
  }
}

/** Statements kept prepared, by SQL text; Kysely's driver would otherwise prepare every query anew. */
const maxCachedStatements = 256

/**
 * The database as Kysely's SQLite dialect uses it, with prepared statements reused: the query layer
 * builds a bounded set of SQL texts (parameters are bound, never inlined), so preparing is paid once.
 */
const withStatementCache = (database: Database.Database): SqliteDatabase => {
  const statements = new Map<string, Database.Statement>()
  return {
    close: () => database.close(),
    prepare: (sql: string) => {
      let statement = statements.get(sql)
      if (!statement) {
        if (statements.size >= maxCachedStatements)
          statements.delete(statements.keys().next().value!)
        statement = database.prepare(sql)
        statements.set(sql, statement)
      }
      return statement
    },
  }
}

/** PresenceStore and PolicyStore on SQLite; call `migrate()` before use and `close()` at the end. */
export class SqlitePresenceStore extends KyselyPresenceStore {
  /** Opens (creating when missing) the file; throws `NRV_STORE_UNAVAILABLE` if it cannot. */
  constructor(config: SqliteConfig) {
    const resolved = resolveSqliteConfig(config)
    let database: Database.Database
    try {
      database = openDatabase(resolved)
    } catch (error) {
      throw new NarvaroError('NRV_STORE_UNAVAILABLE', 'cannot open the SQLite database', {
        details: { file: resolved.file },
        cause: error,
      })
    }
    const db = new Kysely<NarvaroDatabase>({
      dialect: new SqliteDialect({ database: withStatementCache(database) }),
    })
    super({ db, classifyError: classifySqliteError })
  }
}

/** Opens the SQLite store at `config.file` (`:memory:` for a private in-memory database). */
export const openSqliteStore = async (config: SqliteConfig): Promise<SqlitePresenceStore> =>
  new SqlitePresenceStore(config)
