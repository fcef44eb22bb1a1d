// Integration: integration sources across a restart of the real server — an activity lasts until its
// safety expiry, and remembered event ids and the order of each source are kept.
import { describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import { addUsers, api, domain, startHarness } from '../support/server-harness.js'

const at = (name: string) => `${name}@${domain}`

describe('integration sources across a restart', () => {
  it('a call lasts until its safety expiry, and ordering and duplicates are kept', async () => {
    const clock2 = new FixedClock(Date.UTC(2026, 10, 24, 11, 0, 0))
    let h2 = await startHarness({ clock: clock2 })
    const { admin: admin2, tokens } = await addUsers(h2.url, ['ada', 'bea'])
    const created = await api<{ token: string }>(h2.url, {
      path: '/v1/integrations',
      token: admin2,
      body: { name: 'pbx', kinds: ['phone'] },
    })
    const post = (events: Record<string, unknown>[]) =>
      api<{ results: { result: string }[] }>(h2.url, {
        path: '/v1/integrations/events',
        token: created.body.token,
        body: { events },
      })
    const now = clock2.now()
    const call = {
      id: 'c1',
      person: at('ada'),
      type: 'call',
      state: 'started',
      at: now,
      ttlSeconds: 120,
    }
    const ended = {
      id: 'c2-end',
      person: at('bea'),
      type: 'call',
      state: 'ended',
      key: 'c2',
      at: now,
    }
    await post([call, ended])
    await h2.stop({ keepData: true })
    h2 = await startHarness({ clock: clock2, dataDir: h2.dataDir })
    const view = async (presentity: string) =>
      (
        await api<{ view: { availability: string; activities?: { kind: string }[] } }>(h2.url, {
          path: `/v1/presence/${at(presentity)}`,
          token: tokens['bea']!,
        })
      ).body.view
    expect(await view('ada')).toMatchObject({
      availability: 'busy',
      activities: [{ kind: 'in-a-call' }],
    })
    const late = { ...ended, id: 'c2-start', state: 'started', at: now - 1000 }
    expect((await post([call, late])).body.results.map((r) => r.result)).toStrictEqual([
      'duplicate',
      'stale',
    ])
    clock2.advance(121_000)
    expect((await view('ada')).availability).toBe('offline')
    expect((await view('bea')).availability).toBe('offline')
    await h2.stop()
  })
})
