// Integration: team availability over the real server — who of a team can be reached now, reach
// with a priority-access list, routing that moves from IM to voicemail, skill-less team routing
// that spreads picks and never picks a busy or polite-blocking person, a live who query that gets
// exactly the changes of its result set (joins, visible changes of members, leaves), and nothing
// hidden leaking through any answer or change.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import type { ApiReply, Harness, Message } from '../support/server-harness.js'
import { TestSocket, addUsers, api, domain, startHarness } from '../support/server-harness.js'

const clock = new FixedClock(Date.UTC(2026, 10, 24, 10, 0, 0))
let h: Harness
let admin: string
let t: Record<string, string>
const at = (name: string) => `${name}@${domain}`
const team = ['ali', 'bea', 'cem', 'eli', 'fia']
const put = (name: string, path: string, body: unknown) =>
  api(h.url, { method: 'PUT', path, token: t[name]!, body })
const get = <T = Record<string, unknown>>(name: string, path: string) =>
  api<T>(h.url, { path, token: t[name]! })
const device = (name: string, body: Record<string, unknown>) =>
  put(name, '/v1/me/presence/sources/desk', { device: { capabilities: ['im', 'voice'] }, ...body })

interface Entry {
  address: string
  view: { availability: string; activities?: { kind: string }[]; contactMethods?: unknown[] }
  best?: { kind: string }
  reachableNow: boolean
}

beforeAll(async () => {
  h = await startHarness({ clock })
  const users = await addUsers(h.url, ['maja', 'dag', ...team])
  admin = users.admin
  t = users.tokens
  const created = await api(h.url, {
    path: '/v1/groups',
    token: admin,
    body: { name: 'support', members: team.map(at) },
  })
  expect(created.status).toBe(201)
  for (const name of team) {
    await put(name, '/v1/me/contact-methods', [
      { kind: 'im', address: at(name), rank: 1, scope: 'work' },
      { kind: 'voice', address: `sip:${name}@${domain}`, rank: 2, scope: 'work' },
    ])
  }
  await device('ali', { availability: 'available' })
  await device('bea', { availability: 'busy', activities: [{ kind: 'in-a-meeting' }] })
  await device('cem', { availability: 'do-not-disturb' })
  await device('eli', { availability: 'available' })
  // Cem lets Dag through do-not-disturb by voice; Eli polite-blocks Maja.
  expect(
    (
      await put('cem', '/v1/me/privacy', {
        priorityAccess: [{ addresses: [at('dag')], kinds: ['voice'] }],
      })
    ).status,
  ).toBe(200)
  await put('eli', '/v1/me/privacy', {
    rules: [
      {
        id: 'team',
        conditions: { ownOrganization: true, except: [at('maja')] },
        subscription: 'allow',
        grant: { activities: true, contactScopes: ['work'] },
      },
      {
        id: 'maja',
        conditions: { addresses: [at('maja')] },
        subscription: 'polite-block',
        grant: {},
      },
    ],
  })
})
afterAll(() => h.stop())

