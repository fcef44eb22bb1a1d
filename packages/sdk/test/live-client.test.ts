// Unit tests of the SDK's live client on a fake WebSocket and hand-moved timers: backoff, heartbeats,
// the connection state, deduplication and what a reconnect restores.
import { beforeEach, describe, expect, it } from 'vitest'
import type { ChangeMessage, ConnectionState, WebSocketConstructor } from '../src/index.js'
import { NarvaroLive, backoffDelay } from '../src/index.js'
import { FakeWebSocket, ManualTimers } from './fakes.js'

const view = (note: string) => ({
  address: 'amy@acme.example',
  availability: 'available',
  note: { text: note },
})

const setup = () => {
  FakeWebSocket.sockets = []
  const timers = new ManualTimers()
  const live = new NarvaroLive({
    baseUrl: 'http://narvaro.test',
    token: 'nrv_t',
    WebSocket: FakeWebSocket as unknown as WebSocketConstructor,
    transport: 'websocket',
    timers,
    staleAfterMs: 200,
    pongTimeoutMs: 500,
    backoff: { initialMs: 100, maxMs: 1000, random: () => 0.5 },
  })
  const states: ConnectionState[] = []
  const changes: ChangeMessage[] = []
  live.on('state', ({ state }) => states.push(state))
  live.on('change', (m) => changes.push(m))
  return { live, timers, states, changes }
}

describe('backoffDelay', () => {
  it('draws each delay between 0 and a cap that doubles up to the maximum', () => {
    expect(backoffDelay(0, { initialMs: 100, random: () => 0.999 })).toBe(99)
    expect(backoffDelay(3, { initialMs: 100, random: () => 0.5 })).toBe(400)
    expect(backoffDelay(20, { initialMs: 100, maxMs: 5000, random: () => 0.5 })).toBe(2500)
    expect(backoffDelay(5, { random: () => 0 })).toBe(0)
  })
})

