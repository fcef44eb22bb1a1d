// Integration: calendars over the real server. An imported weekly meeting with an exception makes a
// person busy at the right local time across a daylight-saving change; all-day out-of-office makes
// them away; free/busy shows times only; bad files and other people's calendars are refused.
import { describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import { ics, onceUtc, weeklySync } from '../support/calendar-files.js'
import type { View } from '../support/harness-fixture.js'
import {
  amyWatchedByBo,
  laptopAvailable,
  neverIdle,
  useServer,
  viewOf,
} from '../support/harness-fixture.js'
import type { Message, TestSocket } from '../support/server-harness.js'
import { addUsersFast } from '../support/direct-users.js'
import { api, domain } from '../support/server-harness.js'

const minute = 60_000
const hour = 60 * minute
const day = 24 * hour
/** Monday 23 March 2026, 06:00 UTC (07:00 in Stockholm); summer time starts on Sunday the 29th. */
const t0 = Date.UTC(2026, 2, 23, 6, 0)

const server = useServer()

const inMeeting = (m: Message) =>
  m.type === 'change' && (viewOf(m).activities ?? []).some((a) => a.kind === 'in-a-meeting')
const notInMeeting = (m: Message) => m.type === 'change' && !inMeeting(m)

const upload = (url: string, token: string | undefined, body: unknown) =>
  api<Record<string, unknown>>(url, { path: '/v1/me/calendars', token, body })

const setZone = (url: string, token: string | undefined, timeZone: string) =>
  api(url, { method: 'PATCH', path: '/v1/me', token, body: { timeZone } })

/** Moves the clock to `at`, with Amy active just before, so her laptop never turns idle. */
const goTo = async (clock: FixedClock, amy: TestSocket, at: number) => {
  clock.advance(at - 5 * minute - clock.now())
  await amy.request(laptopAvailable)
  clock.advance(5 * minute)
}

const viewAs = async (url: string, token: string | undefined) =>
  (await api<{ view: View }>(url, { path: `/v1/presence/amy@${domain}`, token })).body.view

describe('calendars', () => {
  it('an imported recurring meeting with an exception makes a person busy at the right local time across a daylight-saving change', async () => {
    const clock = new FixedClock(t0)
    const { url } = await server.start({ clock, env: neverIdle })
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy', 'bo'])
    await setZone(url, tokens['amy'], 'Europe/Stockholm')
    const imported = await upload(url, tokens['amy'], { name: 'work', ics: weeklySync })
    expect(imported.status).toBe(201)
    expect(imported.body).toMatchObject({ calendar: { name: 'work' }, warnings: [] })
    const { amy, bo, snapshot } = await amyWatchedByBo(server, tokens)
    expect(viewOf(snapshot).availability).toBe('available')

    // 09:00 in Stockholm before the change is 08:00 UTC ...
    await goTo(clock, amy, Date.UTC(2026, 2, 23, 8, 0))
    const first = await bo.next(inMeeting)
    expect(viewOf(first)).toMatchObject({
      availability: 'busy',
      activities: [{ kind: 'in-a-meeting', until: Date.UTC(2026, 2, 23, 9, 0) }],
    })
    clock.advance(hour)
    expect(viewOf(await bo.next(notInMeeting)).availability).toBe('available')

    // ... and 07:00 UTC after it.
    await goTo(clock, amy, Date.UTC(2026, 2, 30, 6, 0))
    expect((await viewAs(url, tokens['bo'])).availability).toBe('available')
    await goTo(clock, amy, Date.UTC(2026, 2, 30, 7, 0))
    expect(viewOf(await bo.next(inMeeting)).availability).toBe('busy')
    clock.advance(hour)
    expect(viewOf(await bo.next(notInMeeting)).availability).toBe('available')

    // Not on the excluded Monday; on the moved one at 14:00 in Stockholm (12:00 UTC).
    await goTo(clock, amy, Date.UTC(2026, 3, 6, 7, 30))
    expect(await viewAs(url, tokens['bo'])).toMatchObject({ availability: 'available' })
    await goTo(clock, amy, Date.UTC(2026, 3, 13, 7, 30))
    expect(await viewAs(url, tokens['bo'])).toMatchObject({ availability: 'available' })
    await goTo(clock, amy, Date.UTC(2026, 3, 13, 12, 0))
    expect(viewOf(await bo.next(inMeeting)).availability).toBe('busy')
    clock.advance(hour)
    expect(viewOf(await bo.next(notInMeeting)).availability).toBe('available')
    expect(bo.all('change').filter(inMeeting)).toHaveLength(3)
  })

  it('free/busy shows the meetings to a colleague as busy times, never their titles', async () => {
    const clock = new FixedClock(t0)
    const { url } = await server.start({ clock, env: neverIdle })
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy', 'bo'])
    await setZone(url, tokens['amy'], 'Europe/Stockholm')
    await upload(url, tokens['amy'], { name: 'work', ics: weeklySync })
    const from = t0
    const to = t0 + 28 * day
    const seen = await api(url, {
      path: `/v1/people/amy@${domain}/free-busy?from=${from}&to=${to}`,
      token: tokens['bo'],
    })
    expect(seen.status).toBe(200)
    expect(seen.body).toEqual({
      address: `amy@${domain}`,
      from,
      to,
      shown: true,
      busy: [
        { startsAt: Date.UTC(2026, 2, 23, 8), endsAt: Date.UTC(2026, 2, 23, 9), kind: 'busy' },
        { startsAt: Date.UTC(2026, 2, 30, 7), endsAt: Date.UTC(2026, 2, 30, 8), kind: 'busy' },
        { startsAt: Date.UTC(2026, 3, 13, 12), endsAt: Date.UTC(2026, 3, 13, 13), kind: 'busy' },
      ],
    })
    const mine = await api<unknown[]>(url, { path: '/v1/me/calendars', token: tokens['amy'] })
    expect(mine.body).toEqual([
      { id: expect.any(String), name: 'work', refreshedAt: t0, createdAt: t0 },
    ])
    for (const reply of [seen, mine]) expect(JSON.stringify(reply.body)).not.toContain('Secret')
  })

  it('an all-day out-of-office makes a person away for their whole local day, and follows their time zone', async () => {
    const clock = new FixedClock(Date.UTC(2026, 2, 23, 22, 0))
    const { url } = await server.start({ clock, env: neverIdle })
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy', 'bo'])
    await setZone(url, tokens['amy'], 'Europe/Stockholm')
    const ooo = ics([
      'UID:ooo@acme.example',
      'SUMMARY:Out of office',
      'DTSTART;VALUE=DATE:20260324',
      'DTEND;VALUE=DATE:20260325',
    ])
    expect(
      (await upload(url, tokens['amy'], { name: 'leave', ics: ooo })).body['occurrences'],
    ).toBe(1)
    const { amy, bo } = await amyWatchedByBo(server, tokens)
    // Midnight in Stockholm is 23:00 UTC.
    await goTo(clock, amy, Date.UTC(2026, 2, 23, 23, 0))
    const away = await bo.next((m) => m.type === 'change' && viewOf(m).availability === 'away')
    expect(viewOf(away)).toMatchObject({
      activities: [{ kind: 'out-of-office', until: Date.UTC(2026, 2, 24, 23, 0) }],
    })
    const path = `/v1/people/amy@${domain}/free-busy?from=${t0}&to=${t0 + 7 * day}`
    expect((await api(url, { path, token: tokens['bo'] })).body['busy']).toEqual([
      {
        startsAt: Date.UTC(2026, 2, 23, 23),
        endsAt: Date.UTC(2026, 2, 24, 23),
        kind: 'out-of-office',
      },
    ])

    // In New York the day starts five hours later (it is still the 23rd there).
    expect((await setZone(url, tokens['amy'], 'America/New_York')).status).toBe(200)
    const back = await bo.next((m) => m.type === 'change' && viewOf(m).availability === 'available')
    expect(viewOf(back).activities ?? []).toEqual([])
    await goTo(clock, amy, Date.UTC(2026, 2, 24, 4, 0))
    expect(viewOf(await bo.next((m) => m.type === 'change')).availability).toBe('away')
  })

  it('bad files, bad URLs and other people’s calendars are refused', async () => {
    const clock = new FixedClock(t0)
    const { url } = await server.start({ clock, env: neverIdle })
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy', 'bo'])
    for (const body of [
      { name: 'x', ics: 'not a calendar' },
      { name: 'x', ics: 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n' },
      { name: 'x', url: 'file:///etc/passwd' },
      { name: 'x', url: 'http://127.0.0.1:1/cal.ics', refreshMinutes: 1 },
      { name: '', ics: weeklySync },
    ]) {
      const reply = await upload(url, tokens['amy'], body)
      expect(reply.status, JSON.stringify(body)).toBe(400)
      expect(reply.body['code']).toBe('NRV_VALIDATION')
    }
    const unreachable = await upload(url, tokens['amy'], {
      name: 'x',
      url: 'http://127.0.0.1:1/c.ics',
    })
    expect(unreachable.body).toMatchObject({ code: 'NRV_VALIDATION', message: /could not fetch/ })
    expect(
      (await api<unknown[]>(url, { path: '/v1/me/calendars', token: tokens['amy'] })).body,
    ).toEqual([])

    const created = await upload(url, tokens['amy'], { name: 'work', ics: weeklySync })
    const id = (created.body['calendar'] as { id: string }).id
    const asBo = [
      { method: 'DELETE', path: `/v1/me/calendars/${id}` },
      { method: 'PUT', path: `/v1/me/calendars/${id}`, body: { ics: weeklySync } },
      { method: 'POST', path: `/v1/me/calendars/${id}/refresh`, body: {} },
    ]
    for (const request of asBo) {
      const reply = await api(url, { ...request, token: tokens['bo'] })
      expect(reply.status, request.method).toBe(404)
      expect(reply.body['code']).toBe('NRV_NOT_FOUND')
    }
    const badReplace = await api(url, {
      method: 'PUT',
      path: `/v1/me/calendars/${id}`,
      token: tokens['amy'],
      body: { ics: 'nonsense' },
    })
    expect(badReplace.status).toBe(400)
    // The same name replaces the upload; the free/busy of the first file is gone with it.
    const again = await upload(url, tokens['amy'], {
      name: 'work',
      ics: onceUtc('board@acme.example', '20260324T100000Z', '20260324T110000Z'),
    })
    expect(again.body).toMatchObject({ calendar: { id }, occurrences: 1 })
    const removed = await api(url, {
      method: 'DELETE',
      path: `/v1/me/calendars/${id}`,
      token: tokens['amy'],
    })
    expect(removed.status).toBe(204)
    const path = `/v1/people/amy@${domain}/free-busy?from=${t0}&to=${t0 + 7 * day}`
    expect((await api(url, { path, token: tokens['bo'] })).body['busy']).toEqual([])
  })
})
