// What every command that talks to a server needs: which server, which token (flag, environment or
// the saved sign-in), the output mode and the SDK's REST client; CLI layer.
import { NarvaroClient } from '@narvaro/sdk'
import { usageError } from './cli-error.js'
import type { CliIo } from './cli-io.js'
import type { Credentials } from './credentials.js'
import { loadCredentials } from './credentials.js'

export const defaultServer = 'http://127.0.0.1:7450'

/** How long a REST call may take before the CLI gives up on it (exit 3): a hung server or link. */
export const restTimeoutMs = 30_000

/** A longer limit for one command's calls (an upload, an import): its own time limit. */
export interface ClientLimit {
  readonly timeoutMs?: number
}

/**
 * The SDK's REST client as every command gets it: with the CLI's time limit (30 s unless the
 * command asks for a longer one). The one place in the CLI that makes a NarvaroClient.
 */
export const restClient = (
  server: string,
  token: string | undefined,
  limit: ClientLimit = {},
): NarvaroClient =>
  new NarvaroClient({
    baseUrl: server,
    ...(token ? { token } : {}),
    timeoutMs: limit.timeoutMs ?? restTimeoutMs,
  })

/** The root program's options, shared by every command. */
export interface GlobalOptions {
  readonly server?: string
  readonly token?: string
  readonly json?: boolean
}

export interface CliContext {
  readonly io: CliIo
  readonly json: boolean
  readonly server: string
  readonly saved?: Credentials
  /** The bearer token, for the WebSocket; a usage error when there is none. */
  token(): string
  /** The SDK's REST client, signing its calls; a usage error when there is no token. */
  client(limit?: ClientLimit): NarvaroClient
  /** The SDK's REST client without a token (sign-in). */
  anonymous(): NarvaroClient
}

/** The body of an answer of `client.api` (an error reply has thrown already). */
export const dataOf = async <T>(answer: Promise<{ readonly data?: T }>): Promise<T> =>
  (await answer).data as T

/** Checks a server URL (http or https) and drops a trailing slash; `from` names its origin. */
export const normalizeServer = (raw: string, from: string): string => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw usageError(`${from}: not a URL: ${JSON.stringify(raw)} (for example ${defaultServer})`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`${from}: the server URL must start with http:// or https://`)
  }
  return url.href.replace(/\/+$/, '')
}

const pickServer = (globals: GlobalOptions, io: CliIo, saved: Credentials | undefined): string => {
  if (globals.server) return normalizeServer(globals.server, '--server')
  const fromEnv = io.env['NARVARO_URL']
  if (fromEnv) return normalizeServer(fromEnv, 'NARVARO_URL')
  if (saved) return normalizeServer(saved.server, 'the saved sign-in')
  return defaultServer
}

/**
 * Resolves server and token: `--server`, NARVARO_URL, the saved server, the default; `--token`,
 * NARVARO_TOKEN, or the saved token, which is only ever sent to the server it was issued by.
 */
export const resolveContext = (io: CliIo, globals: GlobalOptions): CliContext => {
  const explicitToken = globals.token ?? io.env['NARVARO_TOKEN']
  const needsSaved = !globals.server || !explicitToken
  const saved = needsSaved ? loadCredentials(io.env) : undefined
  const server = pickServer(globals, io, saved)
  const savedToken =
    saved && normalizeServer(saved.server, 'the saved sign-in') === server ? saved.token : undefined
  const token = explicitToken || savedToken
  const requireToken = (): string => {
    if (token) return token
    const elsewhere = saved && !savedToken ? ` (the saved sign-in is for ${saved.server})` : ''
    throw usageError(
      `not signed in to ${server}${elsewhere}: run \`narvaro login ADDRESS\` or set NARVARO_TOKEN`,
    )
  }
  return {
    io,
    json: globals.json === true,
    server,
    ...(saved ? { saved } : {}),
    token: () => requireToken(),
    client: (limit) => restClient(server, requireToken(), limit),
    anonymous: () => restClient(server, undefined),
  }
}
