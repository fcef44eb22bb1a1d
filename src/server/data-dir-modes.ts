// File modes of the data directory and the database files: only the service's user may read them.
// The store creates them private; this warns at start about ones made wider before; composition root.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from 'pino'

/** The database file and the files SQLite keeps beside it in WAL mode. */
export const databaseFiles = ['narvaro.db', 'narvaro.db-wal', 'narvaro.db-shm'] as const

const octal = (mode: number): string => `0${(mode & 0o777).toString(8)}`

const modeOf = (path: string): number | undefined => {
  try {
    return statSync(path).mode
  } catch {
    return undefined
  }
}

/** Paths in the data directory that others than the owner may read or write, with their modes. */
export const widerThanPrivate = (dataDir: string): { path: string; mode: string }[] => {
  const paths = [dataDir, ...databaseFiles.map((file) => join(dataDir, file))]
  return paths.flatMap((path) => {
    const mode = modeOf(path)
    return mode !== undefined && (mode & 0o077) !== 0 ? [{ path, mode: octal(mode) }] : []
  })
}

/** Logs one warning per path that is wider than 0700 (the directory) or 0600 (a file). */
export const warnWideModes = (dataDir: string, logger: Logger): void => {
  for (const { path, mode } of widerThanPrivate(dataDir)) {
    logger.warn(
      { path, mode },
      'data file readable by other users: chmod it to 0700 (directory) or 0600 (file)',
    )
  }
}
