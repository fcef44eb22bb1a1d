// Integration: a calendar meeting already running when the server restarts is in force after the
// restart, and ends on time.
import { afterEach, describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import { onceUtc } from '../support/calendar-files.js'
import type { Harness, Message } from '../support/server-harness.js'
import { TestSocket, addUsers, api, domain, startHarness } from '../support/server-harness.js'

const minute = 60_000
/** Monday 23 March 2026, 06:00 UTC. */
const t0 = Date.UTC(2026, 2, 23, 6, 0)
const env = { NARVARO_IDLE_AFTER: '86400' }

let harness: Harness | undefined
const sockets: TestSocket[] = []
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()))
  await harness?.stop()
  harness = undefined
})

type View = { availability: string; activities?: { kind: string; until?: number }[] }
const viewOf = (m: Message) => m['view'] as View

describe('calendars across a restart', () => {
  it('a meeting already running when the server restarts is in force after the restart', async () => {
    const clock = new FixedClock(t0)
    harness = await startHarness({ clock, env })
    const { dataDir } = harness
    const { tokens } = await addUsers(harness.url, ['amy', 'bo'])
    const board = onceUtc('board@acme.example', '20260323T053000Z', '20260323T070000Z')
    const imported = await api(harness.url, {
      path: '/v1/me/calendars',
      token: tokens['amy'],
      body: { name: 'work', ics: board },
    })
    expect(imported.status).toBe(201)
    await harness.stop({ keepData: true })

    clock.advance(10 * minute)
    harness = await startHarness({ clock, dataDir, env })
    const amy = await TestSocket.open(harness.url, tokens['amy'])
    const bo = await TestSocket.open(harness.url, tokens['bo'])
    sockets.push(amy, bo)
    await amy.request({
      type: 'publish',
      source: 'laptop',
      availability: 'available',
      device: { capabilities: ['im'] },
    })
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
