// Configuration of the embedded SQLite store: where its one file lives; adapter layer.
import { resolve } from 'node:path'
import { NarvaroError } from '../../../core/errors.js'

export interface SqliteConfig {
  /** Path of the database file (its directory is created when missing), or `:memory:`. */
  readonly file: string
  /** How long a statement waits for another process's lock before failing, in ms. */
  readonly busyTimeoutMs?: number
}

/** A private database that lives as long as the store: for tests. */
export const memoryFile = ':memory:'
export const defaultBusyTimeoutMs = 5_000

export const isMemoryFile = (file: string): boolean => file === memoryFile

/** Checks the configuration and fills in defaults; a relative file is resolved from the cwd. */
export const resolveSqliteConfig = (config: SqliteConfig): Required<SqliteConfig> => {
  const { file, busyTimeoutMs = defaultBusyTimeoutMs } = config
  if (file.trim() === '') {
    throw new NarvaroError('NRV_CONFIG_INVALID', 'the SQLite file must not be empty', {
      details: { setting: 'file' },
    })
  }
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new NarvaroError('NRV_CONFIG_INVALID', 'the SQLite busy timeout must be a whole number', {
      details: { setting: 'busyTimeoutMs' },
    })
  }
  return { file: isMemoryFile(file) ? file : resolve(file), busyTimeoutMs }
}
