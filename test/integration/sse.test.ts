// Integration: Server-Sent Events for read-only watchers — snapshot, live changes, resumption with
// Last-Event-ID, and authentication.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Harness } from '../support/server-harness.js'
import { addUsers, api, domain, startHarness } from '../support/server-harness.js'
import { SseClient } from '../support/sse-client.js'

let h: Harness
let tokens: Record<string, string>
const publish = (name: string, availability: string) =>
  api(h.url, {
    method: 'PUT',
    path: '/v1/me/presence/sources/desk',
    token: tokens[name]!,
    body: { availability },
  })

beforeAll(async () => {
  h = await startHarness()
  tokens = (await addUsers(h.url, ['ivy', 'jon'])).tokens
})
afterAll(() => h.stop())

describe('Server-Sent Events', () => {
  it('a read-only watcher gets a snapshot, then live changes with resumable ids', async () => {
    const stream = await SseClient.open(h.url, tokens['jon']!, { query: `addresses=ivy@${domain}` })
    expect(stream.status).toBe(200)
    const welcome = await stream.next('welcome')
    expect(welcome.data['subscribed']).toEqual([`ivy@${domain}`])
    const snapshot = await stream.next('snapshot')
    expect(snapshot.data['view']).toMatchObject({ availability: 'offline' })
    await publish('ivy', 'available')
    const change = await stream.next('change')
    expect(change.data['view']).toMatchObject({ availability: 'available' })
    expect(change.id).toMatch(/^[a-z0-9-]+\.\d+$/)
    stream.close()

    await publish('ivy', 'busy')
    const resumed = await SseClient.open(h.url, tokens['jon']!, {
      query: `addresses=ivy@${domain}`,
      lastEventId: change.id!,
    })
    const missed = await resumed.next('change')
    expect(missed.data['view']).toMatchObject({ availability: 'busy' })
    expect(resumed.events.filter((e) => e.event === 'snapshot')).toHaveLength(0)
    resumed.close()
  })

  it('without addresses the stream carries all my subscriptions', async () => {
    await api(h.url, {
      path: '/v1/subscriptions',
      token: tokens['ivy']!,
      body: { address: `jon@${domain}` },
    })
    const stream = await SseClient.open(h.url, tokens['ivy']!)
    const snapshot = await stream.next('snapshot')
    expect(snapshot.data['address']).toBe(`jon@${domain}`)
    stream.close()
  })

  it('a stream without a valid token is refused with 401', async () => {
    const stream = await SseClient.open(h.url, 'nrv_nope')
    expect(stream.status).toBe(401)
  })
})
