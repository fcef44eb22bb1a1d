// Integration: a subscribed calendar URL, served by a real local HTTP server. It is fetched when
// subscribed and again on its schedule; a failing fetch keeps the occurrences planned before and
// shows why to the owner; a manual refresh fetches at once; redirects to other schemes are refused.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import { useServer } from '../support/harness-fixture.js'
import { addUsersFast } from '../support/direct-users.js'
import { api, domain, eventually } from '../support/server-harness.js'

const minute = 60_000
const hour = 60 * minute
/** Monday 23 March 2026, 09:00 UTC. */
const t0 = Date.UTC(2026, 2, 23, 9, 0)

const meeting = (start: string, end: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Narvaro test//EN',
    'BEGIN:VEVENT',
    'UID:review@acme.example',
    'DTSTAMP:20260301T000000Z',
    'SUMMARY:Quarterly review',
    `DTSTART:${start}`,
    `DTEND:${end}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n')

/** What the local calendar server answers, changed by the tests. */
let served: { status: number; body: string; location?: string } = { status: 200, body: '' }
let requests = 0
const feedServer = createServer((request, response) => {
  requests += 1
  request.resume()
  const headers = {
    'content-type': 'text/calendar',
    ...(served.location ? { location: served.location } : {}),
  }
  response.writeHead(served.status, headers).end(served.body)
})
let feedUrl = ''

beforeAll(async () => {
  await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve))
  feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/amy.ics`
})
afterAll(async () => {
  feedServer.closeAllConnections()
  await new Promise((resolve) => feedServer.close(resolve))
})

const server = useServer()

interface Feed {
  id: string
  url?: string
  refreshedAt?: number
  lastError?: string
}

describe('subscribed calendars', () => {
  it('a subscribed URL is fetched, refreshed on schedule, and a failing fetch keeps the old occurrences', async () => {
    const clock = new FixedClock(t0)
    const { url } = await server.start({ clock })
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy', 'bo'])
    const amy = tokens['amy']
    served = { status: 200, body: meeting('20260323T100000Z', '20260323T110000Z') }
    const subscribed = await api<{ calendar: Feed; occurrences: number }>(url, {
      path: '/v1/me/calendars',
      token: amy,
      body: { name: 'team', url: feedUrl },
    })
    expect(subscribed.status).toBe(201)
    expect(subscribed.body).toMatchObject({ calendar: { url: feedUrl }, occurrences: 1 })
    const { id } = subscribed.body.calendar
    const feed = async () =>
      (await api<Feed[]>(url, { path: '/v1/me/calendars', token: amy })).body.find(
        (f) => f.id === id,
      )!
    const busy = async () =>
      (
        await api<{ busy: unknown[] }>(url, {
          path: `/v1/people/amy@${domain}/free-busy?from=${t0}&to=${t0 + 24 * hour}`,
          token: tokens['bo'],
        })
      ).body.busy

    // The review moves to 12:00; fifteen minutes later the server has fetched it again.
    served = { status: 200, body: meeting('20260323T120000Z', '20260323T130000Z') }
    clock.advance(15 * minute)
    await eventually(async () => (await feed()).refreshedAt === t0 + 15 * minute)
    const moved = [{ startsAt: t0 + 3 * hour, endsAt: t0 + 4 * hour, kind: 'busy' }]
    expect(await busy()).toEqual(moved)

    // The calendar server fails: its owner sees why, and the review stays where it was.
    served = { status: 500, body: 'down' }
    const before = requests
    clock.advance(15 * minute)
    await eventually(async () => (await feed()).lastError !== undefined)
    expect(requests).toBeGreaterThan(before)
    expect(await feed()).toMatchObject({
      lastError: 'could not fetch the calendar: HTTP 500',
      refreshedAt: t0 + 15 * minute,
    })
    expect(await busy()).toEqual(moved)
    const refresh = () =>
      api(url, { method: 'POST', path: `/v1/me/calendars/${id}/refresh`, token: amy, body: {} })
    const failed = await refresh()
    expect(failed.status).toBe(400)
    expect(failed.body['message']).toBe('could not fetch the calendar: HTTP 500')

    // Back again: a manual refresh reads it at once and clears the error.
    served = { status: 200, body: meeting('20260323T140000Z', '20260323T150000Z') }
    const fixed = await refresh()
    expect(fixed.status).toBe(200)
    expect(fixed.body).toMatchObject({ occurrences: 1, warnings: [] })
    expect(fixed.body['calendar']).not.toHaveProperty('lastError')
    expect(await busy()).toEqual([{ startsAt: t0 + 5 * hour, endsAt: t0 + 6 * hour, kind: 'busy' }])
  })

  it('a redirect to another scheme, a file too large or not a calendar is refused', async () => {
    const { url } = await server.start({ clock: new FixedClock(t0) })
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy'])
    const subscribe = () =>
      api(url, {
        path: '/v1/me/calendars',
        token: tokens['amy'],
        body: { name: 'team', url: feedUrl, refreshMinutes: 60 },
      })
    const cases = [
      { served: { status: 302, body: '', location: 'file:///etc/passwd' }, message: /not http/ },
      { served: { status: 200, body: 'x'.repeat(5 * 1024 * 1024 + 1) }, message: /larger than/ },
      { served: { status: 200, body: '<html>login</html>' }, message: /not a valid iCalendar/ },
    ]
    for (const c of cases) {
      served = c.served
      const reply = await subscribe()
      expect(reply.status).toBe(400)
      expect(reply.body).toMatchObject({ code: 'NRV_VALIDATION', message: c.message })
    }
    served = { status: 301, body: '', location: feedUrl.replace('amy.ics', 'moved.ics') }
    const redirected = await api(url, {
      path: '/v1/me/calendars',
      token: tokens['amy'],
      body: { name: 'loop', url: feedUrl },
    })
    expect(redirected.body['message']).toMatch(/too many or bad redirects/)
  })

  it('what a background refresh skipped is kept for the owner, and a clean read clears it', async () => {
    const clock = new FixedClock(t0)
    const { url } = await server.start({ clock })
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy'])
    const amy = tokens['amy']
    served = { status: 200, body: meeting('20260323T100000Z', '20260323T110000Z') }
    const subscribed = await api<{ calendar: Feed }>(url, {
      path: '/v1/me/calendars',
      token: amy,
      body: { name: 'team', url: feedUrl },
    })
    expect(subscribed.status).toBe(201)
    expect(subscribed.body.calendar).not.toHaveProperty('warnings')
    const feed = async () =>
      (await api<(Feed & { warnings?: string[] })[]>(url, { path: '/v1/me/calendars', token: amy }))
        .body[0]!

    // The feed now names a zone nobody knows, without its VTIMEZONE: read leniently, and said so.
    served = {
      status: 200,
      body: meeting('20260323T100000Z', '20260323T110000Z')
        .replace('DTSTART:20260323T100000Z', 'DTSTART;TZID=Mars/Olympus:20260323T100000')
        .replace('DTEND:20260323T110000Z', 'DTEND;TZID=Mars/Olympus:20260323T110000'),
    }
    clock.advance(15 * minute)
    await eventually(async () => (await feed()).warnings !== undefined)
    expect((await feed()).warnings).toEqual([
      expect.stringContaining('unknown time zone "Mars/Olympus"'),
    ])

    served = { status: 200, body: meeting('20260323T100000Z', '20260323T110000Z') }
    clock.advance(15 * minute)
    await eventually(async () => (await feed()).refreshedAt === t0 + 30 * minute)
    expect(await feed()).not.toHaveProperty('warnings')
  })
})
