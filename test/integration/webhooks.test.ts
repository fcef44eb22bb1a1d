// Integration: webhooks out over the real server, with a real HTTP receiver in the test — signed
// deliveries that verify (also during a secret rotation), retries after 500s, a hanging receiver that
// does not hold up WebSocket watchers, policy filtering exactly as for the owner, and disabling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import type { Harness } from '../support/server-harness.js'
import type { Received } from '../support/webhook-receiver.js'
import { startReceiver, verify } from '../support/webhook-receiver.js'
import {
  TestSocket,
  addUsers,
  api,
  domain,
  eventually,
  startHarness,
} from '../support/server-harness.js'

const clock = new FixedClock(Date.UTC(2026, 10, 24, 10, 0, 0))
let h: Harness
let t: Record<string, string>
let admin: string
const at = (name: string) => `${name}@${domain}`
const publish = (name: string, availability: string) =>
  api(h.url, {
    method: 'PUT',
    path: '/v1/me/presence/sources/desk',
    token: t[name]!,
    body: { availability },
  })
const createWebhook = (owner: string, body: Record<string, unknown>) =>
  api<Record<string, unknown>>(h.url, { path: '/v1/webhooks', token: t[owner]!, body })
const changes = (r: { received: Received[] }, address: string) =>
  r.received.filter((x) => x.json.type === 'presence.changed' && x.json.data['address'] === address)
const availabilityOf = (x: Received) =>
  (x.json.data['view'] as { availability: string }).availability

beforeAll(async () => {
  h = await startHarness({ clock })
  ;({ admin, tokens: t } = await addUsers(h.url, ['mia', 'leo', 'ivy', 'kim', 'eve', 'sam', 'tom']))
  h.server.services.webhooks.setTuning({ retryBaseMs: 10, retryCapMs: 50 })
})
afterAll(() => h.stop())

