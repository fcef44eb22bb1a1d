// Integration: team lists, reachability and pick over the real server — a never-active colleague is
// listed like a polite-blocking one, asynchronous kinds (e-mail, SMS) are reachable for someone
// never online while live kinds are not, and a pick by voice answers with the voice address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import type { Harness } from '../support/server-harness.js'
import { addUsers, api, domain, startHarness } from '../support/server-harness.js'

const clock = new FixedClock(Date.UTC(2026, 10, 24, 10, 0, 0))
let h: Harness
let t: Record<string, string>
const at = (name: string) => `${name}@${domain}`
const put = (name: string, path: string, body: unknown) =>
  api(h.url, { method: 'PUT', path, token: t[name]!, body })
const get = <T = Record<string, unknown>>(name: string, path: string) =>
  api<T>(h.url, { path, token: t[name]! })

interface Entry {
  address: string
  view: Record<string, unknown> & {
    contactMethods?: { kind: string; address: string; reachable: boolean }[]
  }
  best?: { kind: string; address: string }
  reachableNow: boolean
}

beforeAll(async () => {
  h = await startHarness({ clock })
  const users = await addUsers(h.url, ['maja', 'ali', 'eli', 'gus', 'ned'])
  t = users.tokens
  const created = await api(h.url, {
    path: '/v1/groups',
    token: users.admin,
    body: { name: 'ops', members: ['ali', 'eli', 'gus'].map(at) },
  })
  expect(created.status).toBe(201)
  await put('ali', '/v1/me/contact-methods', [
    { kind: 'im', address: at('ali'), rank: 1, scope: 'work' },
    { kind: 'voice', address: `sip:ali@${domain}`, rank: 2, scope: 'work' },
  ])
  await put('ali', '/v1/me/presence/sources/desk', {
    availability: 'available',
    device: { capabilities: ['im', 'voice'] },
  })
  await put('eli', '/v1/me/privacy', {
    rules: [
      {
        id: 'maja',
        conditions: { addresses: [at('maja')] },
        subscription: 'polite-block',
        grant: {},
      },
    ],
  })
  await put('eli', '/v1/me/presence/sources/desk', {
    availability: 'available',
    device: { capabilities: ['im'] },
  })
  await put('ned', '/v1/me/contact-methods', [
    { kind: 'email', address: `ned@${domain}`, rank: 1, scope: 'work' },
    { kind: 'sms', address: '+46 70 000 00 00', rank: 2, scope: 'work' },
    { kind: 'im', address: at('ned'), rank: 3, scope: 'work' },
  ])
})
afterAll(() => h.stop())

describe('a team list names every member', () => {
  it('a never-active colleague is listed, and looks like a polite-blocking one', async () => {
    const list = await get<Entry[]>('maja', '/v1/availability?team=ops')
    expect(list.status).toBe(200)
    expect(list.body.map((e) => e.address).sort()).toEqual([at('ali'), at('eli'), at('gus')])
    const eli = list.body.find((e) => e.address === at('eli'))!
    const gus = list.body.find((e) => e.address === at('gus'))!
    const generic = ({
      address: _a,
      view: { address: _v, displayName: _d, ...view },
      ...entry
    }: Entry) => ({ ...entry, view })
    expect(generic(eli)).toEqual(generic(gus))
    expect(gus).toMatchObject({
      view: { availability: 'offline', displayName: 'gus' },
      reachableNow: false,
    })
  })

  it('pick counts the never-active member among the candidates', async () => {
    const nobodyFree = await api<{ candidates: number; picked?: unknown }>(h.url, {
      path: '/v1/pick',
      token: t['maja']!,
      body: { team: 'ops', via: 'sms' },
    })
    expect(nobodyFree.body.picked).toBeUndefined()
    expect(nobodyFree.body.candidates).toBe(3)
  })
})

describe('asynchronous kinds', () => {
  it('e-mail and SMS are reachable for someone never online, live kinds are not', async () => {
    const reply = await get<{ view: Entry['view'] }>('maja', `/v1/presence/${at('ned')}`)
    expect(reply.status).toBe(200)
    const reachable = Object.fromEntries(
      reply.body.view.contactMethods!.map((m) => [m.kind, m.reachable]),
    )
    expect(reachable).toEqual({ email: true, sms: true, im: false })
  })
})

describe('pick by voice', () => {
  it('answers with the voice address, not the IM one', async () => {
    const reply = await api<{ picked?: Entry }>(h.url, {
      path: '/v1/pick',
      token: t['maja']!,
      body: { team: 'ops', via: 'voice' },
    })
    expect(reply.status).toBe(200)
    expect(reply.body.picked).toMatchObject({
      address: at('ali'),
      best: { kind: 'voice', address: `sip:ali@${domain}` },
    })
  })
})
