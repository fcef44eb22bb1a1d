// Integration: the WebSocket protocol narvaro.v1 — snapshots then only real changes, sequence numbers,
// connection-bound publications with a grace period, resume after reconnect, and bad frames.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import { upgradeReply } from '../support/ws-upgrade.js'
import type { Harness, Message } from '../support/server-harness.js'
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
let tokens: Record<string, string>
const address = (name: string) => `${name}@${domain}`
const viewOf = (m: Message) =>
  m['view'] as { availability: string; note?: { text: string }; activities?: { kind: string }[] }

const openSockets = async () =>
  (await h.server.services.metrics.connections.get()).values.find(
    (v) => v.labels.transport === 'websocket',
  )?.value ?? 0

beforeAll(async () => {
  h = await startHarness({
    clock,
    env: { NARVARO_GRACE_PERIOD: '15', NARVARO_MAX_MESSAGE_BYTES: '4096' },
  })
  tokens = (await addUsers(h.url, ['ann', 'ben', 'cat', 'dan', 'eve', 'fay'])).tokens
})
afterAll(() => h.stop())

describe('watching over WebSocket', () => {
  it('a watcher gets a snapshot first, then each real change once, in order', async () => {
    const ben = await TestSocket.open(h.url, tokens['ben'])
    const ann = await TestSocket.open(h.url, tokens['ann'])
    const ack = await ben.request({ type: 'subscribe', addresses: [address('ann')] })
    expect(ack).toMatchObject({ type: 'ack', subscribed: [address('ann')], failed: [] })
    const snapshot = await ben.next((m) => m.type === 'snapshot')
    expect(viewOf(snapshot).availability).toBe('offline')

    await ann.request({
      type: 'publish',
      source: 'laptop',
      availability: 'available',
      device: { capabilities: ['im'] },
    })
    const first = await ben.next((m) => m.type === 'change')
    expect(viewOf(first).availability).toBe('available')

    // The same state again, and a heartbeat-like republish, are not changes.
    await ann.request({
      type: 'publish',
      source: 'laptop',
      availability: 'available',
      device: { capabilities: ['im'] },
      active: false,
    })
    await ann.request({
      type: 'publish',
      source: 'laptop',
      availability: 'busy',
      device: { capabilities: ['im'] },
    })
    const second = await ben.next((m) => m.type === 'change')
    expect(viewOf(second).availability).toBe('busy')
    expect(second['seq'] as number).toBeGreaterThan(first['seq'] as number)
    expect(ben.all('change')).toHaveLength(2)
    await Promise.all([ann.close(), ben.close()])
  })

  it('a dropped connection ends its device publication only after the grace period', async () => {
    const watcher = await TestSocket.open(h.url, tokens['ben'])
    const cat = await TestSocket.open(h.url, tokens['cat'])
    await cat.request({ type: 'publish', source: 'phone', availability: 'available' })
    await watcher.request({ type: 'subscribe', addresses: [address('cat')] })
    expect(viewOf(await watcher.next((m) => m.type === 'snapshot')).availability).toBe('available')
    cat.socket.terminate()
    await eventually(async () => (await openSockets()) === 1)
    clock.advance(14_000)
    // Reconnecting inside the grace period keeps the publication: no offline/online storm.
    const again = await TestSocket.open(h.url, tokens['cat'])
    await again.request({
      type: 'publish',
      source: 'phone',
      availability: 'available',
      active: false,
    })
    clock.advance(60_000)
    expect(watcher.all('change')).toHaveLength(0)
    again.socket.terminate()
    await eventually(async () => (await openSockets()) === 1)
    clock.advance(15_000)
    const offline = await watcher.next((m) => m.type === 'change')
    expect(viewOf(offline).availability).toBe('offline')
    expect(offline['view']).toHaveProperty('lastSeen')
    await watcher.close()
  })

  it('a watcher that reconnects resumes without missing a change made meanwhile', async () => {
    const dan = await TestSocket.open(h.url, tokens['dan'])
    await dan.request({ type: 'publish', source: 'desk', availability: 'available' })
    const first = await TestSocket.open(h.url, tokens['eve'])
    const welcome = first.messages[0]!
    await first.request({ type: 'subscribe', addresses: [address('dan')] })
    const snapshot = await first.next((m) => m.type === 'snapshot')
    await first.close()
    await dan.request({ type: 'publish', source: 'desk', availability: 'busy' })
    await dan.request({ type: 'publish', source: 'desk', availability: 'do-not-disturb' })
    const second = await TestSocket.open(h.url, tokens['eve'])
    await second.request({
      type: 'subscribe',
      addresses: [address('dan')],
      resume: { epoch: welcome['epoch'], cursor: snapshot['seq'] },
    })
    const missed1 = await second.next((m) => m.type === 'change')
    const missed2 = await second.next((m) => m.type === 'change')
    expect([viewOf(missed1).availability, viewOf(missed2).availability]).toEqual([
      'busy',
      'do-not-disturb',
    ])
    expect(second.all('snapshot')).toHaveLength(0)
    await second.close()

    const third = await TestSocket.open(h.url, tokens['eve'])
    await third.request({
      type: 'subscribe',
      addresses: [address('dan')],
      resume: { epoch: 'older-run', cursor: 1 },
    })
    const resync = await third.next((m) => m.type === 'snapshot')
    expect(resync['resync']).toBe(true)
    expect(viewOf(resync).availability).toBe('do-not-disturb')
    await Promise.all([third.close(), dan.close()])
  })

  it('a resume with nothing missed sends nothing', async () => {
    const eve = await TestSocket.open(h.url, tokens['eve'])
    await eve.request({ type: 'subscribe', addresses: [address('dan')] })
    const snapshot = await eve.next((m) => m.type === 'snapshot')
    await eve.close()
    const again = await TestSocket.open(h.url, tokens['eve'])
    await again.request({
      type: 'subscribe',
      addresses: [address('dan')],
      resume: { epoch: again.messages[0]!['epoch'], cursor: snapshot['seq'] },
    })
    again.send({ type: 'ping', id: 'after' })
    await again.next((m) => m.type === 'pong')
    expect(again.all('snapshot').concat(again.all('change'))).toHaveLength(0)
    await again.close()
  })
})

