// The one table of error codes (STYLE.md, "Errors") and the NarvaroError class; core layer.
// Codes are never renamed or reused; docs/errors.md is kept in step by a test.

export const errorTable = {
  NRV_VALIDATION: { status: 400, meaning: 'input fails its schema' },
  NRV_ADDRESS_INVALID: { status: 400, meaning: 'malformed address' },
  NRV_UNAUTHENTICATED: { status: 401, meaning: 'no valid credentials' },
  NRV_FORBIDDEN: { status: 403, meaning: 'authenticated, but not allowed to do this' },
  NRV_PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    meaning: 'signed in with a one-time password: change it (PUT /v1/me/password) first',
  },
  NRV_NOT_FOUND: { status: 404, meaning: 'missing or not visible' },
  NRV_CONFLICT: { status: 409, meaning: 'already exists' },
  NRV_PUBLICATION_STALE: { status: 409, meaning: 'older than the stored one' },
  NRV_PAYLOAD_TOO_LARGE: { status: 413, meaning: 'request body or message over the size limit' },
  NRV_RATE_LIMITED: { status: 429, meaning: 'too many publications' },
  NRV_PASSWORD_WEAK: { status: 400, meaning: 'the new password is too short or too common' },
  NRV_UNKNOWN_MESSAGE: { status: 400, meaning: 'protocol message of an unknown type' },
  NRV_INTERNAL: { status: 500, meaning: 'unexpected server error (details are in the server log)' },
  NRV_STORE_UNAVAILABLE: { status: 503, meaning: 'store unreachable' },
  NRV_BUSY: { status: 503, meaning: 'too many sign-ins are being checked at once; retry later' },
  NRV_SHUTTING_DOWN: { status: 503, meaning: 'the server is shutting down; reconnect later' },
  NRV_CONFIG_INVALID: { status: 500, meaning: 'a configuration value is invalid (at start)' },
  NRV_BAD_REQUEST: {
    status: 400,
    meaning: 'malformed HTTP request (such as bad percent-encoding in the URL)',
  },
  NRV_REQUEST_TIMEOUT: { status: 408, meaning: 'the request did not arrive in time' },
  NRV_URI_TOO_LONG: { status: 414, meaning: 'URL or a path parameter over the length limit' },
  NRV_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    meaning: 'request body of a content type the endpoint does not take',
  },
  NRV_HEADERS_TOO_LARGE: { status: 431, meaning: 'request headers over the size limit' },
} as const

export type ErrorCode = keyof typeof errorTable

export interface NarvaroErrorOptions {
  readonly details?: Readonly<Record<string, unknown>>
  readonly cause?: unknown
}

/** The single error class of Närvaro: a stable `code`, machine-readable `details` and a `cause`. */
export class NarvaroError extends Error {
  readonly code: ErrorCode
  readonly details: Readonly<Record<string, unknown>>

  constructor(code: ErrorCode, message: string, options: NarvaroErrorOptions = {}) {
    super(message, { cause: options.cause })
    this.name = 'NarvaroError'
    this.code = code
    this.details = options.details ?? {}
  }

  get status(): number {
    return errorTable[this.code].status
  }
}

export const isNarvaroError = (error: unknown): error is NarvaroError =>
  error instanceof NarvaroError
