// Integration: the policy engine over the real server — polite block indistinguishable from offline,
// the off-duty employee, confirm/approve, live rule changes over WebSocket and SSE, and audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import type { Harness, Message } from '../support/server-harness.js'
import { TestSocket, addUsers, api, domain, startHarness } from '../support/server-harness.js'
import { SseClient } from '../support/sse-client.js'

/** Monday 24 November 2026, 10:00 in Stockholm. */
const monday = Date.UTC(2026, 10, 23, 9, 0, 0)
const clock = new FixedClock(monday)
let h: Harness
let admin: string
let t: Record<string, string>
const at = (name: string) => `${name}@${domain}`
const office = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '17:00' }]
const put = (token: string, path: string, body: unknown) =>
  api(h.url, { method: 'PUT', path, token, body })
const publish = (name: string, body: Record<string, unknown>) =>
  put(t[name]!, '/v1/me/presence/sources/desk', body)

beforeAll(async () => {
  h = await startHarness({ clock, env: { NARVARO_SUBSCRIPTION_BURST: '100' } })
  const users = await addUsers(h.url, ['pia', 'ola', 'eva', 'sam', 'quinn', 'rita', 'tom', 'uma'])
  admin = users.admin
  t = users.tokens
})
afterAll(() => h.stop())

describe('polite block', () => {
  it("a polite-blocked watcher's whole stream is that of a presentity who is really offline", async () => {
    // Pia polite-blocks Ola; Quinn really is offline and lets Ola see availability only.
    await put(t['pia']!, '/v1/me/privacy', {
      rules: [
        {
          id: 'team',
          conditions: { ownOrganization: true, except: [at('ola')] },
          subscription: 'allow',
          grant: { note: true, activities: true },
        },
        {
          id: 'ola',
          conditions: { addresses: [at('ola')] },
          subscription: 'polite-block',
          grant: {},
        },
      ],
    })
    await put(t['quinn']!, '/v1/me/privacy', {
      rules: [
        { id: 'ola', conditions: { addresses: [at('ola')] }, subscription: 'allow', grant: {} },
      ],
    })
    await publish('pia', { availability: 'available', note: { text: 'at my desk' } })

    const stream = async (presentity: string, change: () => Promise<unknown>) => {
      const ola = await TestSocket.open(h.url, t['ola'])
      const ack = await ola.request({ type: 'subscribe', addresses: [at(presentity)] })
      await ola.next((m) => m.type === 'snapshot')
      await change()
      ola.send({ type: 'ping', id: 'end' })
      await ola.next((m) => m.type === 'pong')
      await ola.close()
      return { ack, messages: ola.messages }
    }
    const normalize = (messages: Message[], presentity: string) =>
      JSON.parse(
        JSON.stringify(messages)
          .replaceAll(at(presentity), 'X')
          .replaceAll(`"${presentity}"`, '"x"')
          .replace(/"(session|epoch)":"[^"]+"/g, '"$1":"?"')
          .replace(/"seq":\d+/g, '"seq":0')
          .replace(/"id":"r[a-z0-9]+"/g, '"id":"?"'),
      ) as unknown
    const blocked = await stream('pia', async () => {
      await publish('pia', { availability: 'busy', note: { text: 'in a call' } })
      await publish('pia', { availability: 'do-not-disturb' })
    })
    const offline = await stream('quinn', async () => undefined)
    expect(normalize(blocked.messages, 'pia')).toEqual(normalize(offline.messages, 'quinn'))
    expect(blocked.messages.filter((m) => m.type === 'snapshot')[0]!['view']).toEqual({
      address: at('pia'),
      displayName: 'pia',
      availability: 'offline',
    })
    // Over REST too: the subscription looks accepted, and the view is offline.
    const subs = await api<{ presentityAddress: string; state: string; view: unknown }[]>(h.url, {
      path: '/v1/subscriptions',
      token: t['ola']!,
    })
    expect(subs.body.find((s) => s.presentityAddress === at('pia'))).toMatchObject({
      state: 'active',
      view: { availability: 'offline' },
    })
    // Pia herself can see what she did.
    const watchers = await api<{ watcherAddress: string; handling: string }[]>(h.url, {
      path: '/v1/me/watchers',
      token: t['pia']!,
    })
    expect(watchers.body.find((w) => w.watcherAddress === at('ola'))?.handling).toBe('polite-block')
  })
})