describe('who is available', () => {
  it('lists the team best reachable first, and filters by availability and contact kind', async () => {
    const all = await get<Entry[]>('maja', '/v1/availability?team=support')
    expect(all.status).toBe(200)
    expect(all.body.map((e) => e.address)).toEqual([
      at('ali'),
      at('bea'),
      at('cem'),
      at('eli'),
      at('fia'),
    ])
    expect(all.body[0]).toMatchObject({ reachableNow: true, best: { kind: 'im' } })
    // Eli polite-blocks Maja: offline, unreachable, and nothing beyond what a real offline (Fia)
    // shows. (A real offline colleague also shows her work contact methods; the polite-blocked
    // view shows none: a known limit, docs/privacy.md.)
    const eli = all.body.find((e) => e.address === at('eli'))!
    const fia = all.body.find((e) => e.address === at('fia'))!
    expect(eli.view.availability).toBe('offline')
    expect(eli.reachableNow).toBe(fia.reachableNow)
    expect(eli.reachableNow).toBe(false)
    for (const key of Object.keys(eli.view)) expect(Object.keys(fia.view)).toContain(key)
    const available = await get<Entry[]>(
      'maja',
      '/v1/availability?team=support&availability=available',
    )
    expect(available.body.map((e) => e.address)).toEqual([at('ali')])
    const byVoice = await get<Entry[]>('maja', '/v1/availability?team=support&reachableBy=voice')
    expect(byVoice.body.map((e) => e.address)).toEqual([at('ali')])
    // Dag does see Eli, and reaches her; Eli's block of Maja changes nothing for him.
    const dag = await get<Entry[]>('dag', '/v1/availability?team=support&reachableBy=voice')
    expect(dag.body.map((e) => e.address)).toEqual([at('ali'), at('eli'), at('cem')])
  })

  it('pages the answer: each page at most `limit` people, the next named by a header, together the whole answer', async () => {
    const whole = await get<Entry[]>('maja', '/v1/availability?team=support')
    expect(whole.headers.get('content-type')).toMatch(/^application\/json/)
    expect(whole.headers.get('narvaro-next-cursor')).toBeNull()
    const pages: Entry[][] = []
    let cursor: string | null = null
    do {
      const path: string = `/v1/availability?team=support&limit=2${cursor ? `&cursor=${cursor}` : ''}`
      const page: ApiReply<Entry[]> = await get<Entry[]>('maja', path)
      expect(page.status).toBe(200)
      expect(page.body.length).toBeLessThanOrEqual(2)
      pages.push(page.body)
      cursor = page.headers.get('narvaro-next-cursor')
    } while (cursor !== null && pages.length <= whole.body.length)
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1])
    expect(pages.flat()).toEqual(whole.body)
    // Another asker of the same class (Dag is named in Cem's priority list: a class of his own).
    expect((await get<Entry[]>('dag', '/v1/availability?team=support&limit=5')).body).toHaveLength(
      5,
    )
    for (const bad of ['limit=0', 'limit=x', 'cursor=%21%21', `cursor=${'A'.repeat(2001)}`]) {
      const reply = await get('maja', `/v1/availability?team=support&${bad}`)
      expect([reply.status, reply.body['code']]).toEqual([400, 'NRV_VALIDATION'])
    }
  })

  it('rejects bad filters with a machine-readable code', async () => {
    expect(
      (await get('maja', '/v1/availability?team=support&availability=sleepy')).body['code'],
    ).toBe('NRV_VALIDATION')
    expect((await get('maja', '/v1/availability?team=nope')).body['code']).toBe('NRV_NOT_FOUND')
    expect((await get('maja', '/v1/availability?reachableBy=fax')).body['code']).toBe(
      'NRV_VALIDATION',
    )
  })
})

describe('reach and route', () => {
  it('a colleague on the priority-access list reaches a person in do-not-disturb, and others do not', async () => {
    const dag = await get('dag', `/v1/reach/${at('cem')}?via=voice`)
    expect(dag.body).toMatchObject({
      reachable: true,
      priorityAccess: true,
      via: { kind: 'voice' },
    })
    const maja = await get('maja', `/v1/reach/${at('cem')}?via=voice`)
    expect(maja.body).toMatchObject({ reachable: false, reason: 'do-not-disturb' })
    const byIm = await get('dag', `/v1/reach/${at('cem')}?via=im`)
    expect(byIm.body).toMatchObject({ reachable: false, reason: 'do-not-disturb' })
  })

  it('a busy person in a meeting is reachable by chat, not by voice, with the reason and the alternative', async () => {
    const voice = await get('maja', `/v1/reach/${at('bea')}?via=voice`)
    expect(voice.body).toMatchObject({
      reachable: false,
      reason: 'busy-in-a-meeting',
      alternative: { kind: 'im' },
    })
    expect((await get('maja', `/v1/reach/${at('bea')}?via=im`)).body).toMatchObject({
      reachable: true,
    })
  })

  it('a polite-blocked asker is told "offline", exactly as for someone really offline', async () => {
    const eli = await get('maja', `/v1/reach/${at('eli')}?via=im`)
    const fia = await get('maja', `/v1/reach/${at('fia')}?via=im`)
    expect(eli.body['reachable']).toBe(false)
    expect(eli.body['reason']).toBe(fia.body['reason'])
    expect(eli.body['reason']).toBe('offline')
    expect(JSON.stringify(eli.body)).not.toContain('sip:')
    expect((await get('maja', `/v1/reach/${at('nobody')}?via=im`)).body['code']).toBe(
      'NRV_NOT_FOUND',
    )
  })

  it('the routing answer moves from IM to voicemail as the person goes from available to presenting', async () => {
    await device('ali', { availability: 'available' })
    expect((await get('maja', `/v1/route/${at('ali')}?urgency=normal`)).body).toMatchObject({
      deliver: 'im',
    })
    await device('ali', { availability: 'do-not-disturb', activities: [{ kind: 'presenting' }] })
    const presenting = await get('maja', `/v1/route/${at('ali')}?urgency=normal`)
    expect(presenting.body).toMatchObject({ deliver: 'voicemail', reason: 'presenting' })
    await device('ali', { availability: 'available' })
    expect((await get('maja', `/v1/route/${at('ali')}?urgency=sometime`)).body['code']).toBe(
      'NRV_VALIDATION',
    )
  })
})

