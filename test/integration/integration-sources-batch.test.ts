// Integration: a batch of integration events over the real server is decided as if its events came one
// by one (duplicates and several events of one source inside it too), and is stored all or nothing:
// when the store fails, the reply is 503 and no watcher sees any of it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import { NarvaroError } from '../../src/core/errors.js'
import type { View } from '../support/harness-fixture.js'
import type { EventResult } from '../support/integration-events.js'
import { at, postEvents, postIntegration } from '../support/integration-events.js'
import type { Harness, Message } from '../support/server-harness.js'
import { TestSocket, addUsers, api, startHarness } from '../support/server-harness.js'

const clock = new FixedClock(Date.UTC(2026, 10, 24, 10, 0, 0))
let h: Harness
let t: Record<string, string>
let admin: string

const createIntegration = async () =>
  (await postIntegration(h.url, admin, { name: 'pbx', kinds: ['phone', 'conference'] })).body.token

const send = (token: string, events: readonly Record<string, unknown>[]) =>
  postEvents(h.url, token, events)

const viewAs = async (watcher: string, presentity: string) =>
  (
    await api<{ view: View }>(h.url, {
      path: `/v1/presence/${at(presentity)}`,
      token: t[watcher]!,
    })
  ).body.view

/** A view without whose it is, to compare two people's. */
const unnamed = (view: unknown) => {
  const { address: _address, displayName: _name, ...rest } = view as Record<string, unknown>
  return rest
}

/** The changes a socket got for one presentity, after everything sent before a ping. */
const changesOf = async (socket: TestSocket, presentity: string, ping: string) => {
  socket.send({ type: 'ping', id: ping })
  await socket.next((m) => m.type === 'pong' && m['id'] === ping)
  return socket
    .all('change')
    .filter((m: Message) => m['address'] === at(presentity))
    .map((m) => unnamed(m['view']))
}

beforeAll(async () => {
  h = await startHarness({ clock })
  ;({ admin, tokens: t } = await addUsers(h.url, ['mia', 'ann', 'bob', 'cid']))
})
afterAll(() => h.stop())

describe('a batch of integration events', () => {
  it('gives the same results as its events sent one by one, duplicates and one source many times included', async () => {
    const now = clock.now()
    const events = (person: string) =>
      [
        { id: 'e1', type: 'call', key: 'c1', state: 'started', at: now - 10_000 },
        { id: 'e2', type: 'call', key: 'c1', state: 'ended', at: now - 5_000 },
        { id: 'e1', type: 'call', key: 'c1', state: 'started', at: now - 10_000 },
        { id: 'e3', type: 'call', key: 'c1', state: 'started', at: now - 8_000 },
        { id: 'e4', type: 'call', key: 'c2', state: 'ended', at: now - 1_000 },
        { id: 'e5', type: 'call', key: 'c2', state: 'started', at: now - 1_000 },
        {
          id: 'e6',
          type: 'conference',
          key: 'c3',
          state: 'started',
          at: now - 900,
          ttlSeconds: 120,
        },
        { id: 'e7', type: 'conference', key: 'c3', state: 'refresh', at: now, ttlSeconds: 600 },
        { id: 'e8', type: 'call', key: 'c4', state: 'started', at: now, person: at('nobody') },
        // An id whose first event was refused is not a duplicate.
        { id: 'e8', type: 'call', key: 'c4', state: 'started', at: now },
        { id: 'e9', type: 'call', key: 'c5', state: 'started', at: now, person: 'not an address' },
        { id: 'e10', type: 'video', key: 'c5', state: 'started', at: now },
        { id: 'e6', type: 'conference', key: 'c3', state: 'ended', at: now },
        { id: 'e11', type: 'call', key: 'c6', state: 'started', at: now + 3_600_000 },
      ].map((event) => ({ person: at(person), ...event }))
    const watcher = await TestSocket.open(h.url, t['mia'])
    await watcher.request({ type: 'subscribe', addresses: [at('ann'), at('bob')] })
    await watcher.next((m) => m.type === 'snapshot')

    const batch = await send(await createIntegration(), events('ann'))
    const oneByOne: EventResult[] = []
    const single = await createIntegration()
    for (const event of events('bob')) oneByOne.push(...(await send(single, [event])).body.results)

    expect(batch.status).toBe(200)
    expect(batch.body.results).toStrictEqual(oneByOne)
    expect(batch.body.results.map((r) => r.result)).toStrictEqual([
      ...['applied', 'applied', 'duplicate', 'stale', 'applied', 'stale', 'applied', 'applied'],
      ...['rejected', 'applied', 'rejected', 'applied', 'duplicate', 'rejected'],
    ])
    expect(unnamed(await viewAs('mia', 'ann'))).toStrictEqual(unnamed(await viewAs('mia', 'bob')))
    expect(await viewAs('mia', 'ann')).toMatchObject({
      availability: 'busy',
      activities: [{ kind: 'in-a-call' }, { kind: 'in-a-conference' }],
    })
    const annChanges = await changesOf(watcher, 'ann', 'p1')
    expect(annChanges.length).toBeGreaterThan(0)
    expect(annChanges).toStrictEqual(await changesOf(watcher, 'bob', 'p2'))
    await watcher.close()
  })

  it('is refused whole with 503 when the store fails, and nobody sees any of it', async () => {
    const token = await createIntegration()
    const watcher = await TestSocket.open(h.url, t['mia'])
    await watcher.request({ type: 'subscribe', addresses: [at('cid')] })
    await watcher.next((m) => m.type === 'snapshot')
    const events = [
      { id: 'f1', person: at('cid'), type: 'call', state: 'started', at: clock.now() },
      { id: 'f2', person: at('cid'), type: 'conference', state: 'started', at: clock.now() },
    ]
    const commit = vi
      .spyOn(h.server.services.store, 'commitIntegrationBatch')
      .mockRejectedValueOnce(new NarvaroError('NRV_STORE_UNAVAILABLE', 'the store is down'))
    const failed = await send(token, events)
    commit.mockRestore()
    expect(failed.status).toBe(503)
    expect(failed.body.code).toBe('NRV_STORE_UNAVAILABLE')
    expect(await changesOf(watcher, 'cid', 'p1')).toStrictEqual([])
    expect((await viewAs('mia', 'cid')).availability).toBe('offline')
    // Nothing was remembered either: the retry applies every event.
    const retried = await send(token, events)
    expect(retried.body.results.map((r) => r.result)).toStrictEqual(['applied', 'applied'])
    expect((await viewAs('mia', 'cid')).activities).toStrictEqual([
      { kind: 'in-a-call' },
      { kind: 'in-a-conference' },
    ])
    await watcher.close()
  })
})
