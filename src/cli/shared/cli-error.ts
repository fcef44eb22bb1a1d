// The CLI's one error type and its exit codes: 1 server/API error, 2 usage or configuration,
// 3 server unreachable; CLI layer.
import { NarvaroApiError, NarvaroNetworkError } from '@narvaro/sdk'
import { isNarvaroError } from '../../core/errors.js'

export const exitCodes = { ok: 0, api: 1, usage: 2, unreachable: 3 } as const
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes]

/** An error shown as `error CODE: message` (or `error: message` without a code). */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    readonly code?: string,
  ) {
    super(message)
    this.name = 'CliError'
  }
}

export const usageError = (message: string, code?: string): CliError =>
  new CliError(exitCodes.usage, message, code)

export const apiError = (code: string, message: string): CliError =>
  new CliError(exitCodes.api, message, code)

export const unreachableError = (url: string, reason: string): CliError =>
  new CliError(exitCodes.unreachable, `cannot reach the server at ${url} (${reason})`)

/** Why a request never got an answer, in a word the user can act on (ECONNREFUSED, ENOTFOUND…). */
export const networkReason = (error: unknown): string => {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out'
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause
  if (typeof cause?.code === 'string') return cause.code
  if (typeof cause?.message === 'string') return cause.message
  return error instanceof Error ? error.message : String(error)
}

/** A timeout names the limit it ran into (`no answer within 30 s`); other failures their cause. */
const unansweredReason = (error: NarvaroNetworkError): string => {
  if (error.reason !== 'timeout') return networkReason(error.cause)
  if (error.timeoutMs === undefined) return 'timed out'
  const seconds = error.timeoutMs / 1000
  return `no answer within ${seconds >= 1 ? `${String(seconds)} s` : `${String(error.timeoutMs)} ms`}`
}

/** The SDK's `NRV_HTTP_502` for a reply without an error body is the CLI's `HTTP_502`. */
const fromApiError = (error: NarvaroApiError): CliError => {
  if (!error.code.startsWith('NRV_HTTP_')) return apiError(error.code, error.message)
  return apiError(`HTTP_${error.status}`, `the server answered ${error.status}`)
}

/**
 * Any thrown value as a CliError: configuration errors are usage errors, a request the server
 * refused is an API error, one that got no answer from `server` exits 3, the rest are failures.
 */
export const toCliError = (error: unknown, server = 'the given URL'): CliError => {
  if (error instanceof CliError) return error
  if (error instanceof NarvaroApiError) return fromApiError(error)
  if (error instanceof NarvaroNetworkError) return unreachableError(server, unansweredReason(error))
  if (isNarvaroError(error)) {
    const exitCode = error.code === 'NRV_CONFIG_INVALID' ? exitCodes.usage : exitCodes.api
    return new CliError(exitCode, error.message, error.code)
  }
  const message = error instanceof Error ? error.message : String(error)
  return new CliError(exitCodes.api, message)
}

export const formatCliError = (error: CliError): string =>
  error.code ? `error ${error.code}: ${error.message}\n` : `error: ${error.message}\n`