describe('pick', () => {
  it('never picks a busy or polite-blocking person, and spreads picks over the available ones', async () => {
    await device('fia', { availability: 'available' })
    const picks: string[] = []
    for (let i = 0; i < 6; i++) {
      const reply = await api<{ picked?: Entry }>(h.url, {
        path: '/v1/pick',
        token: t['maja']!,
        body: { team: 'support', via: 'im' },
      })
      expect(reply.status).toBe(200)
      picks.push(reply.body.picked!.address)
    }
    // Ali and Fia are available to Maja; Bea is busy, Cem in do-not-disturb, Eli polite-blocks her.
    expect(new Set(picks)).toEqual(new Set([at('ali'), at('fia')]))
    expect(picks.filter((p) => p === at('ali'))).toHaveLength(3)
    await device('fia', { availability: 'away' })
  })
})

describe('live who query', () => {
  it('receives exactly the changes of its result set', async () => {
    const ws = await TestSocket.open(h.url, t['maja'])
    const ack = await ws.request({ type: 'who', team: 'support', availability: ['available'] })
    expect(ack['entries']).toMatchObject([{ address: at('ali') }])
    // The ack shows exactly what the same question over REST answers (the same encoded entries).
    const asked = await api(h.url, {
      path: '/v1/availability?team=support&availability=available',
      token: t['maja'],
    })
    expect(ack['entries']).toEqual(asked.body)
    const query = ack['query'] as string
    const changes = () =>
      ws.all('who-change').map((m: Message) => `${m['op'] as string} ${m['address'] as string}`)
    await device('bea', { availability: 'available' }) // joins
    await ws.next((m) => m.type === 'who-change' && m['address'] === at('bea'))
    await device('bea', { availability: 'available', note: { text: 'back' } }) // still in: changed
    const changed = await ws.next((m) => m.type === 'who-change' && m['op'] === 'changed')
    expect(changed).toMatchObject({
      address: at('bea'),
      entry: { view: { note: { text: 'back' } } },
    })
    await device('bea', { availability: 'available', note: { text: 'back' } }) // the same: nothing
    await device('eli', { availability: 'busy' }) // hidden from Maja: nothing
    await device('eli', { availability: 'available' })
    await device('ali', { availability: 'busy' }) // leaves
    await ws.next((m) => m.type === 'who-change' && m['address'] === at('ali'))
    // A policy change counts too: Cem lets nobody see her any more... and becomes available.
    await device('cem', { availability: 'available' }) // joins
    await ws.next((m) => m.type === 'who-change' && m['address'] === at('cem'))
    await put('cem', '/v1/me/privacy', {
      rules: [
        { id: 'nobody', conditions: { addresses: [at('dag')] }, subscription: 'allow', grant: {} },
      ],
    })
    await ws.next(
      (m) => m.type === 'who-change' && m['address'] === at('cem') && m['op'] === 'left',
    )
    expect(changes()).toEqual([
      `joined ${at('bea')}`,
      `changed ${at('bea')}`,
      `left ${at('ali')}`,
      `joined ${at('cem')}`,
      `left ${at('cem')}`,
    ])
    expect(ws.invalid).toEqual([])
    expect(await ws.request({ type: 'who-close', query })).toMatchObject({ type: 'ack' })
    await device('ali', { availability: 'available' })
    const sync = `s${Math.random()}`
    ws.send({ type: 'ping', id: sync })
    await ws.next((m) => m.type === 'pong' && m['id'] === sync)
    expect(ws.all('who-change')).toHaveLength(5)
    await ws.close()
  })

  it('sends a change only of what the privacy rules let the asker see', async () => {
    await device('fia', { availability: 'away' })
    const [dag, maja] = await Promise.all([
      TestSocket.open(h.url, t['dag']),
      TestSocket.open(h.url, t['maja']),
    ])
    for (const ws of [dag, maja]) await ws.request({ type: 'who', team: 'support' })
    const about = (ws: TestSocket, name: string) =>
      ws.all('who-change').filter((m: Message) => m['address'] === at(name))
    // Fia's visible change, after each of Eli's, tells when Eli's would have arrived.
    let fiaChanges = 0
    const barrier = async (availability: string) => {
      await device('fia', { availability })
      fiaChanges++
      for (const ws of [dag, maja]) await ws.next(() => about(ws, 'fia').length === fiaChanges)
    }
    // Eli grants Dag no note: a new note alone changes nothing Dag sees.
    await device('eli', { availability: 'available', note: { text: 'secret-plan' } })
    await barrier('available')
    expect(about(dag, 'eli')).toEqual([])
    await device('eli', {
      availability: 'available',
      note: { text: 'secret-plan' },
      activities: [{ kind: 'in-a-meeting' }],
    })
    await vi.waitFor(() => expect(about(dag, 'eli')).toHaveLength(1))
    expect(about(dag, 'eli')).toMatchObject([
      { op: 'changed', entry: { view: { activities: [{ kind: 'in-a-meeting' }] } } },
    ])
    // Eli polite-blocks Maja: nothing she does ever reaches her, not even her availability.
    await device('eli', { availability: 'busy', note: { text: 'secret-plan' } })
    await barrier('away')
    expect(about(maja, 'eli')).toEqual([])
    // A polite block of Dag too: one change to "offline", with nothing beyond what offline shows.
    await put('eli', '/v1/me/privacy', {
      rules: [
        {
          id: 'all',
          conditions: { ownOrganization: true },
          subscription: 'polite-block',
          grant: {},
        },
      ],
    })
    await vi.waitFor(() => expect(about(dag, 'eli')).toHaveLength(3))
    const offline = about(dag, 'eli')[2]!
    expect(offline).toMatchObject({ op: 'changed', entry: { view: { availability: 'offline' } } })
    expect(Object.keys((offline['entry'] as Entry).view).sort()).toEqual([
      'address',
      'availability',
      'displayName',
    ])
    for (const ws of [dag, maja]) {
      expect(JSON.stringify(ws.all('who-change'))).not.toContain('secret-plan')
      expect(ws.invalid).toEqual([])
      await ws.close()
    }
  })
})

