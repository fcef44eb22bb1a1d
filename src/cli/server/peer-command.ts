// `narvaro peer`: serverless mode on the person's own machine. A Närvaro server for one person on
// loopback (the CLI is signed in to it, the web app is served by it), announcing them on the chosen
// interfaces of the link and showing the people found there; stops with a goodbye on SIGTERM or
// SIGINT; CLI layer.
import type { Command } from 'commander'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { homedir, hostname, userInfo } from 'node:os'
import { join } from 'node:path'
import { usageError } from '../shared/cli-error.js'
import { waitForSignal } from '../shared/cli-io.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { saveCredentials } from '../shared/credentials.js'
import { writeLine } from '../shared/output.js'
import { reconnectMaxMs } from '../shared/reconnect-wait.js'
import type { NarvaroServer } from '../../server/narvaro-server.js'

interface PeerOptions {
  readonly interface: string[]
  readonly name?: string
  readonly machine?: string
  readonly port?: string
  readonly dataDir?: string
  readonly linkPort?: string
  readonly refresh?: string
  readonly logLevel?: string
  readonly join?: string
  readonly joinTokenFile?: string
}

const collect = (value: string, previous: string[]): string[] => [...previous, value]

/** A name part of `user@machine`: what a person types, without `@` or control characters. */
const namePart = (raw: string, what: string): string => {
  const value = raw.trim()
  if (!/^[^@\p{Cc}]{1,63}$/u.test(value))
    throw usageError(`${what} ${JSON.stringify(raw)}: 1 to 63 characters, no @`)
  return value
}

const numberIn = (
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
  flag: string,
) => {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max)
    throw usageError(`${flag} ${JSON.stringify(raw)}: an integer from ${min} to ${max}`)
  return value
}

/** The link settings of the flags. */
const linkOf = (options: PeerOptions) => {
  if (options.interface.length === 0)
    throw usageError('--interface NAME is required: the peer announces only where you say')
  return {
    user: namePart(options.name ?? userInfo().username, '--name'),
    machine: namePart(options.machine ?? hostname().split('.')[0]!, '--machine'),
    interfaces: options.interface,
    port: numberIn(options.linkPort, 5298, 1, 65535, '--link-port'),
    refreshMs: numberIn(options.refresh, 30, 1, 3600, '--refresh') * 1000,
  }
}

/**
 * The server to join (`--join URL`) and the person's token there: from `--join-token-file`, or
 * `NARVARO_JOIN_TOKEN` (never a flag, which other users of the machine could read).
 */
