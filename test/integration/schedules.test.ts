// Integration: schedules over the real server. A scheduled do-not-disturb starts and ends on time, one
// that fell due while the server was stopped is in force after the restart, working hours switch
// colleagues to "off work" as they end, work location shows by policy, free/busy only as allowed.
import { describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import { amyWatchedByBo, neverIdle, useServer } from '../support/harness-fixture.js'
import { addUsersFast } from '../support/direct-users.js'
import { api, domain } from '../support/server-harness.js'

const minute = 60_000
const hour = 60 * minute
/** Monday 5 January 2026, 09:00 UTC (10:00 in Stockholm). */
const t0 = Date.UTC(2026, 0, 5, 9, 0)

const server = useServer()

/** Starts the server at t0 with nobody turning idle, and adds these users (no sign-in needed). */
const startWith = async (names: readonly string[]) => {
  const clock = new FixedClock(t0)
  const { url, server: running } = await server.start({ clock, env: neverIdle })
  return { clock, url, ...(await addUsersFast(running.services, names)) }
}

const addEntry = (token: string | undefined, body: unknown) =>
  api<{ id: string; code?: string }>(server.harness.url, { path: '/v1/me/schedule', token, body })

const setPrivacy = (token: string | undefined, rules: unknown) =>
  api(server.harness.url, { method: 'PUT', path: '/v1/me/privacy', token, body: { rules } })

/** Office hours on weekdays, in Stockholm. */
const setOfficeHours = (token: string | undefined) => {
  const hours = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '17:00' }]
  const body = { timeZone: 'Europe/Stockholm', workingHours: hours }
  return api(server.harness.url, { method: 'PATCH', path: '/v1/me', token, body })
}

const dndOnce = (startsAt: number, endsAt: number) => ({
  name: 'focus',
  set: { availability: 'do-not-disturb', note: 'Focus time' },
  when: { once: { startsAt, endsAt } },
})

describe('schedules', () => {
  it('a scheduled do-not-disturb starts and ends at the right moment for watchers', async () => {
    const { clock, url, tokens } = await startWith(['amy', 'bo'])
    const created = await addEntry(tokens['amy'], dndOnce(t0 + hour, t0 + 2 * hour))
    expect(created.status).toBe(201)
    const { bo, snapshot } = await amyWatchedByBo(server, tokens)
    expect(snapshot['view']).toMatchObject({ availability: 'available' })

    clock.advance(hour)
    const started = await bo.next((m) => m.type === 'change')
    expect(started['view']).toMatchObject({
      availability: 'do-not-disturb',
      note: { text: 'Focus time' },
    })
    const own = await api<{ presence: { provenance: { availability: Record<string, unknown> } } }>(
      url,
      { path: '/v1/me/presence', token: tokens['amy'] },
    )
    expect(own.body.presence.provenance.availability).toMatchObject({
      rule: 'scheduled',
      sourceKind: 'schedule',
      until: t0 + 2 * hour,
    })

    clock.advance(hour)
    const ended = await bo.next((m) => m.type === 'change')
    expect(ended['view']).toMatchObject({ availability: 'available' })
    expect(ended['view']).not.toHaveProperty('note')
  })

  it('a do-not-disturb that fell due while the server was stopped is in force after the restart', async () => {
    const { clock, tokens } = await startWith(['amy', 'bo'])
    const { dataDir } = server.harness
    await addEntry(tokens['amy'], dndOnce(t0 + hour, t0 + 3 * hour))
    await server.harness.stop({ keepData: true })

    clock.advance(90 * minute)
    await server.start({ clock, dataDir, env: neverIdle })
    const { bo, snapshot } = await amyWatchedByBo(server, tokens)
    expect(snapshot['view']).toMatchObject({
      availability: 'do-not-disturb',
      note: { text: 'Focus time' },
    })

    clock.advance(90 * minute)
    const ended = await bo.next((m) => m.type === 'change')
    expect(ended['view']).toMatchObject({ availability: 'available' })
  })

  it('a manual choice beats a scheduled do-not-disturb, and removing the entry ends it at once', async () => {
    const { url, tokens } = await startWith(['amy', 'bo'])
    const entry = await addEntry(tokens['amy'], dndOnce(t0, t0 + hour))
    const { bo, snapshot } = await amyWatchedByBo(server, tokens)
    expect(snapshot['view']).toMatchObject({ availability: 'do-not-disturb' })
    await api(url, {
      method: 'PUT',
      path: '/v1/me/presence/manual',
      token: tokens['amy'],
      body: { availability: 'available', until: t0 + 10 * minute },
    })
    expect((await bo.next((m) => m.type === 'change'))['view']).toMatchObject({
      availability: 'available',
    })
    await api(url, {
      method: 'DELETE',
      path: '/v1/me/presence/manual',
      token: tokens['amy'],
    })
    expect((await bo.next((m) => m.type === 'change'))['view']).toMatchObject({
      availability: 'do-not-disturb',
    })

    const removed = await api(url, {
      method: 'DELETE',
      path: `/v1/me/schedule/${entry.body.id}`,
      token: tokens['amy'],
    })
    expect(removed.status).toBe(204)
    expect((await bo.next((m) => m.type === 'change'))['view']).toMatchObject({
      availability: 'available',
    })
    const list = await api<unknown[]>(url, {
      path: '/v1/me/schedule',
      token: tokens['amy'],
    })
    expect(list.body).toEqual([])
  })

  it('bad schedule entries get a clear error, and a person has at most 100', async () => {
    const { url, server: running } = await server.start({ clock: new FixedClock(t0) })
    const { tokens } = await addUsersFast(running.services, ['amy'])
    const post = (body: unknown) => addEntry(tokens['amy'], body)
    const cases = [
      { name: 'x', set: {}, when: { once: { startsAt: t0 + hour, endsAt: t0 + 2 * hour } } },
      dndOnce(t0 + 2 * hour, t0 + hour),
      dndOnce(t0 - 2 * hour, t0 - hour),
      {
        name: 'x',
        set: { availability: 'invisible' },
        when: { once: { startsAt: t0, endsAt: t0 + hour } },
      },
      {
        name: 'x',
        set: { workLocation: { mode: 'remote', site: 'HQ' } },
        when: { once: { startsAt: t0, endsAt: t0 + hour } },
      },
      {
        name: 'x',
        set: { availability: 'busy' },
        when: { weekly: [{ days: ['mon'], start: '25:00', end: '26:00' }] },
      },
    ]
    for (const body of cases) {
      const reply = await post(body)
      expect(reply.status, JSON.stringify(body)).toBe(400)
      expect(reply.body['code']).toBe('NRV_VALIDATION')
    }
    for (let i = 0; i < 100; i += 1) {
      const made = await post({ ...dndOnce(t0 + hour + i, t0 + 2 * hour), name: `focus ${i}` })
      expect(made.status).toBe(201)
    }
    const tooMany = await post(dndOnce(t0 + hour, t0 + 2 * hour))
    expect(tooMany.status).toBe(403)
    expect(tooMany.body['code']).toBe('NRV_FORBIDDEN')
    const missing = await api(url, {
      method: 'DELETE',
      path: '/v1/me/schedule/nope',
      token: tokens['amy'],
    })
    expect(missing.status).toBe(404)
  })
})

