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

/**
 * Why no answer came: `connection` (the server could not be reached, or the connection ended
 * before the answer), `timeout` (a time limit ended the call: the client's `timeoutMs`, or a
 * caller's `AbortSignal.timeout`) or `aborted` (the caller's signal ended it).
 */
export type NetworkFailureReason = 'connection' | 'timeout' | 'aborted'

/** No answer came: the server could not be reached, took too long, or the call was aborted. */
export class NarvaroNetworkError extends Error {
  override readonly name = 'NarvaroNetworkError'
  /** Why; a timeout is `timeout` whichever limit ended the call. */
  readonly reason: NetworkFailureReason
  /** The client's time limit, when that is what ended the call. */
  readonly timeoutMs?: number

  constructor(
    message: string,
    options: { cause?: unknown; reason?: NetworkFailureReason; timeoutMs?: number } = {},
  ) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined)
    this.reason = options.reason ?? 'connection'
    if (options.timeoutMs !== undefined) this.timeoutMs = options.timeoutMs
  }
}

const nameOf = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined

/** fetch's ways of failing without an answer: a TypeError, or the reason of an aborted signal. */
export const isNetworkFailure = (error: unknown): boolean =>
  error instanceof TypeError || nameOf(error) === 'TimeoutError' || nameOf(error) === 'AbortError'

/** The NarvaroNetworkError for what fetch threw, telling a timeout and an abort apart. */
export const networkError = (cause: unknown): NarvaroNetworkError => {
  const name = nameOf(cause)
  if (name === 'TimeoutError')
    return new NarvaroNetworkError('no answer in time', { cause, reason: 'timeout' })
  if (name === 'AbortError')
    return new NarvaroNetworkError('the call was aborted', { cause, reason: 'aborted' })
  return new NarvaroNetworkError('the server could not be reached', { cause })
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