describe('webhooks out', () => {
  it('delivers signed presence changes that verify, also with both secrets while rotating', async () => {
    const receiver = await startReceiver()
    const created = await createWebhook('mia', {
      url: receiver.url,
      addresses: [at('leo')],
      events: ['presence'],
    })
    expect(created.status).toBe(201)
    const secret = created.body['secret'] as string
    expect(secret).toMatch(/^whsec_/)
    const id = created.body['id'] as string
    const listed = await api<Record<string, unknown>[]>(h.url, {
      path: '/v1/webhooks',
      token: t['mia']!,
    })
    expect(listed.body.map((w) => w['id'])).toEqual([id])
    expect(listed.body[0]).not.toHaveProperty('secret')
    await publish('leo', 'busy')
    await eventually(() => changes(receiver, at('leo')).some((x) => availabilityOf(x) === 'busy'))
    const delivery = changes(receiver, at('leo')).find((x) => availabilityOf(x) === 'busy')!
    expect(delivery.headers['webhook-id']).toMatch(/^msg_/)
    expect(verify(secret, delivery)).toBe(true)
    expect(verify('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', delivery)).toBe(false)

    const rotated = await api<Record<string, unknown>>(h.url, {
      path: `/v1/webhooks/${id}/rotate-secret`,
      method: 'POST',
      token: t['mia']!,
    })
    const next = rotated.body['secret'] as string
    expect(next).not.toBe(secret)
    await publish('leo', 'away')
    await eventually(() => changes(receiver, at('leo')).some((x) => availabilityOf(x) === 'away'))
    const after = changes(receiver, at('leo')).find((x) => availabilityOf(x) === 'away')!
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(2)
    expect(verify(next, after) && verify(secret, after)).toBe(true)
    expect(
      (await api(h.url, { path: `/v1/webhooks/${id}`, method: 'DELETE', token: t['mia']! })).status,
    ).toBe(204)
    await receiver.close()
  })

  it('retries after 500s with the same message id, and logs every attempt', async () => {
    let failures = 2
    const receiver = await startReceiver(() => (failures-- > 0 ? 500 : 200))
    await publish('ivy', 'available')
    const created = await createWebhook('kim', {
      url: receiver.url,
      addresses: [at('ivy')],
      events: ['presence'],
    })
    const id = created.body['id'] as string
    await eventually(() => receiver.received.length >= 3)
    const ids = new Set(receiver.received.slice(0, 3).map((r) => r.headers['webhook-id']))
    expect(ids.size).toBe(1)
    const log = await api<Record<string, unknown>[]>(h.url, {
      path: `/v1/webhooks/${id}/deliveries`,
      token: t['kim']!,
    })
    expect(log.body.map((d) => [d['attempt'], d['statusCode']])).toEqual([
      [3, 200],
      [2, 500],
      [1, 500],
    ])
    const endpoint = await api(h.url, { path: `/v1/webhooks/${id}`, token: t['kim']! })
    expect(endpoint.body).toMatchObject({ enabled: true, failureCount: 0 })
    await api(h.url, { path: `/v1/webhooks/${id}`, method: 'DELETE', token: t['kim']! })
    await receiver.close()
  })

  it('a receiver that hangs does not delay WebSocket watchers', async () => {
    const receiver = await startReceiver(() => undefined)
    const created = await createWebhook('eve', {
      url: receiver.url,
      addresses: [at('leo')],
      events: ['presence'],
    })
    const ws = await TestSocket.open(h.url, t['kim'])
    await ws.request({ type: 'subscribe', addresses: [at('leo')] })
    // The snapshot of the new endpoint is the request that hangs; later changes wait behind it.
    await eventually(() => receiver.received.length > 0)
    await publish('leo', 'available')
    await ws.next(
      (m) =>
        m.type === 'change' && (m['view'] as { availability: string }).availability === 'available',
    )
    await publish('leo', 'busy')
    await ws.next(
      (m) => m.type === 'change' && (m['view'] as { availability: string }).availability === 'busy',
    )
    expect(receiver.received.every((r) => r.open)).toBe(true)
    await api(h.url, {
      path: `/v1/webhooks/${created.body['id'] as string}`,
      method: 'DELETE',
      token: t['eve']!,
    })
    await ws.close()
    await receiver.close()
  })

  it('a presentity that polite-blocks the owner shows offline in the webhook, exactly as over WebSocket', async () => {
    await api(h.url, {
      method: 'PUT',
      path: '/v1/me/privacy',
      token: t['leo']!,
      body: {
        rules: [
          {
            id: 'mia',
            conditions: { addresses: [at('mia')] },
            subscription: 'polite-block',
            grant: {},
          },
          { id: 'kim', conditions: { addresses: [at('kim')] }, subscription: 'allow', grant: {} },
        ],
      },
    })
    const receiver = await startReceiver()
    const probeReceiver = await startReceiver()
    const created = await createWebhook('mia', {
      url: receiver.url,
      addresses: [at('leo')],
      events: ['presence'],
    })
    expect(created.status).toBe(201)
    const ws = await TestSocket.open(h.url, t['mia'])
    await ws.request({ type: 'subscribe', addresses: [at('leo')] })
    await publish('leo', 'available')
    await publish('leo', 'busy')
    const probe = await createWebhook('kim', {
      url: probeReceiver.url,
      addresses: [at('leo')],
      events: ['presence'],
    })
    expect(probe.body).toMatchObject({ enabled: true })
    await publish('leo', 'away')
    // kim's endpoint sees the last change; by then mia's has had every chance to see any.
    await eventually(() =>
      changes(probeReceiver, at('leo')).some((r) => availabilityOf(r) === 'away'),
    )
    const hookViews = receiver.received.map(availabilityOf)
    const socketViews = [...ws.all('snapshot'), ...ws.all('change')].map(
      (m) => (m['view'] as { availability: string }).availability,
    )
    expect(hookViews).toEqual(['offline'])
    expect(socketViews).toEqual(['offline'])
    expect(receiver.received[0]!.json.data['view']).toEqual(ws.all('snapshot')[0]!['view'])
    for (const [owner, id] of [
      ['mia', created.body['id']],
      ['kim', probe.body['id']],
    ] as const) {
      await api(h.url, { path: `/v1/webhooks/${String(id)}`, method: 'DELETE', token: t[owner]! })
    }
    await ws.close()
    await receiver.close()
    await probeReceiver.close()
  })

  it('is disabled after a run of failures, with the reason visible in the API', async () => {
    h.server.services.webhooks.setTuning({ disableAfterFailures: 4 })
    const receiver = await startReceiver(() => 500)
    const created = await createWebhook('ivy', {
      url: receiver.url,
      addresses: [at('kim')],
      events: ['presence'],
    })
    const path = `/v1/webhooks/${created.body['id'] as string}`
    await eventually(
      async () => (await api(h.url, { path, token: t['ivy']! })).body['enabled'] === false,
    )
    const endpoint = await api(h.url, { path, token: t['ivy']! })
    expect(endpoint.body['disabledReason']).toMatch(
      /after 4 consecutive failed deliveries \(last: HTTP 500\)/,
    )
    expect(receiver.received).toHaveLength(4)
    const enabled = await api(h.url, {
      path,
      method: 'PATCH',
      token: t['ivy']!,
      body: { enabled: true },
    })
    expect(enabled.body).toMatchObject({ enabled: true, failureCount: 0 })
    expect(enabled.body).not.toHaveProperty('disabledReason')
    h.server.services.webhooks.setTuning({ disableAfterFailures: 20 })
    await api(h.url, { path, method: 'DELETE', token: t['ivy']! })
    await receiver.close()
  })

  it('is disabled after a day of failures, however few', async () => {
    // Retries slow enough that the test sees the first failure before the second.
    h.server.services.webhooks.setTuning({ retryBaseMs: 300, retryCapMs: 300 })
    const receiver = await startReceiver(() => 503)
    const created = await createWebhook('ivy', {
      url: receiver.url,
      addresses: [at('kim')],
      events: ['presence'],
    })
    const path = `/v1/webhooks/${created.body['id'] as string}`
    await eventually(
      async () => (await api(h.url, { path, token: t['ivy']! })).body['failureCount'] === 1,
    )
    clock.advance(25 * 3_600_000)
    await eventually(
      async () => (await api(h.url, { path, token: t['ivy']! })).body['enabled'] === false,
    )
    const endpoint = await api(h.url, { path, token: t['ivy']! })
    expect(endpoint.body['disabledReason']).toBe('disabled after failing for 25 h (last: HTTP 503)')
    expect(endpoint.body['failureCount']).toBe(2)
    h.server.services.webhooks.setTuning({ retryBaseMs: 10, retryCapMs: 50 })
    await api(h.url, { path, method: 'DELETE', token: t['ivy']! })
    await receiver.close()
  })

  it("forwards the owner's workflow events: notify-when-available fires on the webhook", async () => {
    await publish('sam', 'busy')
    const receiver = await startReceiver()
    const created = await createWebhook('eve', {
      url: receiver.url,
      addresses: [],
      events: ['available'],
    })
    const watch = await api<Record<string, unknown>>(h.url, {
      path: '/v1/me/notify-when-available',
      token: t['eve']!,
      body: { address: at('sam'), expiresInSeconds: 3600 },
    })
    await publish('sam', 'available')
    await eventually(() => receiver.received.length > 0)
    const [delivery] = receiver.received
    expect(delivery!.json).toMatchObject({
      type: 'notify.available',
      data: { type: 'available', address: at('sam'), watch: watch.body['id'] },
    })
    expect(verify(created.body['secret'] as string, delivery!)).toBe(true)
    await api(h.url, {
      path: `/v1/webhooks/${created.body['id'] as string}`,
      method: 'DELETE',
      token: t['eve']!,
    })
    await receiver.close()
  })

  it('stops the webhooks of a removed owner', async () => {
    const receiver = await startReceiver()
    const webhooks = h.server.services.webhooks
    const before = webhooks.liveEndpoints
    await createWebhook('tom', { url: receiver.url, addresses: [at('sam')], events: ['presence'] })
    expect(webhooks.liveEndpoints).toBe(before + 1)
    await eventually(() => receiver.received.length > 0)
    expect(
      (await api(h.url, { path: `/v1/users/${at('tom')}`, method: 'DELETE', token: admin })).status,
    ).toBe(204)
    // Stopped at once, with the removal: the next change of Sam reaches nobody's webhook.
    expect(webhooks.liveEndpoints).toBe(before)
    const delivered = receiver.received.length
    await publish('sam', 'do-not-disturb')
    await publish('sam', 'available')
    expect(receiver.received.length).toBe(delivered)
    await receiver.close()
  })

  it('rejects bad input with machine-readable codes, and hides endpoints of others', async () => {
    expect(
      (await createWebhook('mia', { url: 'ftp://x', addresses: [], events: ['presence'] })).body[
        'code'
      ],
    ).toBe('NRV_VALIDATION')
    expect(
      (
        await createWebhook('mia', {
          url: 'http://x',
          addresses: [at('nobody')],
          events: ['presence'],
        })
      ).body['code'],
    ).toBe('NRV_NOT_FOUND')
    expect(
      (await createWebhook('mia', { url: 'http://x', addresses: [], events: ['nope'] })).body[
        'code'
      ],
    ).toBe('NRV_VALIDATION')
    const created = await createWebhook('mia', {
      url: 'http://127.0.0.1:9/x',
      addresses: [],
      events: ['available'],
    })
    const path = `/v1/webhooks/${created.body['id'] as string}`
    expect((await api(h.url, { path, token: t['kim']! })).body['code']).toBe('NRV_NOT_FOUND')
    await api(h.url, { path, method: 'DELETE', token: t['mia']! })
  })
})
