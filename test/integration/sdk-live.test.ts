// Integration: the SDK's live client against the real server: resume after a dropped socket with no
// change missed or repeated, a storm of changes, the SSE fallback, and access that ends.
import { afterEach, describe, expect, it } from 'vitest'
import { NarvaroClient, type WebSocketConstructor } from '../../packages/sdk/src/index.js'
import { laptopAvailable, useServer } from '../support/harness-fixture.js'
import {
  closeAllLive,
  notesOf,
  recordLive,
  strictlyIncreasing,
} from '../support/sdk-live-client.js'
import { addUsersFast } from '../support/direct-users.js'
import { domain, eventually } from '../support/server-harness.js'
import { startProxy, type TcpProxy } from '../support/tcp-proxy.js'

const amyAddress = `amy@${domain}`
const noted = (text: string) => ({ ...laptopAvailable, note: { text } })

describe('the SDK live client', () => {
  const server = useServer()
  let proxy: TcpProxy | undefined
  afterEach(async () => {
    closeAllLive()
    await proxy?.close()
    proxy = undefined
  })

  it('resumes after a dropped socket with no change missed or repeated', async () => {
    const { url } = await server.start()
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy', 'bo'])
    const amy = await server.open(tokens['amy']!)
    await amy.request(noted('n0'))
    proxy = await startProxy(url)
    const bo = recordLive(proxy.url, tokens['bo']!)
    await bo.live.connect()
    await bo.live.subscribe([amyAddress])
    await amy.request(noted('n1'))
    await eventually(() => bo.changes.length === 1)

    proxy.refuse(true)
    proxy.dropAll()
    await eventually(() => bo.live.state === 'offline' || bo.live.state === 'connecting')
    for (const text of ['n2', 'n3', 'n4']) await amy.request(noted(text))
    proxy.refuse(false)
    await eventually(() => notesOf(bo.changes).at(-1) === 'n4')
    await amy.request(noted('n5'))
    await eventually(() => notesOf(bo.changes).at(-1) === 'n5')

    expect(notesOf(bo.changes)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5'])
    expect(strictlyIncreasing(bo.changes)).toBe(true)
    expect(bo.resyncs).toEqual([])
    expect(bo.snapshots).toHaveLength(1)
    expect(bo.states).toContain('offline')
    expect(bo.live.state).toBe('live')
  })

  it('sees the final state of a storm of 500 changes, in order and once each', async () => {
    const { url } = await server.start({ env: { NARVARO_PUBLICATION_BURST: '10000' } })
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy', 'bo'])
    const amy = await server.open(tokens['amy']!)
    await amy.request(noted('start'))
    const bo = recordLive(url, tokens['bo']!)
    await bo.live.connect()
    await bo.live.subscribe([amyAddress])
    for (let i = 1; i <= 500; i++) amy.send({ ...noted(`storm-${i}`), id: `p${i}` })
    await amy.next((m) => m['id'] === 'p500', 15_000)
    await eventually(() => notesOf(bo.changes).at(-1) === 'storm-500', 15_000)
    expect(strictlyIncreasing(bo.changes)).toBe(true)
    expect(new Set(bo.changes.map((c) => c.seq)).size).toBe(bo.changes.length)
    const numbers = notesOf(bo.changes).map((n) => Number(n?.slice('storm-'.length)))
    expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1]!)).toBe(true)
  }, 30_000)

  it('falls back to SSE when the WebSocket cannot connect, and restores subscriptions there', async () => {
    const { url } = await server.start()
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy', 'bo', 'cy'])
    const amy = await server.open(tokens['amy']!)
    await amy.request(noted('n0'))
    const boRest = new NarvaroClient({ baseUrl: url, token: tokens['bo']! })
    await boRest.subscribe({ address: amyAddress })
    class Blocked {
      readyState = 3
      onopen = null
      onmessage = null
      onerror = null
      onclose: ((event: { code: number; reason: string }) => void) | null = null
      constructor() {
        queueMicrotask(() => this.onclose?.({ code: 1006, reason: 'blocked' }))
      }
      send() {}
      close() {}
    }
    const bo = recordLive(url, tokens['bo']!, {
      WebSocket: Blocked as unknown as WebSocketConstructor,
    })
    await bo.live.connect()
    expect(bo.live.transport).toBe('sse')
    await eventually(() => bo.snapshots.length === 1)
    await amy.request(noted('n1'))
    await eventually(() => notesOf(bo.changes).at(-1) === 'n1')
    await expect(bo.live.publish({ source: 'x', availability: 'busy' })).rejects.toThrow(
      /read only/,
    )
    // A new subscription over SSE opens a new stream, resuming: nothing of Amy comes twice.
    const cy = await server.open(tokens['cy']!)
    await cy.request(noted('c0'))
    const ack = await bo.live.subscribe([`cy@${domain}`])
    expect(ack.subscribed).toEqual(expect.arrayContaining([amyAddress, `cy@${domain}`]))
    await cy.request(noted('c1'))
    await amy.request(noted('n2'))
    await eventually(() => notesOf(bo.changes).includes('c1') && notesOf(bo.changes).includes('n2'))
    expect(notesOf(bo.changes)).toEqual(['n1', 'c1', 'n2'])
    expect(bo.live.transport).toBe('sse')
  })

  it('stops reconnecting when access ended, and says why', async () => {
    const { url } = await server.start()
    const { admin, tokens } = await addUsersFast(server.harness.server.services, ['amy', 'bo'])
    const bo = recordLive(url, tokens['bo']!)
    const ended = bo.live.once('access-ended')
    let retries = 0
    bo.live.on('reconnecting', () => retries++)
    await bo.live.connect()
    await new NarvaroClient({ baseUrl: url, token: admin }).removeUser(`bo@${domain}`)
    expect((await ended).reason).toBe('user-removed')
    await eventually(() => bo.live.state === 'closed')
    expect(bo.live.endedBecause).toBe('user-removed')
    expect(retries).toBe(0)
  })

  it('finds a silent connection dead by its heartbeat, and replaces it', async () => {
    const { url } = await server.start()
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy', 'bo'])
    const amy = await server.open(tokens['amy']!)
    await amy.request(noted('n0'))
    proxy = await startProxy(url)
    const bo = recordLive(proxy.url, tokens['bo']!, { heartbeatMs: 200, pongTimeoutMs: 300 })
    await bo.live.connect()
    await bo.live.subscribe([amyAddress])
    proxy.freezeAll()
    await eventually(() => bo.states.includes('stale'))
    await amy.request(noted('n1'))
    await eventually(() => bo.states.includes('offline'))
    await eventually(() => notesOf(bo.changes).at(-1) === 'n1')
    expect(bo.welcomes).toHaveLength(2)
    expect(bo.live.state).toBe('live')
  })

  it('stops at once when the server refuses the token, over either transport', async () => {
    const { url } = await server.start()
    const bo = recordLive(url, 'nrv_not-a-token')
    await expect(bo.live.connect()).rejects.toThrow(/unauthenticated/)
    expect(bo.live.endedBecause).toBe('unauthenticated')
    expect(bo.live.state).toBe('closed')
  })
})