describe('the off-duty employee', () => {
  it('outside working hours colleagues see only "off work", and the home number is never sent unless she opts in', async () => {
    await api(h.url, {
      method: 'PATCH',
      path: '/v1/me',
      token: t['eva']!,
      body: { timeZone: 'Europe/Stockholm', workingHours: office },
    })
    await put(t['eva']!, '/v1/me/contact-methods', [
      { kind: 'im', address: at('eva'), rank: 1, scope: 'work' },
      { kind: 'phone', address: '+46 70 555 HOME', rank: 2, scope: 'personal' },
    ])
    await publish('eva', { availability: 'available', device: { capabilities: ['im', 'phone'] } })
    const during = await api<{ view: Record<string, unknown> }>(h.url, {
      path: `/v1/presence/${at('eva')}`,
      token: t['sam']!,
    })
    expect(during.body.view).toMatchObject({
      availability: 'available',
      contactMethods: [{ kind: 'im', scope: 'work' }],
    })
    expect(JSON.stringify(during.body)).not.toContain('HOME')

    clock.advance(10 * 3_600_000) // 20:00 in Stockholm
    const evening = await api<{ view: Record<string, unknown> }>(h.url, {
      path: `/v1/presence/${at('eva')}`,
      token: t['sam']!,
    })
    expect(evening.body.view).toEqual({
      address: at('eva'),
      displayName: 'eva',
      availability: 'away',
      activities: [{ kind: 'off-work' }],
    })

    // Her own choice: share outside working hours, and the home phone with Sam only.
    await put(t['eva']!, '/v1/me/privacy', {
      shareOutsideWorkingHours: true,
      rules: [
        {
          id: 'team',
          conditions: { ownOrganization: true },
          subscription: 'allow',
          grant: { contactScopes: ['work'] },
        },
        {
          id: 'sam',
          conditions: { addresses: [at('sam')] },
          subscription: 'allow',
          grant: { contactScopes: ['personal'] },
        },
      ],
    })
    const optedIn = await api<{ view: Record<string, unknown> }>(h.url, {
      path: `/v1/presence/${at('eva')}`,
      token: t['sam']!,
    })
    expect(JSON.stringify(optedIn.body)).toContain('HOME')
    const other = await api<{ view: Record<string, unknown> }>(h.url, {
      path: `/v1/presence/${at('eva')}`,
      token: t['tom']!,
    })
    expect(JSON.stringify(other.body)).not.toContain('HOME')
    clock.advance(14 * 3_600_000)
  })

  it('an admin cannot make default rules share personal contact methods', async () => {
    const policy = await api<Record<string, unknown>>(h.url, {
      path: '/v1/organization/policy',
      token: admin,
    })
    const bad = {
      ...policy.body,
      defaultRules: [
        {
          id: 'all',
          conditions: { ownOrganization: true },
          subscription: 'allow',
          grant: { contactScopes: ['work', 'personal'] },
        },
      ],
    }
    const reply = await api(h.url, {
      method: 'PUT',
      path: '/v1/organization/policy',
      token: admin,
      body: bad,
    })
    expect(reply.status).toBe(400)
    expect(reply.body['code']).toBe('NRV_VALIDATION')
    const member = await api(h.url, {
      method: 'PUT',
      path: '/v1/organization/policy',
      token: t['sam']!,
      body: policy.body,
    })
    expect(member.status).toBe(403)
  })
})

