// Integration: integration sources over the real server — a call system that dies still clears at the
// safety expiry, an `ended` before its `started` leaves nothing behind, duplicate event ids change
// nothing, tokens are scoped and revocable, and policy still decides who sees the activity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import type { View } from '../support/harness-fixture.js'
import { viewOf } from '../support/harness-fixture.js'
import { at, postEvents, postIntegration } from '../support/integration-events.js'
import type { Harness } from '../support/server-harness.js'
import { TestSocket, addUsers, api, startHarness } from '../support/server-harness.js'

const clock = new FixedClock(Date.UTC(2026, 10, 24, 10, 0, 0))
let h: Harness
let t: Record<string, string>
let admin: string
let phones: string
let nextId = 0

const createIntegration = async (kinds: string[], token = admin) =>
  postIntegration(h.url, token, { name: `system ${kinds.join('+')}`, kinds })

const send = (token: string, events: Record<string, unknown>[]) => postEvents(h.url, token, events)

/** One event, with a fresh id and `at` = now unless given. */
const event = (person: string, fields: Record<string, unknown>) => ({
  id: `e${++nextId}`,
  person: at(person),
  type: 'call',
  at: clock.now(),
  ...fields,
})

const watch = async (watcher: string, presentity: string) => {
  const socket = await TestSocket.open(h.url, t[watcher])
  await socket.request({ type: 'subscribe', addresses: [at(presentity)] })
  const snapshot = await socket.next((m) => m.type === 'snapshot')
  return { socket, snapshot: viewOf(snapshot) }
}

/** Offline with no activity (an offline view has no activities field). */
const expectClear = (view: View) => {
  expect(view.availability).toBe('offline')
  expect(view.activities ?? []).toStrictEqual([])
}

const viewAs = async (watcher: string, presentity: string) =>
  (
    await api<{ view: View & { workLocation?: unknown } }>(h.url, {
      path: `/v1/presence/${at(presentity)}`,
      token: t[watcher]!,
    })
  ).body.view

beforeAll(async () => {
  h = await startHarness({ clock })
  ;({ admin, tokens: t } = await addUsers(h.url, ['mia', 'leo', 'ivy', 'kim', 'eve', 'sam', 'tom']))
  phones = (await createIntegration(['phone', 'conference', 'integration'])).body.token
})
afterAll(() => h.stop())

