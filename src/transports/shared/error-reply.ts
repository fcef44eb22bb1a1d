// Turns any error into a reply `{ code, message, details? }` with the code's status; never a stack,
// never server internals, never raw control or bidi characters. Transport layer; shared by REST,
// WebSocket and SSE.
import type { ErrorCode } from '../../core/errors.js'
import { NarvaroError, errorTable, isNarvaroError } from '../../core/errors.js'
import { escapeDetails, escapeUnsafe } from './error-text.js'

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

/** Fastify's own errors whose message would quote the request (a URL) or says too little. */
const byFrameworkCode: Readonly<Record<string, readonly [ErrorCode, string]>> = {
  FST_ERR_BAD_URL: ['NRV_BAD_REQUEST', 'the URL is not valid (bad percent-encoding)'],
  FST_ERR_MAX_PARAM_LENGTH: ['NRV_URI_TOO_LONG', 'a path parameter is over the length limit'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    'NRV_UNSUPPORTED_MEDIA_TYPE',
    'unsupported content type: send application/json',
  ],
}

/** By status, for the framework errors the table above does not name. */
const byStatus: Readonly<Record<number, readonly [ErrorCode, string]>> = {
  413: ['NRV_PAYLOAD_TOO_LARGE', 'request body over the size limit'],
  414: ['NRV_URI_TOO_LONG', 'the URL is over the length limit'],
  415: ['NRV_UNSUPPORTED_MEDIA_TYPE', 'unsupported content type: send application/json'],
  431: ['NRV_HEADERS_TOO_LARGE', 'request headers over the size limit'],
}

/** Errors of Fastify itself (schema validation, bad JSON, body too large) become codes too. */
const fromFramework = (error: FrameworkError): NarvaroError | undefined => {
  const status = error.statusCode
  if (error.validation) return new NarvaroError('NRV_VALIDATION', error.message ?? 'invalid input')
  const known = (error.code && byFrameworkCode[error.code]) || (status && byStatus[status])
  if (known) return new NarvaroError(known[0], known[1])
  if (status === 404) return new NarvaroError('NRV_NOT_FOUND', error.message ?? 'not found')
  if (status !== undefined && status >= 400 && status < 500) {
    return new NarvaroError('NRV_VALIDATION', error.message ?? 'invalid request')
  }
  return undefined
}

/**
 * The reply for an error. A server-side failure (5xx) says only what its code means: its message
 * and details are for the log (store operations, file names, driver text), never for the client;
 * only when to retry (`retryAfterMs`, of `NRV_BUSY`) is kept.
 */
export const toErrorReply = (error: unknown): ErrorReply & { unexpected: boolean } => {
  const known = isNarvaroError(error) ? error : fromFramework(error as FrameworkError)
  if (!known || known.status >= 500) {
    const code = known?.code ?? 'NRV_INTERNAL'
    const retryAfterMs = known?.details['retryAfterMs']
    const retry = typeof retryAfterMs === 'number' ? { details: { retryAfterMs } } : {}
    return {
      status: errorTable[code].status,
      body: { code, message: errorTable[code].meaning, ...retry },
      unexpected: code === 'NRV_INTERNAL',
    }
  }
  const details =
    Object.keys(known.details).length > 0 ? { details: escapeDetails(known.details) } : {}
  return {
    status: known.status,
    body: { code: known.code, message: escapeUnsafe(known.message), ...details },
    unexpected: false,
  }
}

/** The Retry-After seconds of a reply that says when to come back (`retryAfterMs`), at least 1. */
export const retryAfterSeconds = (body: ErrorReply['body']): number | undefined => {
  const ms = body.details?.['retryAfterMs']
  return typeof ms === 'number' ? Math.max(1, Math.ceil(ms / 1000)) : undefined
}
