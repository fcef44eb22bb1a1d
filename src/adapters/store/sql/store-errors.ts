// Turns driver errors into NarvaroErrors with the driver error as `cause`; adapter layer. Each
// dialect supplies its own classifier, since SQLite and PostgreSQL report failures differently.
import { NarvaroError, isNarvaroError } from '../../../core/errors.js'

/**
 * What a driver error means to the store: a duplicate, a reference to a row that does not exist,
 * or a database that cannot be reached. `undefined` for anything else (a bug, not a condition).
 */
export type StoreErrorKind = 'conflict' | 'missing-reference' | 'unavailable'

export type DriverErrorClassifier = (error: unknown) => StoreErrorKind | undefined

const wrapped = {
  conflict: { code: 'NRV_CONFLICT', message: 'already exists' },
  'missing-reference': {
    code: 'NRV_NOT_FOUND',
    message: 'refers to something that does not exist',
  },
  unavailable: { code: 'NRV_STORE_UNAVAILABLE', message: 'the store is unreachable' },
} as const

/**
 * The NarvaroError for a failed store operation, with the driver's error as `cause`; NarvaroErrors
 * pass through unchanged. A conflict or a missing reference is a client's error, and its message
 * reaches the client: it says only what happened, never the operation. A server-side failure
 * (5xx) names the operation, for the log: replies show only its code's meaning.
 */
export const toStoreError = (
  error: unknown,
  operation: string,
  classify: DriverErrorClassifier,
): NarvaroError => {
  if (isNarvaroError(error)) return error
  const kind = classify(error)
  if (kind === undefined) {
    return new NarvaroError('NRV_INTERNAL', `store operation ${operation} failed`, { cause: error })
  }
  const { code, message } = wrapped[kind]
  const text = kind === 'unavailable' ? `${operation}: ${message}` : message
  return new NarvaroError(code, text, { cause: error })
}

export const storeClosedError = (operation: string): NarvaroError =>
  new NarvaroError('NRV_STORE_UNAVAILABLE', `${operation}: the store is closed`)
