// Harness of the CLI integration tests: the real server in-process on port 0, and `main` run
// in-process with captured stdout and stderr, its own config directory and fake signals.
import { EventEmitter } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll } from 'vitest'
import type { InputStream, SignalSource, TextSink } from '../../../src/cli/shared/cli-io.js'
import { main } from '../../../src/cli/main.js'
import { loadConfig } from '../../../src/server/config.js'
import type { NarvaroServer } from '../../../src/server/narvaro-server.js'
import { startServer } from '../../../src/server/narvaro-server.js'
import { testOutboundHosts, testPasswordCost } from '../../support/server-harness.js'

export const domain = 'acme.example'
export const adminAddress = `admin@${domain}`
export const adminPassword = 'correct horse battery staple'

/** A text sink that keeps everything written and lets a test wait for a pattern. */
export class Capture implements TextSink {
  text = ''
  private waiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = []

  write(chunk: string): boolean {
    this.text += chunk
    this.waiters = this.waiters.filter((w) => {
      const match = this.text.match(w.pattern)
      if (match) w.resolve(match)
      return !match
    })
    return true
  }

  waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    const match = this.text.match(pattern)
    if (match) return Promise.resolve(match)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${this.text}`)), timeoutMs)
      this.waiters.push({
        pattern,
        resolve: (m) => {
          clearTimeout(timer)
          resolve(m)
        },
      })
    })
  }
}

export interface CliRun {
  readonly stdout: Capture
  readonly stderr: Capture
  readonly signals: EventEmitter & SignalSource
  /** The exit code, once the command ends. */
  readonly exit: Promise<number>
}

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Starts one `narvaro` command in-process; `stdin` is piped text, or an empty non-terminal. */
export const startCli = (
  args: readonly string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): CliRun => {
  const stdout = new Capture()
  const stderr = new Capture()
  const signals = new EventEmitter() as EventEmitter & SignalSource
  const stdin = Readable.from(
    options.stdin === undefined ? [] : [options.stdin],
  ) as unknown as InputStream
  const env = { HOME: tmpdir(), ...options.env }
  const exit = main(['node', 'narvaro', ...args], { stdout, stderr, stdin, env, signals })
  return { stdout, stderr, signals, exit }
}

export const runCli = async (
  args: readonly string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Promise<CliResult> => {
  const run = startCli(args, options)
  const code = await run.exit
  return { code, stdout: run.stdout.text, stderr: run.stderr.text }
}

export interface TestServer {
  readonly server: NarvaroServer
  readonly url: string
  readonly dataDir: string
  /** A fresh config directory for one person's saved sign-in. */
  configDir(name: string): string
  stop(): Promise<void>
}

/** The real server on `port` (default 0); `env` adds settings such as NARVARO_GRACE_PERIOD. */
export const startTestServer = async (
  options: { dataDir?: string; port?: number; env?: Record<string, string> } = {},
): Promise<TestServer> => {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'narvaro-cli-'))
  const config = loadConfig(
    {
      ...testOutboundHosts,
      ...testPasswordCost,
      NARVARO_ADMIN_PASSWORD: adminPassword,
      NARVARO_DOMAIN: domain,
      ...options.env,
    },
    { port: String(options.port ?? 0), 'data-dir': dataDir, 'log-level': 'silent' },
  )
  const server = await startServer({ config })
  return {
    server,
    url: server.url,
    dataDir,
    configDir: (name) => join(dataDir, `config-${name}`),
    stop: () => server.close(),
  }
}

export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true })

/** The environment of one person using the CLI against `server`. */
export const envOf = (server: TestServer, name: string): Record<string, string> => ({
  NARVARO_URL: server.url,
  NARVARO_CONFIG_DIR: server.configDir(name),
})

/**
 * Signs in with the CLI (password on stdin) and fails the test when that does not work; a one-time
 * password is changed to `newPassword` (the second line of stdin; by default `-changed` added).
 */
export const loginAs = async (
  server: TestServer,
  name: string,
  password: string,
  newPassword = `${password}-changed`,
): Promise<void> => {
  const result = await runCli(['login', `${name}@${domain}`, '--password-stdin'], {
    env: envOf(server, name),
    stdin: `${password}\n${newPassword}\n`,
  })
  if (result.code !== 0) throw new Error(`login of ${name} failed: ${result.stderr}`)
}

/**
 * Signs in as the admin, adds each user through `narvaro user add` with a one-time password, and
 * signs each of them in, changing it to `${name}-password-long`.
 */
export const addUsers = async (server: TestServer, names: readonly string[]): Promise<void> => {
  await loginAs(server, 'admin', adminPassword)
  for (const name of names) {
    const oneTime = `${name}-first-password`
    const added = await runCli(['user', 'add', name, '--password-stdin'], {
      env: envOf(server, 'admin'),
      stdin: oneTime,
    })
    if (added.code !== 0) throw new Error(added.stderr)
    await loginAs(server, name, oneTime, `${name}-password-long`)
  }
}

/**
 * The real server for the current `describe`, with `names` added and signed in: started before its
 * tests, stopped and its data removed after them. It stands for the server it started.
 */
export const useTestServer = (names: readonly string[]): TestServer => {
  let started: TestServer | undefined
  beforeAll(async () => {
    started = await startTestServer()
    await addUsers(started, names)
  })
  afterAll(async () => {
    if (!started) return
    await started.stop()
    removeDir(started.dataDir)
  })
  const server = (): TestServer => {
    if (!started) throw new Error('the test server has not started')
    return started
  }
  return {
    get server() {
      return server().server
    },
    get url() {
      return server().url
    },
    get dataDir() {
      return server().dataDir
    },
    configDir: (name) => server().configDir(name),
    stop: () => server().stop(),
  }
}

export const savedToken = (server: TestServer, name: string): string =>
  (
    JSON.parse(readFileSync(join(server.configDir(name), 'credentials.json'), 'utf8')) as {
      token: string
    }
  ).token

/** Publishes a live device for someone, as a desktop app would, so manual choices show. */
export const publishDevice = async (server: TestServer, name: string): Promise<void> => {
  const response = await fetch(`${server.url}/v1/me/presence/sources/laptop`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${savedToken(server, name)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      availability: 'available',
      device: { capabilities: ['im'] },
      ttlSeconds: 600,
    }),
  })
  if (!response.ok) throw new Error(`publishing for ${name} failed: ${await response.text()}`)
}
