// The SDK's errors: a refused request carries the server's NRV_ code; a request that never got an
// answer is a network error. SDK layer, shared by the REST and the live client.

/** The body of every error reply of the server (docs/errors.md). */
export interface ErrorBody {
  readonly code: string
  readonly message: string
  readonly details?: Readonly<Record<string, unknown>>
}

/**
 * The server answered a request with an error: a non-2xx HTTP reply, or an `error` message over
 * the live connection (then `status` is 0). `code` is the server's code, such as `NRV_NOT_FOUND`.
 */
export class NarvaroApiError extends Error {
  override readonly name = 'NarvaroApiError'
  readonly code: string
  readonly status: number
  readonly details: Readonly<Record<string, unknown>>

  constructor(status: number, body: ErrorBody) {
    super(body.message)
    this.code = body.code
    this.status = status
    this.details = body.details ?? {}
  }
}

/** No answer came: the server could not be reached, or the connection ended before the answer. */
export class NarvaroNetworkError extends Error {
  override readonly name = 'NarvaroNetworkError'

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

const isErrorBody = (body: unknown): body is ErrorBody =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as { code?: unknown }).code === 'string' &&
  typeof (body as { message?: unknown }).message === 'string'

/** The typed error for a non-2xx reply, whatever its body (a proxy's HTML page included). */
export const toApiError = (status: number, body: unknown): NarvaroApiError =>
  isErrorBody(body)
    ? new NarvaroApiError(status, body)
    : new NarvaroApiError(status, { code: 'NRV_HTTP_' + String(status), message: `HTTP ${status}` })