describe('bad input over WebSocket', () => {
  it('malformed JSON, unknown types and invalid fields get error messages and the connection stays', async () => {
    const ann = await TestSocket.open(h.url, tokens['ann'])
    ann.send('{not json')
    expect(await ann.next((m) => m.type === 'error')).toMatchObject({ code: 'NRV_VALIDATION' })
    ann.send({ type: 'teleport', id: 'x1' })
    expect(await ann.next((m) => m.type === 'error')).toMatchObject({
      code: 'NRV_UNKNOWN_MESSAGE',
      id: 'x1',
    })
    const invalid = await ann.request({ type: 'publish', source: 'laptop', availability: 'sleepy' })
    expect(invalid).toMatchObject({ type: 'error', code: 'NRV_VALIDATION' })
    ann.send({ type: 'ping', id: 'still-here' })
    expect(await ann.next((m) => m.type === 'pong')).toEqual({ type: 'pong', id: 'still-here' })
    await ann.close()
  })

  it('an unknown address in a subscribe fails alone, others succeed', async () => {
    const ann = await TestSocket.open(h.url, tokens['ann'])
    const ack = await ann.request({
      type: 'subscribe',
      addresses: [address('nobody'), address('ben')],
    })
    expect(ack['subscribed']).toEqual([address('ben')])
    expect(ack['failed']).toEqual([
      expect.objectContaining({ address: address('nobody'), code: 'NRV_NOT_FOUND' }),
    ])
    await ann.close()
  })

  it('a frame over the size limit closes only that connection with 1009; others keep being served', async () => {
    const bad = await TestSocket.open(h.url, tokens['ann'])
    const good = await TestSocket.open(h.url, tokens['ben'])
    bad.send({ type: 'publish', source: 'laptop', note: { text: 'x'.repeat(10_000) } })
    expect(await bad.closed).toBe(1009)
    good.send({ type: 'ping', id: 'p' })
    expect(await good.next((m) => m.type === 'pong')).toEqual({ type: 'pong', id: 'p' })
    await good.close()
  })

  it('a connection without a valid token is refused before the upgrade', async () => {
    await expect(TestSocket.open(h.url, 'nrv_wrong')).rejects.toThrow(/401/)
    await expect(TestSocket.open(h.url)).rejects.toThrow(/401/)
  })

  it('a refused upgrade gets the status and { code, message } of REST, and a plain GET is told to upgrade', async () => {
    const upgradeTo = (path: string, token?: string) => upgradeReply(h.url, path, token)
    expect(await upgradeTo('/v1/ws', 'nrv_wrong')).toMatchObject({
      status: 401,
      body: { code: 'NRV_UNAUTHENTICATED' },
    })
    expect(await upgradeTo('/v1/elsewhere', tokens['ben'])).toMatchObject({
      status: 404,
      body: { code: 'NRV_NOT_FOUND' },
    })
    // A one-time password's token connects nowhere until the password is changed.
    const { admin } = await addUsers(h.url, ['una'])
    const path = `/v1/users/${encodeURIComponent(address('una'))}/password`
    const reset = await api(h.url, { method: 'PUT', path, token: admin, body: {} })
    const password = (reset.body as { password: string }).password
    const signIn = await api<{ token: string }>(h.url, {
      path: '/v1/auth/login',
      body: { address: address('una'), password },
    })
    expect(await upgradeTo('/v1/ws', signIn.body.token)).toMatchObject({
      status: 403,
      body: { code: 'NRV_PASSWORD_CHANGE_REQUIRED' },
    })
    const plain = await api(h.url, { path: '/v1/ws', token: tokens['ben'] })
    expect(plain).toMatchObject({ status: 400, body: { code: 'NRV_BAD_REQUEST' } })
  })

  it('nobody can publish for someone else: a publication always belongs to the token holder', async () => {
    const ben = await TestSocket.open(h.url, tokens['ben'])
    const reply = await ben.request({
      type: 'publish',
      source: 'laptop',
      availability: 'busy',
      address: address('ann'),
    })
    expect(reply).toMatchObject({ type: 'error', code: 'NRV_VALIDATION' })
    const view = await api<{ view: { availability: string } }>(h.url, {
      path: `/v1/presence/${address('ann')}`,
      token: tokens['ben'],
    })
    expect(view.body.view.availability).not.toBe('busy')
    await ben.close()
  })
})

