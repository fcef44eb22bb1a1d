// Classifies better-sqlite3 errors for the shared query layer: duplicates, missing references and
// a database that cannot be used (locked, unreadable, full, closed); adapter layer.
import type { StoreErrorKind } from '../sql/store-errors.js'

const conflictCodes = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'])

/** Primary result codes (extended codes start with these) that mean the file cannot be used now. */
const unavailablePrefixes = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_NOMEM',
  'SQLITE_PROTOCOL',
]

const codeOf = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  return typeof error.code === 'string' ? error.code : undefined
}

export const classifySqliteError = (error: unknown): StoreErrorKind | undefined => {
  const code = codeOf(error)
  if (code === undefined) {
    // better-sqlite3 throws a plain TypeError once its connection is closed.
    const closed = error instanceof TypeError && /connection is not open/.test(error.message)
    return closed ? 'unavailable' : undefined
  }
  if (conflictCodes.has(code)) return 'conflict'
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'missing-reference'
  return unavailablePrefixes.some((prefix) => code.startsWith(prefix)) ? 'unavailable' : undefined
}
