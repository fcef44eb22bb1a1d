// Integration: heartbeats detect dead peers, and a graceful shutdown closes WebSockets with 1001
// and ends SSE streams, so clients know to reconnect.
import { WebSocket } from 'ws'
import { describe, expect, it } from 'vitest'
import {
  TestSocket,
  addUsers,
  api,
  domain,
  eventually,
  startHarness,
} from '../support/server-harness.js'
import { SseClient } from '../support/sse-client.js'

describe('connection lifecycle', () => {
  it('a peer that stops answering pings is dropped, and its publication ends after the grace period', async () => {
    const h = await startHarness({ env: { NARVARO_HEARTBEAT: '1', NARVARO_GRACE_PERIOD: '0' } })
    const { tokens } = await addUsers(h.url, ['kim', 'lea'])
    const socket = new WebSocket(h.url.replace('http', 'ws') + '/v1/ws', {
      headers: { authorization: `Bearer ${tokens['kim']}` },
      autoPong: false,
    })
    const dead = new TestSocket(socket)
    await dead.next((m) => m.type === 'welcome')
    await dead.request({ type: 'publish', source: 'laptop', availability: 'available' })
    const viewOfKim = async () =>
      (
        await api<{ view: { availability: string } }>(h.url, {
          path: `/v1/presence/kim@${domain}`,
          token: tokens['lea']!,
        })
      ).body.view.availability
    expect(await viewOfKim()).toBe('available')
    expect(await dead.closed).toBe(1006)
    await eventually(async () => (await viewOfKim()) === 'offline')
    await h.stop()
  }, 15_000)

  it('a peer that keeps talking is not pinged; once it falls quiet it is, and dropped unanswered', async () => {
    const h = await startHarness({ env: { NARVARO_HEARTBEAT: '1' } })
    const { tokens } = await addUsers(h.url, ['max'])
    const socket = new WebSocket(h.url.replace('http', 'ws') + '/v1/ws', {
      headers: { authorization: `Bearer ${tokens['max']}` },
      autoPong: false,
    })
    let pings = 0
    socket.on('ping', () => pings++)
    const talker = new TestSocket(socket)
    await talker.next((m) => m.type === 'welcome')
    // Talking for three heartbeat periods: every message shows the peer alive, so no ping is needed.
    for (let i = 0; i < 12; i++) {
      socket.send(JSON.stringify({ type: 'ping', id: `p${i}` }))
      await talker.next((m) => m.type === 'pong' && m['id'] === `p${i}`)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    expect(pings).toBe(0)
    expect(talker.closeCode).toBeUndefined()
    // Quiet: pinged, and with no pong the connection is closed.
    expect(await talker.closed).toBe(1006)
    expect(pings).toBeGreaterThan(0)
    await h.stop()
  }, 15_000)

  it('a graceful shutdown closes WebSockets with 1001 and ends SSE streams', async () => {
    const h = await startHarness()
    const { tokens } = await addUsers(h.url, ['max'])
    const socket = await TestSocket.open(h.url, tokens['max'])
    const stream = await SseClient.open(h.url, tokens['max']!, { query: `addresses=max@${domain}` })
    await stream.next('snapshot')
    await h.stop()
    expect(await socket.closed).toBe(1001)
    await expect(fetch(`${h.url}/healthz`)).rejects.toThrow()
  })
})