describe('coalesced delivery for a client in the background', () => {
  it('gets only the newest state per presentity at its interval, and every change again once live', async () => {
    const dan = await TestSocket.open(h.url, tokens['dan'])
    const eve = await TestSocket.open(h.url, tokens['eve'])
    await eve.request({ type: 'publish', source: 'desk', availability: 'available' })
    await dan.request({ type: 'subscribe', addresses: [address('eve')] })
    await dan.next((m) => m.type === 'snapshot')
    expect(
      await dan.request({ type: 'delivery', mode: 'coalesced', intervalMs: 1000 }),
    ).toMatchObject({ type: 'ack' })
    for (const availability of ['busy', 'away', 'do-not-disturb'] as const) {
      await eve.request({ type: 'publish', source: 'desk', availability })
    }
    const change = await dan.next((m) => m.type === 'change')
    expect(viewOf(change).availability).toBe('do-not-disturb')
    expect(dan.all('change')).toHaveLength(1)

    await dan.request({ type: 'delivery', mode: 'live' })
    await eve.request({ type: 'publish', source: 'desk', availability: 'available' })
    await eve.request({ type: 'publish', source: 'desk', availability: 'busy' })
    await dan.next((m) => m.type === 'change' && viewOf(m).availability === 'busy')
    expect(dan.all('change').map((m) => viewOf(m).availability)).toEqual([
      'do-not-disturb',
      'available',
      'busy',
    ])
    const bad = await dan.request({ type: 'delivery', mode: 'coalesced', intervalMs: 5 })
    expect(bad).toMatchObject({ type: 'error', code: 'NRV_VALIDATION' })
    await Promise.all([dan.close(), eve.close()])
  })

  it("answers a connection's messages in the order sent, whether each is handled at once or waits", async () => {
    const fay = await TestSocket.open(h.url, tokens['fay'])
    // A subscribe waits for the store, a publish and a ping are handled within the turn that reads
    // them, an error at once: each reply still comes in the order of the messages.
    const sent = [
      { type: 'subscribe', id: 'a', addresses: [address('ann'), address('ben')] },
      { type: 'publish', id: 'b', source: 'desk', availability: 'busy' },
      { type: 'ping', id: 'c' },
      { type: 'subscribe', id: 'd', addresses: [address('cat')] },
      { type: 'publish', id: 'e', source: 'desk', availability: 'bogus' },
      { type: 'publish', id: 'f', source: 'desk', availability: 'available' },
      { type: 'ping', id: 'g' },
    ]
    for (const message of sent) fay.send(message)
    const replies: Message[] = []
    for (let i = 0; i < sent.length; i++)
      replies.push(await fay.next((m) => ['ack', 'pong', 'error'].includes(m.type as string)))
    expect(replies.map((m) => [m.id, m.type])).toEqual([
      ['a', 'ack'],
      ['b', 'ack'],
      ['c', 'pong'],
      ['d', 'ack'],
      ['e', 'error'],
      ['f', 'ack'],
      ['g', 'pong'],
    ])
    expect(replies[1]).toMatchObject({ outcome: 'changed' })
    expect(replies[5]).toMatchObject({ outcome: 'changed' })
    const own = await api<{ presence: { availability: string } }>(h.url, {
      path: '/v1/me/presence',
      token: tokens['fay']!,
    })
    expect(own.body.presence.availability).toBe('available')
    await fay.close()
  })
})
