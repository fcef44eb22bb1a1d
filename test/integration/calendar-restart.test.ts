// Integration: a calendar meeting already running when the server restarts is in force after the
// restart, and ends on time.
import { describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import { onceUtc } from '../support/calendar-files.js'
import { laptopAvailable, neverIdle, useServer, viewOf } from '../support/harness-fixture.js'
import { addUsers, api, domain } from '../support/server-harness.js'

const minute = 60_000
/** Monday 23 March 2026, 06:00 UTC. */
const t0 = Date.UTC(2026, 2, 23, 6, 0)

const server = useServer()

describe('calendars across a restart', () => {
  it('a meeting already running when the server restarts is in force after the restart', async () => {
    const clock = new FixedClock(t0)
    const first = await server.start({ clock, env: neverIdle })
    const { dataDir } = first
    const { tokens } = await addUsers(first.url, ['amy', 'bo'])
    const board = onceUtc('board@acme.example', '20260323T053000Z', '20260323T070000Z')
    const imported = await api(first.url, {
      path: '/v1/me/calendars',
      token: tokens['amy'],
      body: { name: 'work', ics: board },
    })
    expect(imported.status).toBe(201)
    await first.stop({ keepData: true })

    clock.advance(10 * minute)
    await server.start({ clock, dataDir, env: neverIdle })
    const amy = await server.open(tokens['amy'])
    const bo = await server.open(tokens['bo'])
    await amy.request(laptopAvailable)
    await bo.request({ type: 'subscribe', addresses: [`amy@${domain}`] })
    expect(viewOf(await bo.next((m) => m.type === 'snapshot'))).toMatchObject({
      availability: 'busy',
      activities: [{ kind: 'in-a-meeting', until: Date.UTC(2026, 2, 23, 7, 0) }],
    })
    clock.advance(50 * minute)
    const ended = await bo.next((m) => m.type === 'change')
    expect(viewOf(ended)).toMatchObject({ availability: 'available' })
    expect(viewOf(ended).activities ?? []).toEqual([])
  })
})
