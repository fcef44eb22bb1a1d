// Classifies node-postgres errors for the shared query layer: duplicates, missing references, and a
// server that cannot be used (refused, gone, shutting down, out of connections); adapter layer.
import type { StoreErrorKind } from '../sql/store-errors.js'

/** SQLSTATE classes (first two characters) that mean the server cannot be used now. */
const unavailableClasses = new Set([
  '08', // connection exception
  '28', // invalid authorization (a wrong user or password in the URL)
  '3D', // invalid catalog name (the URL's database does not exist)
  '53', // insufficient resources
  '57', // operator intervention (admin shutdown, cannot connect now)
  '58', // system error
])

/** Socket errors of a server that is down or unreachable. */
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
])

const codeOf = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  return typeof error.code === 'string' ? error.code : undefined
}

export const classifyPostgresError = (error: unknown): StoreErrorKind | undefined => {
  const code = codeOf(error)
  if (code === '23505') return 'conflict'
  if (code === '23503') return 'missing-reference'
  if (code !== undefined && (networkCodes.has(code) || unavailableClasses.has(code.slice(0, 2))))
    return 'unavailable'
  // node-postgres says so in plain errors when the pool or its client is closed or ended.
  const message = error instanceof Error ? error.message : ''
  return /Connection terminated|Cannot use a pool after calling end|Client was closed|timeout exceeded when trying to connect/i.test(
    message,
  )
    ? 'unavailable'
    : undefined
}
