// Integration: what creating a notify-when-available watch answers over the real server — `notified`
// when the person is available already (told at once, nothing left open), and a 429 that says when
// to retry (details.retryAfterMs and Retry-After) once too many watches are open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import type { Harness } from '../support/server-harness.js'
import { addUsers, api, domain, startHarness } from '../support/server-harness.js'

const clock = new FixedClock(Date.UTC(2026, 10, 24, 10, 0, 0))
let h: Harness
let t: Record<string, string>
const at = (name: string) => `${name}@${domain}`
const publish = (name: string, availability: string) =>
  api(h.url, {
    method: 'PUT',
    path: '/v1/me/presence/sources/desk',
    token: t[name]!,
    body: { availability },
  })
const notify = (asker: string, address: string, expiresInSeconds = 3600) =>
  api<Record<string, unknown>>(h.url, {
    path: '/v1/me/notify-when-available',
    token: t[asker]!,
    body: { address, expiresInSeconds },
  })
const open = async (asker: string) =>
  (await api<unknown[]>(h.url, { path: '/v1/me/notify-when-available', token: t[asker]! })).body

beforeAll(async () => {
  h = await startHarness({ clock })
  t = (await addUsers(h.url, ['mia', 'leo', 'ivy'])).tokens
})
afterAll(() => h.stop())

describe('creating a notify-when-available watch', () => {
  it('for someone available already answers notified, and leaves no open watch', async () => {
    await publish('leo', 'available')
    const created = await notify('mia', at('leo'))
    expect(created.status).toBe(201)
    expect(created.body['state']).toBe('notified')
    expect(await open('mia')).toEqual([])
  })

  it('for someone not available answers waiting', async () => {
    await publish('ivy', 'busy')
    const created = await notify('mia', at('ivy'))
    expect(created.body['state']).toBe('waiting')
    expect(await open('mia')).toHaveLength(1)
  })

  it('refuses the watch beyond the limit with 429, retryAfterMs and Retry-After', async () => {
    await publish('ivy', 'busy')
    const first = (await open('mia')).length
    for (let i = first; i < 100; i++) {
      expect((await notify('mia', at('ivy'), 600 + i)).status).toBe(201)
    }
    const refused = await notify('mia', at('ivy'))
    expect(refused.status).toBe(429)
    expect(refused.body['code']).toBe('NRV_RATE_LIMITED')
    const details = refused.body['details'] as { retryAfterMs?: number }
    expect(details.retryAfterMs).toBe((600 + first) * 1000)
    expect(refused.headers.get('retry-after')).toBe(String(600 + first))
  })
})
