// Integration-test fixtures: each test starts the real server through `useServer`, and after the test
// every WebSocket it opened is closed and the server stopped, so test files keep no cleanup of their
// own; `useSharedServer` is one server for a file whose tests leave nothing another would see.
import { afterAll, afterEach, beforeAll } from 'vitest'
import { adminTokenDirectly } from './direct-users.js'
import type { Harness, Message } from './server-harness.js'
import { TestSocket, domain, startHarness } from './server-harness.js'

/** Nobody turns idle while the tests move the clock by hours. */
export const neverIdle = { NARVARO_IDLE_AFTER: '86400' }

/** A laptop publishing that its person is available and can chat. */
export const laptopAvailable = {
  type: 'publish',
  source: 'laptop',
  availability: 'available',
  device: { capabilities: ['im'] },
}

/** What a watcher sees of someone, as far as these tests look at it. */
export type View = { availability: string; activities?: { kind: string; until?: number }[] }
export const viewOf = (m: Message) => m['view'] as View

export interface ServerFixture {
  /** The server of the running test; it throws when the test has not started one. */
  readonly harness: Harness
  /** Starts the server for this test, again after a `stop({ keepData: true })` to restart it. */
  start(options?: Parameters<typeof startHarness>[0]): Promise<Harness>
  /** A WebSocket on the running server, closed after the test. */
  open(token: string | undefined): Promise<TestSocket>
}

/**
 * Registers the after-each cleanup of the current `describe` (or file) and returns the fixture;
 * `defaults` are settings of every server it starts (a test's own come after them).
 */
export const useServer = (defaults: Record<string, string | undefined> = {}): ServerFixture => {
  let harness: Harness | undefined
  const sockets: TestSocket[] = []
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()))
    await harness?.stop()
    harness = undefined
  })
  const running = (): Harness => {
    if (!harness) throw new Error('no server: call start() first')
    return harness
  }
  return {
    get harness() {
      return running()
    },
    start: async (options = {}) =>
      (harness = await startHarness({ ...options, env: { ...defaults, ...options.env } })),
    open: async (token) => {
      const socket = await TestSocket.open(running().url, token)
      sockets.push(socket)
      return socket
    },
  }
}

/** Amy online on her laptop, and Bo watching her. */
export const amyWatchedByBo = async (server: ServerFixture, tokens: Record<string, string>) => {
  const amy = await server.open(tokens['amy']!)
  await amy.request(laptopAvailable)
  const bo = await server.open(tokens['bo']!)
  await bo.request({ type: 'subscribe', addresses: [`amy@${domain}`] })
  const snapshot = await bo.next((m) => m.type === 'snapshot')
  return { amy, bo, snapshot }
}

export interface SharedServer {
  /** The server of the file (or `describe`); it throws before the tests start. */
  readonly harness: Harness
  /** A token of the first admin, issued without signing in. */
  readonly admin: string
}

/**
 * One server for all tests of the current `describe` (or file), for tests that leave nothing behind
 * that another would see: started before them, stopped after them.
 */
export const useSharedServer = (options?: Parameters<typeof startHarness>[0]): SharedServer => {
  let harness: Harness | undefined
  let admin: string | undefined
  beforeAll(async () => {
    harness = await startHarness(options)
    admin = await adminTokenDirectly(harness.server.services)
  })
  afterAll(() => harness?.stop())
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the shared server starts before the tests')
    return value
  }
  return {
    get harness() {
      return ready(harness)
    },
    get admin() {
      return ready(admin)
    },
  }
}
