// `narvaro serve`: starts the server from flags and NARVARO_* variables, tells the terminal (not
// the log) how to sign in on first start, and stops cleanly on SIGTERM or SIGINT; CLI layer.
import type { Command } from 'commander'
import type { NarvaroConfig } from '../../server/config.js'
import type { NarvaroServer } from '../../server/narvaro-server.js'
import { CliError, exitCodes } from '../shared/cli-error.js'
import type { CliIo, TextSink } from '../shared/cli-io.js'
import { waitForSignal } from '../shared/cli-io.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { defaultServer } from '../shared/cli-context.js'
import { writeLine } from '../shared/output.js'
import { availableParallelism } from 'node:os'
import { missingHeapFlags } from '../../server/heap-flags.js'
import { checkWorkers, isWorker, runPrimary, workerCount } from './serve-workers.js'

interface ServeOptions {
  readonly port?: string
  readonly host?: string
  readonly dataDir?: string
  readonly logLevel?: string
  readonly domain?: string
  readonly workers?: string
  readonly xmppPort?: string
  readonly sipPort?: string
}

/** Flags by the names `configFields` gives them; loadConfig names the bad one in its error. */
const flagsOf = (options: ServeOptions): Record<string, string | undefined> => ({
  port: options.port,
  host: options.host,
  'data-dir': options.dataDir,
  'log-level': options.logLevel,
  domain: options.domain,
  workers: options.workers,
  'xmpp-port': options.xmppPort,
  'sip-port': options.sipPort,
})

/** What the terminal is told about a started server (a worker sends the primary the same). */
export type Started = Pick<NarvaroServer, 'firstStart' | 'url'> & {
  readonly xmpp?: { readonly port: number; readonly directTlsPort?: number }
}

const signInHint = (server: Started, address: string): string => {
  const flag = server.url === defaultServer ? '' : ` --server ${server.url}`
  return `sign in with: narvaro login ${address}${flag}`
}

/** Written to the terminal only: the one-time password must never reach a log line. */
const printStarted = (out: TextSink, server: Started, config: NarvaroConfig): void => {
  const first = server.firstStart
  if (first) {
    writeLine(out, `First start: created organization ${first.domain}`)
    writeLine(out, `  admin:    ${first.adminAddress}`)
    if (first.generatedPassword) {
      writeLine(out, `  password: ${first.generatedPassword}`)
      writeLine(out, '  This password is shown once and never again: keep it now.')
    } else {
      writeLine(out, '  password: the one in NARVARO_ADMIN_PASSWORD')
    }
  }
  writeLine(out, `Närvaro is listening on ${server.url} (data in ${config.dataDir})`)
  writeLine(out, signInHint(server, first?.adminAddress ?? 'ADDRESS'))
  if (server.xmpp) writeLine(out, xmppHint(server.xmpp, config))
}

const heapHint = (missing: readonly string[]): string =>
  `note: Node runs without ${missing.join(' ')}, the heap settings the server is meant to run with (npm start gives them; docs/deploy.md, "Node flags")`

/** Where XMPP clients connect (docs/xmpp.md says how to point one at it). */
const xmppHint = (xmpp: NonNullable<Started['xmpp']>, config: NarvaroConfig): string => {
  const direct =
    xmpp.directTlsPort === undefined ? '' : `, direct TLS on port ${xmpp.directTlsPort}`
  const tls = config.xmppTls === 'optional' ? 'STARTTLS optional' : 'STARTTLS'
  return `XMPP clients: ${config.host} port ${xmpp.port} (${tls}${direct}), accounts like user@${config.domain}`
}

const startedOf = (server: NarvaroServer): Started => ({
  url: server.url,
  ...(server.firstStart ? { firstStart: server.firstStart } : {}),
  ...(server.xmpp
    ? { xmpp: { port: server.xmpp.port, directTlsPort: server.xmpp.directTlsPort } }
    : {}),
})

const listenError = (error: unknown, config: NarvaroConfig): CliError | undefined => {
  const code = (error as { code?: unknown }).code
  if (code === 'EADDRINUSE')
    return new CliError(exitCodes.api, `${config.host}:${config.port} is already in use`)
  if (code === 'EACCES')
    return new CliError(exitCodes.api, `no permission to listen on ${config.host}:${config.port}`)
  return undefined
}

/**
 * A terminal that went away (`narvaro serve 2>&1 | head -1`) must not stop the server: a write to
 * a closed pipe fails with EPIPE as an 'error' event, which would otherwise end the process.
 */
const ignoreClosedTerminal = (sink: TextSink): void => {
  const stream = sink as Partial<NodeJS.EventEmitter>
  if (typeof stream.on === 'function') stream.on('error', () => {})
}

const serve = async (runtime: CliRuntime, options: ServeOptions): Promise<void> => {
  const { io } = runtime
  ignoreClosedTerminal(io.stderr)
  // loaded here, so that client commands start without loading the server
  const { loadConfig } = await import('../../server/config.js')
  const { startServer } = await import('../../server/narvaro-server.js')
  const config = loadConfig(io.env, flagsOf(options))
  const count = workerCount(config, availableParallelism())
  checkWorkers(config, count)
  if (count > 1 && !isWorker()) return servePrimary(io, config, count)
  const signal = waitForSignal(io.signals)
  let server: NarvaroServer
  try {
    server = await startServer({ config, lockDataDir: !isWorker() })
  } catch (error) {
    signal.stop()
    throw listenError(error, config) ?? error
  }
  // A worker tells the primary, which tells the terminal.
  if (isWorker()) process.send?.({ type: 'listening', started: startedOf(server) })
  else {
    printStarted(io.stderr, server, config)
    const missing = missingHeapFlags(process.execArgv, io.env['NODE_OPTIONS'])
    if (missing.length > 0) writeLine(io.stderr, heapHint(missing))
  }
  const name = await signal.received
  writeLine(io.stderr, `${name}: stopping`)
  await server.close()
}

/** The primary of `--workers`: holds the data directory while its workers serve. */
const servePrimary = async (io: CliIo, config: NarvaroConfig, count: number): Promise<void> => {
  const { lockDataDir } = await import('../../server/data-dir-lock.js')
  const lock = lockDataDir(config.dataDir, { now: Date.now() })
  try {
    await runPrimary(io, count, (started) => printStarted(io.stderr, started, config))
  } finally {
    lock.release()
  }
}

export const registerServeCommand = (program: Command, runtime: CliRuntime): void => {
  program
    .command('serve')
    .description('run the Närvaro server (flags override NARVARO_* variables)')
    .option('--port <port>', 'TCP port (NARVARO_PORT, default 7450; 0: any free port)')
    .option('--host <host>', 'address to listen on (NARVARO_HOST, default 127.0.0.1)')
    .option('--data-dir <dir>', 'directory of the SQLite database (NARVARO_DATA_DIR)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent')
    .option('--domain <domain>', 'domain of the organization created on first start')
    .option(
      '--workers <n>',
      'node processes behind the port (NARVARO_WORKERS; default one per core with NARVARO_REDIS_URL)',
    )
    .option('--xmpp-port <port>', 'XMPP client port (NARVARO_XMPP_PORT; unset: no XMPP)')
    .option('--sip-port <port>', 'SIP port, UDP and TCP (NARVARO_SIP_PORT; unset: no SIP)')
    .action((options: ServeOptions) => serve(runtime, options))
}