describe('working hours and work location', () => {
  it('colleagues see "off work" the moment working hours end, and the usual view when they start', async () => {
    const { clock, tokens } = await startWith(['amy', 'bo'])
    await setOfficeHours(tokens['amy'])
    const { bo, snapshot } = await amyWatchedByBo(server, tokens)
    expect(snapshot['view']).toMatchObject({ availability: 'available' })

    clock.advance(7 * hour) // 17:00 in Stockholm
    const offWork = await bo.next((m) => m.type === 'change')
    expect(offWork['view']).toMatchObject({
      availability: 'away',
      activities: [{ kind: 'off-work' }],
    })
    clock.advance(15 * hour) // 08:00 on Tuesday
    const back = await bo.next((m) => m.type === 'change')
    expect(back['view']).toMatchObject({ availability: 'available' })
    expect((back['view'] as { activities?: unknown[] }).activities ?? []).toEqual([])
  })

  it('a scheduled office day sets the work location; a manual one beats it; policy can hide it', async () => {
    const { url, tokens } = await startWith(['amy', 'bo'])
    await addEntry(tokens['amy'], {
      name: 'office days',
      set: { workLocation: { mode: 'office', site: 'Lund' } },
      when: { weekly: [{ days: ['mon'], start: '00:00', end: '24:00' }] },
    })
    const { bo, snapshot } = await amyWatchedByBo(server, tokens)
    expect(snapshot['view']).toMatchObject({ workLocation: { mode: 'office', site: 'Lund' } })
    await api(url, {
      method: 'PUT',
      path: '/v1/me/presence/work-location',
      token: tokens['amy'],
      body: { mode: 'travelling' },
    })
    expect((await bo.next((m) => m.type === 'change'))['view']).toMatchObject({
      workLocation: { mode: 'travelling' },
    })

    const rules = [
      {
        id: 'colleagues',
        conditions: { ownOrganization: true },
        subscription: 'allow',
        grant: { activities: true },
      },
    ]
    await setPrivacy(tokens['amy'], rules)
    const hidden = await bo.next((m) => m.type === 'change')
    expect(hidden['view']).not.toHaveProperty('workLocation')
  })
})

