// Integration: an iCalendar file sent as it is (Content-Type text/calendar), as `curl --data-binary`
// sends it: uploaded under the name given in the query, replaced in place; without a name, or with
// another content type, it is refused with a clear error.
import { describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import { ics, onceUtc } from '../support/calendar-files.js'
import { useServer } from '../support/harness-fixture.js'
import { addUsers, domain } from '../support/server-harness.js'

const server = useServer()
/** Monday 23 March 2026, 06:00 UTC. */
const t0 = Date.UTC(2026, 2, 23, 6, 0)

const send = async (
  url: string,
  args: { method: string; token: string; body: string; type?: string },
) => {
  const response = await fetch(url, {
    method: args.method,
    headers: {
      authorization: `Bearer ${args.token}`,
      'content-type': args.type ?? 'text/calendar; charset=utf-8',
    },
    body: args.body,
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('calendar files sent as text/calendar', () => {
  it('uploads under ?name=, replaces in place, and refuses what it cannot take', async () => {
    const { url } = await server.start({ clock: new FixedClock(t0) })
    const { tokens } = await addUsers(url, ['amy'])
    const token = tokens['amy']!
    const board = onceUtc(`board@${domain}`, '20260323T090000Z', '20260323T100000Z')
    const created = await send(`${url}/v1/me/calendars?name=work`, {
      method: 'POST',
      token,
      body: board,
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ calendar: { name: 'work' }, occurrences: 1 })
    const id = (created.body['calendar'] as { id: string }).id

    const twice = ics(
      [`UID:board@${domain}`, 'DTSTART:20260323T090000Z', 'DTEND:20260323T100000Z'],
      [`UID:late@${domain}`, 'DTSTART:20260323T150000Z', 'DTEND:20260323T160000Z'],
    )
    const replaced = await send(`${url}/v1/me/calendars/${id}`, {
      method: 'PUT',
      token,
      body: twice,
    })
    expect(replaced.status).toBe(200)
    expect(replaced.body).toMatchObject({ calendar: { id, name: 'work' }, occurrences: 2 })

    const nameless = await send(`${url}/v1/me/calendars`, { method: 'POST', token, body: board })
    expect(nameless.status).toBe(400)
    expect(nameless.body).toMatchObject({ code: 'NRV_VALIDATION', message: /\?name=/ })
    const plain = await send(`${url}/v1/me/calendars?name=x`, {
      method: 'POST',
      token,
      body: board,
      type: 'text/plain',
    })
    expect(plain.status).toBe(400)
    expect(plain.body).toMatchObject({ code: 'NRV_VALIDATION', message: /text\/calendar/ })
    const broken = await send(`${url}/v1/me/calendars?name=broken`, {
      method: 'POST',
      token,
      body: 'hello',
    })
    expect(broken.status).toBe(400)
    expect(broken.body).toMatchObject({ code: 'NRV_VALIDATION' })
  })
})
