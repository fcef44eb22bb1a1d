// Unit tests of tabs sharing one live connection (SharedLive) on Node's BroadcastChannel, a stand-in
// for Web Locks and a fake WebSocket: a joining tab's state, each tab's own access, and the delivery
// mode all tabs agree on.
import { afterEach, describe, expect, it } from 'vitest'
import type { AccessEndedMessage, ConnectionState, WebSocketConstructor } from '../src/index.js'
import { NarvaroLive } from '../src/index.js'
import { shareLive, type ChannelLike, type SharedLive } from '../src/browser/index.js'
import { FakeLocks } from '../../../test/support/fake-locks.js'
import { FakeWebSocket } from './fakes.js'

let names = 0
const tabs: SharedLive[] = []
afterEach(() => {
  for (const tab of tabs.splice(0)) tab.close()
})

/** Waits (without a clock) for what the channel delivers in later turns. */
const until = async (check: () => boolean): Promise<void> => {
  for (let turn = 0; turn < 500; turn++) {
    if (check()) return
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error('never happened')
}

/** A browser: its lock and channel name, and tabs opened in it, each with its own token. */
const browser = () => {
  const name = `tabs-${++names}`
  const locks = new FakeLocks()
  const open = (token: string) => {
    const tab = shareLive({
      name,
      token,
      locks,
      channel: new BroadcastChannel(name) as unknown as ChannelLike,
      create: (restore) =>
        new NarvaroLive({
          baseUrl: 'http://narvaro.test',
          token,
          WebSocket: FakeWebSocket as unknown as WebSocketConstructor,
          transport: 'websocket',
          restore,
        }),
    })!
    tabs.push(tab)
    const states: ConnectionState[] = []
    const ended: AccessEndedMessage[] = []
    tab.on('state', ({ state }) => states.push(state))
    tab.on('access-ended', (message) => ended.push(message))
    return { tab, states, ended }
  }
  return { open }
}

/** A fresh browser whose first tab (token `nrv_a`) holds the connection, already welcomed. */
const withLeader = () => {
  FakeWebSocket.sockets = []
  const b = browser()
  const first = b.open('nrv_a')
  FakeWebSocket.last.welcome()
  return { b, first, socket: FakeWebSocket.last }
}

const sentOf = (socket: FakeWebSocket, type: string) =>
  socket.sent.filter((m) => m['type'] === type)

/** Answers the last request of that type with an ack. */
const ack = (socket: FakeWebSocket, type: string, body: Record<string, unknown> = {}) =>
  socket.receive({ type: 'ack', id: sentOf(socket, type).at(-1)!['id'], ...body })

describe('tabs sharing one live connection', () => {
  it('a tab that joins a live connection gets its state at once, and connect() resolves', async () => {
    FakeWebSocket.sockets = []
    const b = browser()
    const first = b.open('nrv_a')
    first.tab.connect().catch(() => undefined)
    FakeWebSocket.last.welcome()
    expect(first.tab.state).toBe('live')
    const second = b.open('nrv_b')
    await second.tab.connect()
    expect(second.tab.leader).toBe(false)
    expect(second.states).toEqual(['live'])
    expect(FakeWebSocket.sockets).toHaveLength(1)
  })

  it('a tab hears access-ended for its own token, and the other tabs do not', async () => {
    const { b, first, socket } = withLeader()
    const second = b.open('nrv_b')
    const third = b.open('nrv_c')
    await Promise.all([second.tab.connect(), third.tab.connect()])
    await until(() => sentOf(socket, 'attach-token').length === 2)
    expect(sentOf(socket, 'attach-token').map((m) => m['token'])).toEqual(['nrv_b', 'nrv_c'])
    ack(socket, 'attach-token', { token: 'id-c' })
    const published = second.tab.publish({ source: 'web-b', availability: 'available' })
    await until(() => sentOf(socket, 'publish').length === 1)
    ack(socket, 'publish', { outcome: 'changed' })
    await published
    socket.receive({ type: 'token-ended', token: 'id-c', reason: 'token-revoked' })
    await until(() => third.ended.length === 1)
    expect(third.ended).toEqual([{ type: 'access-ended', reason: 'token-revoked' }])
    expect(sentOf(socket, 'retract')).toEqual([])
    expect(first.ended).toEqual([])
    expect(second.ended).toEqual([])
  })

  it("ends a tab's own access when its token is refused, with its own publications", async () => {
    const { b, socket } = withLeader()
    const second = b.open('nrv_b')
    await second.tab.connect()
    const published = second.tab.publish({ source: 'web-b', availability: 'available' })
    await until(() => sentOf(socket, 'publish').length === 1)
    ack(socket, 'publish', { outcome: 'changed' })
    await published
    await until(() => sentOf(socket, 'attach-token').length === 1)
    const refused = sentOf(socket, 'attach-token')[0]!
    socket.receive({ type: 'error', id: refused['id'], code: 'NRV_UNAUTHENTICATED', message: 'no' })
    await until(() => second.ended.length === 1)
    expect(sentOf(socket, 'retract').map((m) => m['source'])).toEqual(['web-b'])
    expect(second.tab.state).toBe('closed')
  })

  it("the leader's own access ends its tab and those on its token; the next tab takes over", async () => {
    const { b, first } = withLeader()
    const second = b.open('nrv_b')
    const twin = b.open('nrv_a')
    await Promise.all([second.tab.connect(), twin.tab.connect()])
    await until(() => sentOf(FakeWebSocket.last, 'attach-token').length === 1)
    FakeWebSocket.last.receive({ type: 'access-ended', reason: 'token-revoked' })
    await until(() => twin.ended.length === 1 && second.tab.leader)
    expect(first.ended).toEqual([{ type: 'access-ended', reason: 'token-revoked' }])
    expect(second.ended).toEqual([])
    expect(FakeWebSocket.sockets).toHaveLength(2)
    expect(new URL(FakeWebSocket.last.url).searchParams.get('access_token')).toBe('nrv_b')
  })

  it('coalesces delivery only while every tab asks for it, at the shortest interval', async () => {
    const { b, first, socket } = withLeader()
    const second = b.open('nrv_b')
    await second.tab.connect()
    await until(() => sentOf(socket, 'attach-token').length === 1)
    const modes = () => sentOf(socket, 'delivery').map((m) => [m['mode'], m['intervalMs']])
    /** What the connection is told after `step`. */
    const after = async (step: () => Promise<unknown> | void) => {
      const sent = modes().length
      const done = step()
      await until(() => modes().length > sent)
      ack(socket, 'delivery')
      await done
      return modes().at(-1)
    }
    expect(await after(() => first.tab.delivery('coalesced', 30_000))).toEqual(['live', undefined])
    expect(await after(() => second.tab.delivery('coalesced', 20_000))).toEqual([
      'coalesced',
      20_000,
    ])
    expect(await after(() => second.tab.close())).toEqual(['coalesced', 30_000])
  })
})