describe('confirm and live rule changes', () => {
  it('a confirm request is pending until approved; the owner hears of it live; approval sends a snapshot', async () => {
    await put(t['rita']!, '/v1/me/privacy', {
      rules: [
        {
          id: 'ask',
          conditions: { ownOrganization: true },
          subscription: 'confirm',
          grant: { note: true },
        },
      ],
    })
    await publish('rita', { availability: 'busy', note: { text: 'writing' } })
    const rita = await TestSocket.open(h.url, t['rita'])
    const tom = await TestSocket.open(h.url, t['tom'])
    const ack = await tom.request({ type: 'subscribe', addresses: [at('rita')] })
    expect(ack['subscribed']).toEqual([at('rita')])
    expect((await tom.next((m) => m.type === 'snapshot'))['view']).toEqual({
      address: at('rita'),
      displayName: 'rita',
      availability: 'offline',
    })
    expect(await rita.next((m) => m.type === 'watcher')).toMatchObject({
      watcher: at('tom'),
      state: 'pending',
    })
    const mine = await api<{ presentityAddress: string; state: string }[]>(h.url, {
      path: '/v1/subscriptions',
      token: t['tom']!,
    })
    expect(mine.body.find((s) => s.presentityAddress === at('rita'))?.state).toBe('pending')

    const approve = await api(h.url, {
      method: 'POST',
      path: `/v1/me/watchers/${at('tom')}/approve`,
      token: t['rita']!,
    })
    expect(approve.status).toBe(204)
    expect(await tom.next((m) => m.type === 'subscription')).toMatchObject({
      address: at('rita'),
      state: 'active',
    })
    const snapshot = await tom.next((m) => m.type === 'snapshot')
    expect(snapshot['view']).toMatchObject({ availability: 'busy', note: { text: 'writing' } })
    await Promise.all([rita.close(), tom.close()])
  })

  it("a rule change withdraws a field at once, a colleague's new block turns the view offline, over WebSocket and SSE", async () => {
    await put(t['uma']!, '/v1/me/privacy', {
      rules: [
        {
          id: 'all',
          conditions: { ownOrganization: true },
          subscription: 'allow',
          grant: { note: true },
        },
      ],
    })
    await publish('uma', { availability: 'available', note: { text: 'lunch at noon' } })
    const ws = await TestSocket.open(h.url, t['sam'])
    await ws.request({ type: 'subscribe', addresses: [at('uma')] })
    expect((await ws.next((m) => m.type === 'snapshot'))['view']).toMatchObject({
      note: { text: 'lunch at noon' },
    })
    const sse = await SseClient.open(h.url, t['tom']!, { query: `addresses=${at('uma')}` })
    expect((await sse.next('snapshot')).data['view']).toMatchObject({
      note: { text: 'lunch at noon' },
    })

    await put(t['uma']!, '/v1/me/privacy', {
      rules: [
        { id: 'all', conditions: { ownOrganization: true }, subscription: 'allow', grant: {} },
      ],
    })
    const wsChange = await ws.next((m) => m.type === 'change')
    expect(wsChange['view']).not.toHaveProperty('note')
    expect((await sse.next('change')).data['view']).not.toHaveProperty('note')

    await put(t['uma']!, '/v1/me/privacy', {
      rules: [
        {
          id: 'all',
          conditions: { ownOrganization: true, except: [at('sam'), at('tom')] },
          subscription: 'allow',
          grant: {},
        },
      ],
    })
    // A colleague's block reads as polite-block: an ordinary offline with no grants, and no more.
    const offline = { address: at('uma'), displayName: 'uma', availability: 'offline' }
    expect((await ws.next((m) => m.type === 'change'))['view']).toEqual(offline)
    expect((await sse.next('change')).data['view']).toEqual(offline)
    await publish('uma', { availability: 'busy' })
    ws.send({ type: 'ping', id: 'after' })
    await ws.next((m) => m.type === 'pong')
    expect(ws.messages.filter((m) => m.type === 'change')).toHaveLength(2)
    expect(ws.messages.some((m) => m.type === 'unwatched')).toBe(false)

    // Allowed again: the same subscription shows the presence again, with a fresh snapshot.
    await put(t['uma']!, '/v1/me/privacy', {
      rules: [
        { id: 'all', conditions: { ownOrganization: true }, subscription: 'allow', grant: {} },
      ],
    })
    expect((await ws.next((m) => m.type === 'snapshot'))['view']).toMatchObject({
      availability: 'busy',
    })
    sse.close()
    await ws.close()
  })
})

