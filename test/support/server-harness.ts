// Integration-test harness: the real server on port 0 with a temporary data directory, and small
// HTTP, WebSocket and SSE clients that wait for events instead of sleeping.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { WebSocket } from 'ws'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import type { Clock } from '../../src/ports/clock.js'
import { loadConfig } from '../../src/server/config.js'
import type { NarvaroServer } from '../../src/server/narvaro-server.js'
import { startServer } from '../../src/server/narvaro-server.js'
import { createLogger } from '../../src/server/logger.js'
import { seedTestCertificate } from './test-certificate.js'
import type { ServerMessageType } from '../../src/transports/ws/ws-messages.js'
import { serverMessageValidators } from '../../src/transports/ws/ws-messages.js'

export const adminPassword = 'correct horse battery staple'

/**
 * The test servers' NARVARO_OUTBOUND_HOSTS: test receivers (webhooks, calendar feeds) listen on
 * loopback, which the default (`public`) refuses. A test of the default passes it `undefined`.
 */
export const testOutboundHosts = { NARVARO_OUTBOUND_HOSTS: 'public, 127.0.0.0/8, ::1, localhost' }
export const domain = 'acme.example'

/**
 * The test servers' argon2 cost: the floor the settings allow (NARVARO_PASSWORD_HASH_*), a quarter
 * of the production work per hash. The sign-in tests, about that work, pass `productionPasswordCost`.
 */
export const testPasswordCost = {
  NARVARO_PASSWORD_HASH_MEMORY: '19',
  NARVARO_PASSWORD_HASH_PASSES: '2',
}
/** The production argon2 cost (the defaults), for tests that start a server with `testPasswordCost`. */
export const productionPasswordCost = {
  NARVARO_PASSWORD_HASH_MEMORY: undefined,
  NARVARO_PASSWORD_HASH_PASSES: undefined,
}

export interface Harness {
  readonly server: NarvaroServer
  readonly url: string
  readonly dataDir: string
  readonly clock: Clock
  stop(options?: { keepData?: boolean }): Promise<void>
}

