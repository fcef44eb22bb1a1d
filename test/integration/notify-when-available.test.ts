// Integration: notify-when-available over the real server — fires exactly once, on every live
// connection of the asker (WebSocket and SSE), only when the asker's own view shows "available";
// a polite-blocked asker is never told; a watch expires and says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import type { Harness } from '../support/server-harness.js'
import { TestSocket, addUsers, api, domain, startHarness } from '../support/server-harness.js'
import { SseClient } from '../support/sse-client.js'

const clock = new FixedClock(Date.UTC(2026, 10, 24, 10, 0, 0))
let h: Harness
let t: Record<string, string>
const at = (name: string) => `${name}@${domain}`
const publish = (name: string, availability: string) =>
  api(h.url, {
    method: 'PUT',
    path: '/v1/me/presence/sources/desk',
    token: t[name]!,
    body: { availability },
  })
const notify = (asker: string, address: string, expiresInSeconds = 3600) =>
  api<Record<string, unknown>>(h.url, {
    path: '/v1/me/notify-when-available',
    token: t[asker]!,
    body: { address, expiresInSeconds },
  })

/** A round trip on the socket: everything the server sent before the pong has arrived. */
const sync = async (ws: TestSocket) => {
  const id = `sync-${Math.random()}`
  ws.send({ type: 'ping', id })
  await ws.next((m) => m.type === 'pong' && m['id'] === id)
}

beforeAll(async () => {
  h = await startHarness({ clock })
  t = (await addUsers(h.url, ['mia', 'leo', 'ivy', 'kim'])).tokens
})
afterAll(() => h.stop())

describe('notify when available', () => {
  it('fires exactly once, on WebSocket and SSE, when the person becomes available, then stops', async () => {
    await publish('leo', 'busy')
    const ws = await TestSocket.open(h.url, t['mia'])
    const sse = await SseClient.open(h.url, t['mia']!)
    const created = await notify('mia', at('leo'))
    expect(created.status).toBe(201)
    expect(
      (await api<unknown[]>(h.url, { path: '/v1/me/notify-when-available', token: t['mia']! }))
        .body,
    ).toHaveLength(1)
    await publish('leo', 'do-not-disturb')
    await publish('leo', 'available')
    const message = await ws.next((m) => m.type === 'available')
    expect(message).toMatchObject({
      type: 'available',
      address: at('leo'),
      watch: created.body['id'],
    })
    expect((message['view'] as { availability: string }).availability).toBe('available')
    const event = await sse.next('available')
    expect(event.data['address']).toBe(at('leo'))
    // Later changes, even back to available, do not fire again: the watch is gone.
    await publish('leo', 'busy')
    await publish('leo', 'available')
    await sync(ws)
    expect(ws.all('available')).toHaveLength(1)
    expect(sse.events.filter((e) => e.event === 'available')).toHaveLength(1)
    expect(
      (await api<unknown[]>(h.url, { path: '/v1/me/notify-when-available', token: t['mia']! }))
        .body,
    ).toEqual([])
    expect(ws.invalid).toEqual([])
    sse.close()
    await ws.close()
  })

  it('a person who polite-blocks the asker never shows as available to them', async () => {
    await api(h.url, {
      method: 'PUT',
      path: '/v1/me/privacy',
      token: t['ivy']!,
      body: {
        rules: [
          {
            id: 'kim',
            conditions: { addresses: [at('kim')] },
            subscription: 'polite-block',
            grant: {},
          },
        ],
      },
    })
    const ws = await TestSocket.open(h.url, t['kim'])
    expect((await notify('kim', at('ivy'), 60)).status).toBe(201)
    await publish('ivy', 'available')
    await sync(ws)
    expect(ws.all('available')).toEqual([])
    // It expires instead, and the asker is told.
    clock.advance(61_000)
    const expired = await ws.next((m) => m.type === 'notify-expired')
    expect(expired['address']).toBe(at('ivy'))
    expect(ws.all('available')).toEqual([])
    await ws.close()
  })

  it('rejects bad input with a machine-readable code', async () => {
    expect((await notify('mia', 'not an address')).body['code']).toBe('NRV_ADDRESS_INVALID')
    expect((await notify('mia', at('leo'), 0)).body['code']).toBe('NRV_VALIDATION')
    expect((await notify('mia', at('nobody'))).body['code']).toBe('NRV_NOT_FOUND')
  })
})