describe('integration sources', () => {
  it('a call system reports a call and then dies, and the activity still clears at its safety expiry', async () => {
    const { socket, snapshot } = await watch('mia', 'leo')
    expect(snapshot.availability).toBe('offline')
    const started = await send(phones, [
      event('leo', { state: 'started', key: 'c1', ttlSeconds: 60 }),
    ])
    expect(started.status).toBe(200)
    expect(started.body.results[0]).toMatchObject({
      result: 'applied',
      expiresAt: clock.now() + 60_000,
    })
    const busy = viewOf(await socket.next((m) => m.type === 'change'))
    expect(busy).toMatchObject({ availability: 'busy', activities: [{ kind: 'in-a-call' }] })
    // A refresh before the expiry extends it, and is no change for watchers.
    clock.advance(50_000)
    const refreshed = await send(phones, [
      event('leo', { state: 'refresh', key: 'c1', ttlSeconds: 60 }),
    ])
    expect(refreshed.body.results[0]).toMatchObject({
      result: 'applied',
      expiresAt: clock.now() + 60_000,
    })
    clock.advance(50_000)
    // A ping's pong comes after anything sent before it on the same socket.
    const id = 'p1'
    socket.send({ type: 'ping', id })
    await socket.next((m) => m.type === 'pong' && m['id'] === id)
    expect(socket.all('change')).toHaveLength(1)
    // Then the call system dies: no more events, and the activity ends at the safety expiry.
    clock.advance(15_000)
    const cleared = viewOf(await socket.next((m) => m.type === 'change'))
    expect(cleared.availability).toBe('offline')
    expect(cleared.activities ?? []).toStrictEqual([])
    await socket.close()
  })

  it("an 'ended' event delivered before its 'started' leaves no stale activity", async () => {
    const t0 = clock.now()
    const batch = await send(phones, [
      event('ivy', { state: 'ended', key: 'c1', at: t0 }),
      event('ivy', { state: 'started', key: 'c1', at: t0 - 30_000 }),
    ])
    expect(batch.body.results.map((r) => r.result)).toStrictEqual(['applied', 'stale'])
    expect(batch.body.results[1]).toMatchObject({ code: 'NRV_PUBLICATION_STALE' })
    expectClear(await viewAs('mia', 'ivy'))
    // Also when the late `started` comes in a later request, after time moved on.
    await send(phones, [event('ivy', { type: 'conference', state: 'ended', key: 'k2', at: t0 })])
    clock.advance(20_000)
    const late = await send(phones, [
      event('ivy', { type: 'conference', state: 'started', key: 'k2', at: t0 - 60_000 }),
      event('ivy', { type: 'conference', state: 'refresh', key: 'k2', at: t0 - 1000 }),
    ])
    expect(late.body.results.map((r) => r.result)).toStrictEqual(['stale', 'stale'])
    expectClear(await viewAs('mia', 'ivy'))
  })

  it('a repeated event id is a duplicate and changes nothing', async () => {
    const start = event('kim', { state: 'started' })
    const end = event('kim', { state: 'ended' })
    expect((await send(phones, [start, start])).body.results.map((r) => r.result)).toStrictEqual([
      'applied',
      'duplicate',
    ])
    expect((await send(phones, [end])).body.results[0]!.result).toBe('applied')
    // The started again (a retry of the whole first batch) does not bring the call back.
    expect((await send(phones, [start])).body.results[0]!.result).toBe('duplicate')
    expectClear(await viewAs('mia', 'kim'))
  })

  it('presenting makes a person do-not-disturb, and video is a call', async () => {
    await send(phones, [
      event('sam', { type: 'video', state: 'started' }),
      event('sam', { type: 'screen-sharing', state: 'started' }),
    ])
    expect(await viewAs('mia', 'sam')).toMatchObject({
      availability: 'do-not-disturb',
      activities: [{ kind: 'in-a-call' }, { kind: 'presenting' }],
    })
    await send(phones, [event('sam', { type: 'screen-sharing', state: 'ended' })])
    expect(await viewAs('mia', 'sam')).toMatchObject({
      availability: 'busy',
      activities: [{ kind: 'in-a-call' }],
    })
    await send(phones, [event('sam', { type: 'video', state: 'ended' })])
  })

  it('a token scoped to phone cannot publish presenting', async () => {
    const { token } = (await createIntegration(['phone'])).body
    const reply = await send(token, [
      event('eve', { type: 'presenting', state: 'started' }),
      event('eve', { type: 'call', state: 'started' }),
    ])
    expect(reply.body.results.map((r) => [r.result, r.code])).toStrictEqual([
      ['rejected', 'NRV_FORBIDDEN'],
      ['applied', undefined],
    ])
    expect(await viewAs('mia', 'eve')).toMatchObject({ activities: [{ kind: 'in-a-call' }] })
    await send(token, [event('eve', { state: 'ended' })])
  })

  it('a person of another organization is rejected exactly like an unknown one', async () => {
    await h.server.services.auth.initialize({
      domain: 'other.example',
      adminPassword: 'x'.repeat(20),
    })
    const reply = await send(phones, [
      { ...event('x', { state: 'started' }), person: 'admin@other.example' },
      { ...event('x', { state: 'started' }), person: 'nobody@other.example' },
      { ...event('x', { state: 'started' }), person: 'not an address' },
    ])
    const [other, unknown, invalid] = reply.body.results
    expect(other).toMatchObject({ result: 'rejected', code: 'NRV_NOT_FOUND' })
    expect({ ...other, id: '', message: other!.message!.replace('admin@', '') }).toStrictEqual({
      ...unknown,
      id: '',
      message: unknown!.message!.replace('nobody@', ''),
    })
    expect(invalid).toMatchObject({ result: 'rejected', code: 'NRV_ADDRESS_INVALID' })
  })

  it('a bad batch is a validation error, and only integration tokens may send events', async () => {
    const tooMany = Array.from({ length: 501 }, () => event('tom', { state: 'started' }))
    expect((await send(phones, tooMany)).body).toMatchObject({ code: 'NRV_VALIDATION' })
    expect((await send(phones, [{ ...event('tom', {}), state: 'maybe' }])).status).toBe(400)
    expect((await send(phones, [])).status).toBe(400)
    expect((await send(t['tom']!, [event('tom', { state: 'started' })])).status).toBe(401)
    const asUser = await api(h.url, { path: '/v1/me/presence', token: phones })
    expect(asUser.status).toBe(401)
  })

  it('only an admin manages integrations; a revoked or rotated token gets 401', async () => {
    expect((await createIntegration(['phone'], t['tom'])).body).toMatchObject({
      code: 'NRV_FORBIDDEN',
    })
    const created = (await createIntegration(['phone'])).body
    const { id } = created.integration
    const rotated = await api<{ token: string }>(h.url, {
      path: `/v1/integrations/${id}/rotate`,
      token: admin,
      body: {},
    })
    expect(rotated.status).toBe(200)
    expect((await send(created.token, [event('tom', { state: 'started' })])).status).toBe(401)
    const { token } = rotated.body
    expect((await send(token, [event('tom', { state: 'started' })])).body.results[0]!.result).toBe(
      'applied',
    )
    expect(await viewAs('mia', 'tom')).toMatchObject({ availability: 'busy' })
    const listed = await api<{ id: string; revokedAt?: number }[]>(h.url, {
      path: '/v1/integrations',
      token: admin,
    })
    expect(listed.body.map((i) => i.id)).toContain(id)
    expect(JSON.stringify(listed.body)).not.toContain('nri_')
    // Revoking ends the token and every activity the integration set.
    const revoked = await api(h.url, {
      method: 'DELETE',
      path: `/v1/integrations/${id}`,
      token: admin,
    })
    expect(revoked.status).toBe(204)
    expect((await send(token, [event('tom', { state: 'refresh' })])).status).toBe(401)
    expectClear(await viewAs('mia', 'tom'))
    const again = await api<{ revokedAt?: number }[]>(h.url, {
      path: '/v1/integrations',
      token: admin,
    })
    expect(again.body.find((i) => (i as { id: string }).id === id)?.revokedAt).toBe(clock.now())
  })

  it('a watcher whose policy hides activities sees busy but no activity', async () => {
    const rules = {
      rules: [
        { id: 'eve', conditions: { addresses: [at('eve')] }, subscription: 'allow', grant: {} },
      ],
    }
    expect(
      (await api(h.url, { method: 'PUT', path: '/v1/me/privacy', token: t['leo']!, body: rules }))
        .status,
    ).toBe(200)
    await send(phones, [event('leo', { state: 'started', key: 'c9' })])
    const hidden = await viewAs('eve', 'leo')
    expect(hidden.availability).toBe('busy')
    expect(hidden.activities ?? []).toStrictEqual([])
    await send(phones, [event('leo', { state: 'ended', key: 'c9' })])
  })

  it('a badge reader sets where someone works: it beats a schedule and loses to a manual choice', async () => {
    await api(h.url, {
      path: '/v1/me/schedule',
      token: t['tom'],
      body: {
        name: 'home days',
        set: { workLocation: { mode: 'remote' } },
        when: { once: { startsAt: clock.now(), endsAt: clock.now() + 8 * 3_600_000 } },
      },
    })
    const badge = (state: string, workLocation?: Record<string, string>) =>
      event('tom', {
        type: 'work-location',
        state,
        key: 'badge',
        ...(workLocation ? { workLocation } : {}),
      })
    const [missing] = (await send(phones, [badge('started')])).body.results
    expect(missing).toMatchObject({ result: 'rejected', code: 'NRV_VALIDATION' })
    expect(
      (await send(phones, [badge('started', { mode: 'office', site: 'Lund' })])).body.results[0]!
        .result,
    ).toBe('applied')
    const tomOnline = await TestSocket.open(h.url, t['tom'])
    await tomOnline.request({ type: 'publish', source: 'laptop', availability: 'available' })
    expect(await viewAs('mia', 'tom')).toMatchObject({
      availability: 'available',
      workLocation: { mode: 'office', site: 'Lund' },
    })
    await api(h.url, {
      method: 'PUT',
      path: '/v1/me/presence/work-location',
      token: t['tom'],
      body: { mode: 'travelling' },
    })
    expect((await viewAs('mia', 'tom')).workLocation).toEqual({ mode: 'travelling' })
    await api(h.url, { method: 'DELETE', path: '/v1/me/presence/work-location', token: t['tom'] })
    await send(phones, [badge('ended')])
    expect((await viewAs('mia', 'tom')).workLocation).toEqual({ mode: 'remote' })
    await tomOnline.close()
  })
})