export const startHarness = async (
  options: {
    clock?: Clock
    dataDir?: string
    env?: Record<string, string | undefined>
    logger?: Logger
    /** A fixed port, e.g. to start a server again where the clients reconnect; 0 by default. */
    port?: number
  } = {},
): Promise<Harness> => {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'narvaro-test-'))
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
  // A new data directory gets the process's test certificate instead of generating a key per start.
  if (!options.dataDir) {
    if (config.xmppPort !== undefined && !config.xmppCertFile)
      await seedTestCertificate(dataDir, 'xmpp-tls', config.domain)
    if (config.sipTlsPort !== undefined && !config.sipCertFile)
      await seedTestCertificate(dataDir, 'sip-tls', config.domain)
  }
  const clock = options.clock ?? new FixedClock(Date.now())
  const logger = options.logger ?? createLogger('silent')
  const server = await startServer({ config, clock, logger })
  return {
    server,
    url: server.url,
    dataDir,
    clock,
    stop: async ({ keepData = false } = {}) => {
      await server.close()
      if (!keepData) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface ApiReply<T = Record<string, unknown>> {
  readonly status: number
  readonly body: T
  readonly headers: Headers
}

/** One HTTP call; the body is parsed as JSON when there is one. */
export const api = async <T = Record<string, unknown>>(
  url: string,
  request: { method?: string; path: string; token?: string; body?: unknown; rawBody?: string },
): Promise<ApiReply<T>> => {
  const headers: Record<string, string> = {}
  if (request.token) headers['authorization'] = `Bearer ${request.token}`
  const hasBody = request.body !== undefined || request.rawBody !== undefined
  if (hasBody) headers['content-type'] = 'application/json'
  const response = await fetch(url + request.path, {
    method: request.method ?? (hasBody ? 'POST' : 'GET'),
    headers,
    ...(hasBody ? { body: request.rawBody ?? JSON.stringify(request.body) } : {}),
  })
  const text = await response.text()
  const body = (text ? JSON.parse(text) : {}) as T
  return { status: response.status, body, headers: response.headers }
}

/**
 * Signs in and returns the token. A one-time password (set by an admin) is changed at once, to
 * `newPassword` (by default the old one with `-changed`), so the token is a full one.
 */
export const login = async (
  url: string,
  address: string,
  password: string,
  newPassword = `${password}-changed`,
): Promise<string> => {
  const reply = await api<{ token: string; mustChangePassword?: boolean }>(url, {
    path: '/v1/auth/login',
    body: { address, password },
  })
  if (reply.status !== 200)
    throw new Error(`login of ${address} failed: ${JSON.stringify(reply.body)}`)
  if (reply.body.mustChangePassword) {
    const changed = await api(url, {
      method: 'PUT',
      path: '/v1/me/password',
      token: reply.body.token,
      body: { currentPassword: password, newPassword },
    })
    if (changed.status !== 200)
      throw new Error(
        `changing the one-time password of ${address} failed: ${JSON.stringify(changed.body)}`,
      )
  }
  return reply.body.token
}

/** The password `addUsers` leaves each user with (after changing the one-time one). */
export const passwordOf = (name: string): string => `${name}-password-long`

/**
 * Signs in the admin, adds users with one-time passwords, and signs them in, changing each to
 * `passwordOf(name)`.
 */
export const addUsers = async (
  url: string,
  names: readonly string[],
): Promise<{ admin: string; tokens: Record<string, string> }> => {
  const admin = await login(url, `admin@${domain}`, adminPassword)
  const tokens: Record<string, string> = {}
  for (const name of names) {
    const oneTime = `${name}-first-password`
    const reply = await api(url, {
      path: '/v1/users',
      token: admin,
      body: { address: name, password: oneTime, displayName: name },
    })
    if (reply.status !== 201)
      throw new Error(`adding ${name} failed: ${JSON.stringify(reply.body)}`)
    tokens[name] = await login(url, `${name}@${domain}`, oneTime, passwordOf(name))
  }
  return { admin, tokens }
}

export type Message = Record<string, unknown> & { type: string }

/** A WebSocket client that records every message and lets a test wait for the next matching one. */
export class TestSocket {
  readonly messages: Message[] = []
  /** Messages that did not match the server message schemas: tests expect none. */
  readonly invalid: Message[] = []
  private waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = []
  private readCount = 0
  closeCode: number | undefined
  readonly closed: Promise<number>

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Message
      // Every server message must match its published schema (docs/protocol.md).
      const validator = serverMessageValidators[message.type as ServerMessageType]
      if (!validator?.Check(message)) this.invalid.push(message)
      this.messages.push(message)
      this.waiters = this.waiters.filter((w) =>
        w.match(message) ? (w.resolve(message), false) : true,
      )
    })
    this.closed = new Promise((resolve) =>
      socket.on('close', (code) => resolve((this.closeCode = code))),
    )
  }

  static async open(url: string, token?: string): Promise<TestSocket> {
    const socket = new WebSocket(url.replace(/^http/, 'ws') + '/v1/ws', {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
    const client = new TestSocket(socket)
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    await client.next((m) => m.type === 'welcome')
    return client
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message))
  }

  /** The first message after the last one consumed that matches, waiting for it if needed. */
  next(match: (m: Message) => boolean = () => true, timeoutMs = 5000): Promise<Message> {
    for (let i = this.readCount; i < this.messages.length; i++) {
      const message = this.messages[i]!
      if (match(message)) {
        this.readCount = i + 1
        return Promise.resolve(message)
      }
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching message in time')), timeoutMs)
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer)
          this.readCount = this.messages.indexOf(m) + 1
          resolve(m)
        },
      })
    })
  }

  /** Sends a request with an id and waits for its ack or error. */
  async request(message: Record<string, unknown>): Promise<Message> {
    const id = `r${Math.random().toString(36).slice(2)}`
    this.send({ ...message, id })
    return this.next((m) => m.id === id && (m.type === 'ack' || m.type === 'error'))
  }

  /** Messages of a type, so far. */
  all(type: string): Message[] {
    return this.messages.filter((m) => m.type === type)
  }

  close(): Promise<number> {
    if (this.invalid.length > 0)
      throw new Error(`messages off their schema: ${JSON.stringify(this.invalid)}`)
    this.socket.close()
    return this.closed
  }
}

/** Waits until `check` holds, polling on the event loop (no fixed sleeps). */
export const eventually = async (
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
