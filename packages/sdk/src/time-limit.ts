// The REST client's time limit: every call of `api` gets a signal that ends it after `timeoutMs`
// (joined with the caller's own signal), and a call that got no answer becomes a typed
// NarvaroNetworkError, whether it failed while connecting or while the reply was read. SDK layer.
import type { Client } from 'openapi-fetch'
import { NarvaroApiError, NarvaroNetworkError, isNetworkFailure, networkError } from './errors.js'
import type { paths } from './generated/openapi.js'

type Init = { signal?: AbortSignal | null } | undefined
type Call = (path: unknown, init?: Init) => Promise<unknown>
type RequestCall = (method: unknown, path: unknown, init?: Init) => Promise<unknown>

const methods = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const

/** AbortSignal.any where the platform has it (Node 20.3, current browsers), a relay elsewhere. */
const anySignal = (signals: readonly AbortSignal[]): AbortSignal => {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([...signals])
  const controller = new AbortController()
  const relay = (signal: AbortSignal) => () => controller.abort(signal.reason)
  for (const signal of signals) {
    if (signal.aborted) controller.abort(signal.reason)
    else signal.addEventListener('abort', relay(signal), { once: true })
  }
  return controller.signal
}

/**
 * What a failed call throws: the end of the time limit as a timeout naming it; the errors of the
 * middleware (NarvaroApiError, NarvaroNetworkError) as they are; a failure while the reply was read
 * (the caller's signal, a broken connection) as a NarvaroNetworkError; anything else as it is.
 */
const failure = (error: unknown, limit: AbortSignal | undefined, timeoutMs: number | undefined) => {
  if (limit?.aborted && timeoutMs !== undefined) {
    const message = `no answer within ${String(timeoutMs)} ms`
    return new NarvaroNetworkError(message, { cause: error, reason: 'timeout', timeoutMs })
  }
  if (error instanceof NarvaroApiError || error instanceof NarvaroNetworkError) return error
  return isNetworkFailure(error) ? networkError(error) : error
}

/** One call with the time limit; the caller's `signal` still ends it earlier. */
const limited = async (
  timeoutMs: number | undefined,
  init: Init,
  call: (init: Init) => Promise<unknown>,
): Promise<unknown> => {
  const limit = timeoutMs && timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined
  const own = init?.signal ?? undefined
  const signal = limit && own ? anySignal([own, limit]) : (limit ?? own)
  try {
    return await call(signal ? { ...init, signal } : init)
  } catch (error) {
    throw failure(error, limit, timeoutMs)
  }
}

/** `raw` with every method's calls under the time limit (none when `timeoutMs` is not set). */
export const withTimeLimit = (raw: Client<paths>, timeoutMs: number | undefined): Client<paths> => {
  const api = { ...raw } as unknown as Record<string, unknown>
  for (const method of methods) {
    const call = raw[method] as unknown as Call
    api[method] = ((path, init) => limited(timeoutMs, init, (i) => call(path, i))) satisfies Call
  }
  const request = raw.request as unknown as RequestCall
  api['request'] = ((method, path, init) =>
    limited(timeoutMs, init, (i) => request(method, path, i))) satisfies RequestCall
  return api as unknown as Client<paths>
}
