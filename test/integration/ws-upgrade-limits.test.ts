// Integration: the WebSocket upgrade counts against its token's request limit as a REST call does,
// and a refused one says when to come back (429, Retry-After, NRV_RATE_LIMITED).
import { afterAll, describe, expect, it } from 'vitest'
import type { Harness } from '../support/server-harness.js'
import { TestSocket, addUsers, startHarness } from '../support/server-harness.js'
import { upgradeReply } from '../support/ws-upgrade.js'

let h: Harness | undefined
afterAll(async () => h?.stop())

describe('the WebSocket upgrade and the request limit', () => {
  it('refuses upgrades beyond the limit of the token with 429, Retry-After and NRV_RATE_LIMITED', async () => {
    h = await startHarness({ env: { NARVARO_REQUESTS_PER_MINUTE: '10' } })
    const { tokens } = await addUsers(h.url, ['rae'])
    let opened = 0
    for (;;) {
      const socket = await TestSocket.open(h.url, tokens['rae']).catch(() => undefined)
      if (!socket) break
      opened++
      await socket.close()
      expect(opened).toBeLessThan(50)
    }
    expect(opened).toBeGreaterThan(0)
    const refused = await upgradeReply(h.url, '/v1/ws', tokens['rae'])
    expect(refused.status).toBe(429)
    expect(refused.body).toMatchObject({ code: 'NRV_RATE_LIMITED' })
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1)
  })
})