describe('in a meeting until …', () => {
  it('reach tells until when, and pick says when the first one is expected to be free', async () => {
    const until = clock.now() + 30 * 60_000
    for (const name of team) {
      await put(name, '/v1/me/presence/manual', {
        availability: 'busy',
        activities: [{ kind: 'in-a-meeting' }],
        until: until + team.indexOf(name) * 60_000,
      })
    }
    const reach = await get('maja', `/v1/reach/${at('ali')}?via=voice`)
    expect(reach.body).toMatchObject({ reachable: false, reason: 'busy-in-a-meeting', until })
    const picked = await api<{ picked?: unknown; firstFreeAt?: number }>(h.url, {
      path: '/v1/pick',
      token: t['maja']!,
      body: { team: 'support', via: 'voice' },
    })
    expect(picked.body.picked).toBeUndefined()
    expect(picked.body.firstFreeAt).toBe(until)
    // Eli polite-blocks Maja: her end time never shows to Maja.
    expect(
      JSON.stringify((await get('maja', `/v1/reach/${at('eli')}?via=voice`)).body),
    ).not.toContain(String(until + 3 * 60_000))
    for (const name of team)
      await api(h.url, { method: 'DELETE', path: '/v1/me/presence/manual', token: t[name]! })
  })
})

describe('live who query over Server-Sent Events', () => {
  it('sends the answer, then each join and leave, as events named after their type', async () => {
    await device('ali', { availability: 'available' })
    await device('bea', { availability: 'busy' })
    const response = await fetch(
      `${h.url}/v1/availability/live?team=support&availability=available`,
      {
        headers: { authorization: `Bearer ${t['maja']!}`, accept: 'text/event-stream' },
      },
    )
    expect(response.status).toBe(200)
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read()
        if (done) throw new Error('stream ended')
        text += decoder.decode(value, { stream: true })
      }
    }
    await until(/event: who\ndata: .*\n\n/)
    expect(text).toContain(at('ali'))
    // The answer shows exactly what the same question over REST answers (the same encoded entries).
    const answer = JSON.parse(/event: who\ndata: (.*)\n\n/.exec(text)![1]!) as Message
    const asked = await api(h.url, {
      path: '/v1/availability?team=support&availability=available',
      token: t['maja'],
    })
    expect(answer['entries']).toEqual(asked.body)
    await device('bea', { availability: 'available' })
    await until(/event: who-change\ndata: .*"op":"joined".*\n\n/)
    expect(text).toMatch(new RegExp(`event: who-change\\ndata: .*"address":"${at('bea')}"`))
    await device('bea', { availability: 'busy' })
    await until(/"op":"left"/)
    await reader.cancel()
    expect((await get('maja', '/v1/availability/live?team=nope')).body['code']).toBe(
      'NRV_NOT_FOUND',
    )
  })
})