describe('free/busy', () => {
  it('shows busy times without any detail to those policy allows, and nothing to others', async () => {
    const { url, admin, tokens } = await startWith(['amy', 'bo', 'cy'])
    await addEntry(tokens['amy'], dndOnce(t0 + hour, t0 + 2 * hour))
    await addEntry(tokens['amy'], { ...dndOnce(t0 + 2 * hour, t0 + 3 * hour), name: 'more focus' })
    await addEntry(tokens['amy'], {
      name: 'office',
      set: { workLocation: { mode: 'office' } },
      when: { once: { startsAt: t0, endsAt: t0 + 8 * hour } },
    })
    const path = `/v1/people/amy@${domain}/free-busy?from=${t0}&to=${t0 + 24 * hour}`
    const seen = await api(url, { path, token: tokens['bo'] })
    expect(seen.status).toBe(200)
    expect(seen.body).toEqual({
      address: `amy@${domain}`,
      from: t0,
      to: t0 + 24 * hour,
      shown: true,
      busy: [{ startsAt: t0 + hour, endsAt: t0 + 3 * hour, kind: 'busy' }],
    })
    expect(JSON.stringify(seen.body)).not.toContain('Focus')

    // Amy shares free/busy with Bo only; Cy (a colleague too) sees that it is not shown, and a
    // blocked watcher gets the same answer as for nobody at all.
    const rules = [
      {
        id: 'bo',
        conditions: { addresses: [`bo@${domain}`] },
        subscription: 'allow',
        grant: { freeBusy: true },
      },
      {
        id: 'colleagues',
        conditions: { ownOrganization: true, except: [`admin@${domain}`] },
        subscription: 'allow',
        grant: { activities: true },
      },
    ]
    expect((await setPrivacy(tokens['amy'], rules)).status).toBe(200)
    expect((await api(url, { path, token: tokens['bo'] })).body['shown']).toBe(true)
    const cy = await api(url, { path, token: tokens['cy'] })
    expect(cy.body).toMatchObject({ shown: false, busy: [] })
    // A colleague's block reads as polite-block: shown nothing, like anyone without the grant.
    const blocked = await api(url, { path, token: admin })
    expect(blocked.status).toBe(200)
    expect(blocked.body).toMatchObject({ shown: false, busy: [] })
    const tooWide = await api(url, {
      path: `/v1/people/amy@${domain}/free-busy?from=${t0}&to=${t0 + 100 * 24 * hour}`,
      token: tokens['bo'],
    })
    expect(tooWide.status).toBe(400)
  })
})

describe('rules that end with time', () => {
  it('what a rule valid until a moment shows is gone from live views at that moment', async () => {
    const { clock, url, tokens } = await startWith(['amy', 'bo'])
    const rules = [
      { id: 'colleagues', conditions: { ownOrganization: true }, subscription: 'allow', grant: {} },
      {
        id: 'bo-today',
        conditions: {
          addresses: [`bo@${domain}`],
          validFrom: t0 + 30 * minute,
          validUntil: t0 + hour,
        },
        subscription: 'allow',
        grant: { note: true },
      },
    ]
    expect((await setPrivacy(tokens['amy'], rules)).status).toBe(200)
    await api(url, {
      method: 'PUT',
      path: '/v1/me/presence/note',
      token: tokens['amy'],
      body: { text: 'Gate B12' },
    })
    const { bo, snapshot } = await amyWatchedByBo(server, tokens)
    expect(snapshot['view']).not.toHaveProperty('note')
    clock.advance(30 * minute)
    expect((await bo.next((m) => m.type === 'change'))['view']).toMatchObject({
      note: { text: 'Gate B12' },
    })
    clock.advance(30 * minute)
    const ended = await bo.next((m) => m.type === 'change')
    expect(ended['view']).toMatchObject({ availability: 'available' })
    expect(ended['view']).not.toHaveProperty('note')
  })
})

describe('live team lists at time boundaries', () => {
  it('someone whose working hours end leaves a live "who is available" list, with nobody else watching', async () => {
    const { clock, tokens } = await startWith(['amy', 'cy'])
    await setOfficeHours(tokens['amy'])
    const amy = await server.open(tokens['amy']!)
    await amy.request({ type: 'publish', source: 'laptop', availability: 'available' })
    const cy = await server.open(tokens['cy']!)
    const ack = await cy.request({
      type: 'who',
      addresses: [`amy@${domain}`],
      availability: ['available'],
    })
    expect(ack['entries']).toMatchObject([{ address: `amy@${domain}` }])
    clock.advance(7 * hour) // 17:00 in Stockholm
    const left = await cy.next((m) => m.type === 'who-change')
    expect(left).toMatchObject({ op: 'left', address: `amy@${domain}` })
  })
})