const joinOf = (io: CliRuntime['io'], options: PeerOptions) => {
  if (options.join === undefined) {
    if (options.joinTokenFile) throw usageError('--join-token-file needs --join URL')
    return {}
  }
  let url: URL
  try {
    url = new URL(options.join)
  } catch {
    throw usageError(
      `--join ${JSON.stringify(options.join)}: a URL such as https://narvaro.example.com`,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw usageError(`--join ${JSON.stringify(options.join)}: an http or https URL`)
  const token = options.joinTokenFile
    ? readTokenFile(options.joinTokenFile)
    : io.env['NARVARO_JOIN_TOKEN']?.trim()
  if (!token)
    throw usageError(
      '--join needs your token on that server: --join-token-file FILE or NARVARO_JOIN_TOKEN',
    )
  const server = url.origin + url.pathname.replace(/\/+$/, '')
  const retryMaxMs = reconnectMaxMs(io.env)
  return { join: { server, token, ...(retryMaxMs === undefined ? {} : { retryMaxMs }) } }
}

const readTokenFile = (file: string): string => {
  try {
    return readFileSync(file, 'utf8').trim()
  } catch (error) {
    throw usageError(`--join-token-file ${file}: ${(error as Error).message}`)
  }
}

/** The server's configuration: loopback, the peer's data directory, the link's organization. */
const configOf = async (io: CliRuntime['io'], options: PeerOptions, password: string) => {
  const { loadConfig } = await import('../../server/config.js')
  const { linkDomain } = await import('../../server/link-peer.js')
  const dataDir =
    options.dataDir ??
    io.env['NARVARO_DATA_DIR'] ??
    join(homedir(), '.local', 'share', 'narvaro-peer')
  return loadConfig(
    { ...io.env, NARVARO_ADMIN_PASSWORD: password },
    {
      host: '127.0.0.1',
      port: options.port ?? '7451',
      'data-dir': dataDir,
      domain: linkDomain,
      ...(options.logLevel ? { 'log-level': options.logLevel } : {}),
    },
  )
}

/** The name of the token the peer gives its CLI at each start. */
const cliTokenName = 'narvaro peer'

/**
 * The person of the peer, named as on the link on first start, with the CLI signed in as them; the
 * CLI's token of an earlier start is revoked (one sign-in at a time, not one more per start).
 */
const signInCli = async (
  io: CliRuntime['io'],
  server: NarvaroServer,
  address: string,
  user: string,
) => {
  const { setUpPerson } = await import('../../server/link-peer.js')
  const { auth } = server.services
  const person = await setUpPerson(server.services, address, server.firstStart ? user : undefined)
  for (const earlier of await auth.listTokens(person))
    if (earlier.name === cliTokenName && earlier.revokedAt === undefined)
      await auth.revokeToken(person, earlier.id)
  const { secret, token } = await auth.issueToken(person, { name: cliTokenName })
  saveCredentials(io.env, { server: server.url, address, token: secret, tokenId: token.id })
}

const peer = async (runtime: CliRuntime, options: PeerOptions): Promise<void> => {
  const { io } = runtime
  const link = { ...linkOf(options), ...joinOf(io, options) }
  const { startServer } = await import('../../server/narvaro-server.js')
  const { createLogger } = await import('../../server/logger.js')
  const { personAddressOf, startLink } = await import('../../server/link-peer.js')
  // The person's password for the web app, shown once on first start (the CLI gets a token).
  const password = io.env['NARVARO_ADMIN_PASSWORD'] ?? randomBytes(12).toString('base64url')
  const config = await configOf(io, options, password)
  const signal = waitForSignal(io.signals)
  const address = personAddressOf(link)
  const logger = createLogger(config.logLevel)
  const server = await startServer({ config, logger, firstAdminAddress: address }).catch(
    (error) => {
      signal.stop()
      throw error
    },
  )
  try {
    await signInCli(io, server, address, link.user)
    // A chat from a link-local XMPP client is shown here, in the person's terminal.
    const onChat = (from: string, body: string) =>
      writeLine(io.stderr, `chat from ${from}: ${body}`)
    const onNotice = (text: string) => writeLine(io.stderr, text)
    const running = await startLink(
      server.services,
      { ...link, dataDir: config.dataDir, onChat, onNotice },
      logger,
    )
    const on = link.interfaces.join(', ')
    writeLine(io.stderr, `Närvaro peer ${running.instance} (${address}) on ${on}`)
    writeLine(io.stderr, `  the CLI is signed in; the web app: ${server.url}`)
    if (server.firstStart && !io.env['NARVARO_ADMIN_PASSWORD'])
      writeLine(io.stderr, `  web app password (shown once): ${password}`)
    const name = await signal.received
    writeLine(io.stderr, `${name}: saying goodbye on the link`)
    await running.stop()
  } finally {
    await server.close()
  }
}

export const registerPeerCommand = (program: Command, runtime: CliRuntime): void => {
  program
    .command('peer')
    .description('serverless mode: announce yourself on the local network and see who is there')
    .option(
      '--interface <name>',
      'network interface to use (repeat for more; required)',
      collect,
      [],
    )
    .option('--name <user>', 'your name on the link: user of user@machine (default: login name)')
    .option('--machine <name>', 'this machine on the link (default: the host name)')
    .option('--port <port>', 'loopback port of the CLI and web app (default 7451)')
    .option('--data-dir <dir>', 'data directory (default ~/.local/share/narvaro-peer)')
    .option('--link-port <port>', 'port announced for direct connections (default 5298)')
    .option('--refresh <seconds>', 'how often to ask the link who is there (default 30)')
    .option(
      '--join <url>',
      'also join this Närvaro server (your presence up, your people there down)',
    )
    .option('--join-token-file <file>', 'your token on that server (or NARVARO_JOIN_TOKEN)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent')
    .action((options: PeerOptions) => peer(runtime, options))
}