describe('the live client', () => {
  let t: ReturnType<typeof setup>
  beforeEach(() => (t = setup()))

  it('is live after the welcome, and passes the token where browsers can send it', async () => {
    const connected = t.live.connect()
    FakeWebSocket.last.welcome()
    await connected
    expect(t.states).toEqual(['connecting', 'live'])
    expect(new URL(FakeWebSocket.last.url).searchParams.get('access_token')).toBe('nrv_t')
    expect(FakeWebSocket.last.url).toMatch(/^ws:\/\/narvaro\.test\/v1\/ws/)
  })

  it('pings after a quiet heartbeat, turns stale only while the pong is late, and live again on it', async () => {
    const connected = t.live.connect()
    FakeWebSocket.last.welcome('e1', 1000)
    await connected
    t.timers.advance(1000)
    const ping = FakeWebSocket.last.sent.at(-1)
    expect(ping).toMatchObject({ type: 'ping' })
    expect(t.live.state).toBe('live')
    t.timers.advance(200)
    expect(t.live.state).toBe('stale')
    FakeWebSocket.last.receive({ type: 'pong', id: ping?.['id'] })
    expect(t.live.state).toBe('live')
  })

  it('drops a connection whose ping got no answer, and reconnects after a jittered backoff', async () => {
    const connected = t.live.connect()
    FakeWebSocket.last.welcome('e1', 1000)
    await connected
    const delays: number[] = []
    t.live.on('reconnecting', ({ delayMs }) => delays.push(delayMs))
    t.timers.advance(1000 + 500)
    expect(t.live.state).toBe('offline')
    expect(delays).toEqual([50])
    t.timers.advance(50)
    expect(FakeWebSocket.sockets).toHaveLength(2)
    expect(t.states).toEqual(['connecting', 'live', 'stale', 'offline', 'connecting'])
  })

  it('delivers each change once and never one that a snapshot already covers', async () => {
    const connected = t.live.connect()
    FakeWebSocket.last.welcome()
    await connected
    const socket = FakeWebSocket.last
    socket.receive({ type: 'snapshot', address: 'amy@acme.example', seq: 10, view: view('a') })
    socket.receive({ type: 'change', address: 'amy@acme.example', seq: 9, view: view('old') })
    socket.receive({ type: 'change', address: 'amy@acme.example', seq: 11, view: view('b') })
    socket.receive({ type: 'change', address: 'amy@acme.example', seq: 11, view: view('b') })
    expect(t.changes.map((c) => c.seq)).toEqual([11])
  })

  it('after a reconnect resumes from its cursor and publishes its device again, as not active', async () => {
    const connected = t.live.connect()
    FakeWebSocket.last.welcome('e1')
    await connected
    const first = FakeWebSocket.last
    const subscribed = t.live.subscribe(['amy@acme.example'])
    first.receive({ type: 'ack', id: first.sent.at(-1)?.['id'], subscribed: ['amy@acme.example'] })
    await subscribed
    const published = t.live.publish({ source: 'laptop', availability: 'busy' })
    first.receive({ type: 'ack', id: first.sent.at(-1)?.['id'], outcome: 'changed' })
    await published
    first.receive({ type: 'snapshot', address: 'amy@acme.example', seq: 10, view: view('a') })
    first.receive({ type: 'change', address: 'amy@acme.example', seq: 12, view: view('b') })
    first.close(1006, '')
    t.timers.advance(1000)
    FakeWebSocket.last.welcome('e1')
    const sent = FakeWebSocket.last.sent
    expect(sent[0]).toMatchObject({
      type: 'subscribe',
      addresses: ['amy@acme.example'],
      resume: { epoch: 'e1', cursor: 12 },
    })
    expect(sent[1]).toMatchObject({
      type: 'publish',
      source: 'laptop',
      availability: 'busy',
      active: false,
    })
  })

  it('tells how the last connection closed, and how the restored publication was answered', async () => {
    const connected = t.live.connect()
    FakeWebSocket.last.welcome('e1')
    await connected
    const published = t.live.publish({ source: 'laptop', availability: 'busy' })
    FakeWebSocket.last.receive({ type: 'ack', id: FakeWebSocket.last.sent.at(-1)?.['id'] })
    await published
    const reconnecting: { code: number; reason: string }[] = []
    const republished: { source: string; code?: string }[] = []
    t.live.on('reconnecting', ({ code, reason }) => reconnecting.push({ code, reason }))
    t.live.on('republished', ({ publication, error }) =>
      republished.push({ source: publication.source, ...(error ? { code: error.code } : {}) }),
    )
    FakeWebSocket.last.close(1001, 'going away')
    expect(reconnecting).toEqual([{ code: 1001, reason: 'going away' }])
    t.timers.advance(1000)
    FakeWebSocket.last.welcome('e1')
    const again = FakeWebSocket.last.sent.at(-1)
    FakeWebSocket.last.receive({
      type: 'error',
      id: again?.['id'],
      code: 'NRV_RATE_LIMITED',
      message: 'slow',
    })
    FakeWebSocket.last.close(1006, '')
    t.timers.advance(1000)
    FakeWebSocket.last.welcome('e1')
    FakeWebSocket.last.receive({ type: 'ack', id: FakeWebSocket.last.sent.at(-1)?.['id'] })
    expect(republished).toEqual([
      { source: 'laptop', code: 'NRV_RATE_LIMITED' },
      { source: 'laptop' },
    ])
  })

  it('rejects a request with the server code, and one cut off by a drop as a network error', async () => {
    const connected = t.live.connect()
    FakeWebSocket.last.welcome()
    await connected
    const socket = FakeWebSocket.last
    const refused = t.live.publish({ source: 'laptop', availability: 'busy' })
    socket.receive({
      type: 'error',
      id: socket.sent.at(-1)?.['id'],
      code: 'NRV_RATE_LIMITED',
      message: 'slow down',
    })
    await expect(refused).rejects.toMatchObject({
      name: 'NarvaroApiError',
      code: 'NRV_RATE_LIMITED',
    })
    const cut = t.live.retract('laptop')
    socket.close(1006, '')
    await expect(cut).rejects.toMatchObject({ name: 'NarvaroNetworkError' })
  })

  it('does not reconnect after a close 4401, and reports why access ended', async () => {
    const connected = t.live.connect()
    FakeWebSocket.last.welcome()
    await connected
    FakeWebSocket.last.close(4401, 'token-revoked')
    t.timers.advance(60_000)
    expect(FakeWebSocket.sockets).toHaveLength(1)
    expect(t.live.state).toBe('closed')
    expect(t.live.endedBecause).toBe('token-revoked')
  })

  it('resumes from the old epoch while the new one sent no resync yet, so the resync is not lost', async () => {
    const connected = t.live.connect()
    FakeWebSocket.last.welcome('e1')
    await connected
    const subscribed = t.live.subscribe()
    FakeWebSocket.last.receive({ type: 'ack', id: FakeWebSocket.last.sent.at(-1)?.['id'] })
    await subscribed
    FakeWebSocket.last.receive({
      type: 'snapshot',
      address: 'amy@acme.example',
      seq: 10,
      view: view('a'),
    })
    FakeWebSocket.last.close(1001, 'going away')
    t.timers.advance(1000)
    FakeWebSocket.last.welcome('e2')
    expect(FakeWebSocket.last.sent[0]).toMatchObject({ resume: { epoch: 'e1', cursor: 10 } })
    FakeWebSocket.last.close(1006, '')
    t.timers.advance(1000)
    FakeWebSocket.last.welcome('e2')
    expect(FakeWebSocket.last.sent[0]).toMatchObject({ resume: { epoch: 'e1', cursor: 10 } })
    const resyncs: number[] = []
    t.live.on('resync', (m) => resyncs.push(m.seq))
    FakeWebSocket.last.receive({
      type: 'snapshot',
      address: 'amy@acme.example',
      seq: 3,
      view: view('b'),
      resync: true,
    })
    FakeWebSocket.last.close(1006, '')
    t.timers.advance(1000)
    FakeWebSocket.last.welcome('e2')
    expect(resyncs).toEqual([3])
    expect(FakeWebSocket.last.sent[0]).toMatchObject({ resume: { epoch: 'e2', cursor: 3 } })
  })

  it('stays live through heartbeats answered in time', async () => {
    const connected = t.live.connect()
    FakeWebSocket.last.welcome('e1', 1000)
    await connected
    for (let i = 0; i < 5; i++) {
      t.timers.advance(1000)
      FakeWebSocket.last.receive({ type: 'pong', id: FakeWebSocket.last.sent.at(-1)?.['id'] })
    }
    expect(t.states).toEqual(['connecting', 'live'])
    expect(FakeWebSocket.last.sent.filter((m) => m['type'] === 'ping')).toHaveLength(5)
  })
})
