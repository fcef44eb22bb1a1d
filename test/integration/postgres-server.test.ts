// Närvaro on PostgreSQL (NARVARO_DATABASE_URL, a real server on 127.0.0.1:5432, a fresh schema):
// users, subscriptions, presence and notes go through REST as on SQLite, and a second server on a
// new data directory but the same database finds everything again.
import { describe, expect, it } from 'vitest'
import {
  addUsers,
  api,
  domain,
  login,
  passwordOf,
  startHarness,
} from '../support/server-harness.js'
import { usePostgresSchemas } from '../support/postgres-schemas.js'

const { freshUrl } = usePostgresSchemas()

describe('Närvaro on PostgreSQL', { timeout: 60_000 }, () => {
  it('serves the REST API from PostgreSQL, and another server on the same database finds it all', async () => {
    const env = { NARVARO_DATABASE_URL: await freshUrl() }
    const first = await startHarness({ env })
    const { tokens } = await addUsers(first.url, ['ada', 'bo'])
    const subscribed = await api(first.url, {
      path: '/v1/subscriptions',
      token: tokens['bo'],
      body: { address: `ada@${domain}` },
    })
    expect(subscribed.status).toBeLessThan(300)
    const note = await api(first.url, {
      method: 'PUT',
      path: '/v1/me/presence/note',
      token: tokens['ada'],
      body: { text: 'On PostgreSQL' },
    })
    expect(note.status).toBe(200)
    await first.stop()

    const second = await startHarness({ env })
    try {
      const token = await login(second.url, `bo@${domain}`, passwordOf('bo'))
      const watched = await api<{ presentityAddress: string; state: string }[]>(second.url, {
        path: '/v1/subscriptions',
        token,
      })
      expect(watched.body.map((s) => [s.presentityAddress, s.state])).toEqual([
        [`ada@${domain}`, 'active'],
      ])
      const own = await api<{ presence: { note?: { text: string } } }>(second.url, {
        path: '/v1/me/presence',
        token: await login(second.url, `ada@${domain}`, passwordOf('ada')),
      })
      expect(JSON.stringify(own.body)).toContain('On PostgreSQL')
    } finally {
      await second.stop()
    }
  })
})