describe('audit', () => {
  it('the owner lists who received her contact methods; admins list policy and rule changes', async () => {
    const disclosures = await api<{ actorAddress: string; data: { details: string[] } }[]>(h.url, {
      path: '/v1/me/disclosures',
      token: t['eva']!,
    })
    expect(disclosures.status).toBe(200)
    const toSam = disclosures.body.filter((d) => d.actorAddress === at('sam'))
    expect(toSam.some((d) => d.data.details.some((x) => x.includes('HOME')))).toBe(true)
    expect(
      disclosures.body
        .filter((d) => d.actorAddress === at('tom'))
        .some((d) => d.data.details.some((x) => x.includes('HOME'))),
    ).toBe(false)
    const changes = await api<{ kind: string; actorAddress: string }[]>(h.url, {
      path: '/v1/organization/audit',
      token: admin,
    })
    expect(changes.body.some((c) => c.kind === 'rule-change' && c.actorAddress === at('eva'))).toBe(
      true,
    )
    const forbidden = await api(h.url, { path: '/v1/organization/audit', token: t['eva']! })
    expect(forbidden.status).toBe(403)
  })

  it('the preview answers what a watcher sees of me now', async () => {
    const preview = await api<{
      permissions: { subscription: string }
      view: Record<string, unknown>
    }>(h.url, { path: `/v1/me/privacy/preview?watcher=${at('ola')}`, token: t['pia']! })
    expect(preview.body.permissions.subscription).toBe('polite-block')
    expect(preview.body.view).toEqual({
      address: at('pia'),
      displayName: 'pia',
      availability: 'offline',
    })
  })
})

describe('subscription floods', () => {
  it('a flood of requests is refused with NRV_RATE_LIMITED and reaches the presentity as one prompt', async () => {
    await put(t['quinn']!, '/v1/me/privacy', {
      rules: [{ id: 'ask', conditions: { everyone: true }, subscription: 'confirm', grant: {} }],
    })
    const quinn = await TestSocket.open(h.url, t['quinn'])
    const replies = []
    for (let i = 0; i < 120; i++) {
      replies.push(
        await api(h.url, {
          path: '/v1/subscriptions',
          token: t['tom']!,
          body: { address: at('quinn') },
        }),
      )
    }
    const limited = replies.filter((r) => r.status === 429)
    expect(limited.length).toBeGreaterThan(0)
    expect(limited[0]!.body['code']).toBe('NRV_RATE_LIMITED')
    quinn.send({ type: 'ping', id: 'end' })
    await quinn.next((m) => m.type === 'pong')
    expect(quinn.messages.filter((m) => m.type === 'watcher')).toHaveLength(1)
    await quinn.close()
  })
})

describe('organization policy, live', () => {
  it('lowering a ceiling coarsens the location of live subscriptions at once', async () => {
    await put(t['tom']!, '/v1/me/privacy', {
      rules: [
        {
          id: 'all',
          conditions: { ownOrganization: true },
          subscription: 'allow',
          grant: { location: 'exact' },
        },
      ],
    })
    await publish('tom', {
      availability: 'available',
      location: { country: 'SE', city: 'Lund', latitude: 55.7, longitude: 13.19 },
    })
    const uma = await TestSocket.open(h.url, t['uma'])
    await uma.request({ type: 'subscribe', addresses: [at('tom')] })
    expect((await uma.next((m) => m.type === 'snapshot'))['view']).toMatchObject({
      location: { latitude: 55.7 },
    })
    const policy = await api<{ colleagueCeiling: { grant: Record<string, unknown> } }>(h.url, {
      path: '/v1/organization/policy',
      token: admin,
    })
    const lowered = {
      ...policy.body,
      colleagueCeiling: {
        ...policy.body.colleagueCeiling,
        grant: { ...policy.body.colleagueCeiling.grant, location: 'city' },
      },
    }
    expect(
      (
        await api(h.url, {
          method: 'PUT',
          path: '/v1/organization/policy',
          token: admin,
          body: lowered,
        })
      ).status,
    ).toBe(200)
    const change = await uma.next((m) => m.type === 'change')
    expect(change['view']).toMatchObject({ location: { country: 'SE', city: 'Lund' } })
    expect(JSON.stringify(change['view'])).not.toContain('55.7')
    const audit = await api<{ kind: string; actorAddress: string }[]>(h.url, {
      path: '/v1/organization/audit',
      token: admin,
    })
    expect(
      audit.body.some((e) => e.kind === 'policy-change' && e.actorAddress === `admin@${domain}`),
    ).toBe(true)
    await uma.close()
  })
})
