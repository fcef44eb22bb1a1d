// The CLI's one error type and its exit codes: 1 server/API error, 2 usage or configuration,
// 3 server unreachable; CLI layer.
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

/** Any thrown value as a CliError: configuration errors are usage errors, the rest are failures. */
export const toCliError = (error: unknown): CliError => {
  if (error instanceof CliError) return error
  if (isNarvaroError(error)) {
    const exitCode = error.code === 'NRV_CONFIG_INVALID' ? exitCodes.usage : exitCodes.api
    return new CliError(exitCode, error.message, error.code)
  }
  const message = error instanceof Error ? error.message : String(error)
  return new CliError(exitCodes.api, message)
}

export const formatCliError = (error: CliError): string =>
  error.code ? `error ${error.code}: ${error.message}\n` : `error: ${error.message}\n`
