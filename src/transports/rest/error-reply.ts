// Turns any error into a reply `{ code, message, details? }` with the code's status; never a stack.
// Transport layer; shared by REST, WebSocket and SSE.
import type { ErrorCode } from '../../core/errors.js'
import { NarvaroError, errorTable, isNarvaroError } from '../../core/errors.js'

export interface ErrorReply {
  readonly status: number
  readonly body: { code: ErrorCode; message: string; details?: Readonly<Record<string, unknown>> }
}

interface FrameworkError {
  readonly statusCode?: number
  readonly code?: string
  readonly message?: string
  readonly validation?: unknown
}

/** Errors of Fastify itself (schema validation, bad JSON, body too large) become codes too. */
const fromFramework = (error: FrameworkError): NarvaroError | undefined => {
  const status = error.statusCode
  if (error.validation) return new NarvaroError('NRV_VALIDATION', error.message ?? 'invalid input')
  if (status === 413) return new NarvaroError('NRV_PAYLOAD_TOO_LARGE', 'request body over the size limit')
  if (status === 404) return new NarvaroError('NRV_NOT_FOUND', error.message ?? 'not found')
  if (status !== undefined && status >= 400 && status < 500) {
    return new NarvaroError('NRV_VALIDATION', error.message ?? 'invalid request')
  }
  return undefined
}

export const toErrorReply = (error: unknown): ErrorReply & { unexpected: boolean } => {
  const known = isNarvaroError(error) ? error : fromFramework(error as FrameworkError)
  if (!known) {
    return {
      status: 500,
      body: { code: 'NRV_INTERNAL', message: errorTable.NRV_INTERNAL.meaning },
      unexpected: true,
    }
  }
  const details = Object.keys(known.details).length > 0 ? { details: known.details } : {}
  return {
    status: known.status,
    body: { code: known.code, message: known.message, ...details },
    unexpected: known.code === 'NRV_INTERNAL',
  }
}
