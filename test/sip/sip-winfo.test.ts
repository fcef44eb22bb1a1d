// Watcher info over SIP (RFC 3857/3858): Amy's phone subscribes to her own `presence.winfo` and sees a
// colleague's request as pending, her approval made over REST as active, and a revoke as gone,
// consistent with REST; nobody may subscribe to another person's watcher info.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, domain, type Harness } from '../support/server-harness.js'
import { Phone, sipSecret, startSipServer } from '../support/sip-phone.js'

let harness: Harness
let tokens: Record<string, string>
const secret = sipSecret

beforeAll(async () => {
  ;({ harness, tokens } = await startSipServer(['amy', 'dan'], ['amy', 'dan']))
  // Amy asks for every watcher to be approved by her.
  const rules = {
    rules: [{ id: 'ask', conditions: { everyone: true }, subscription: 'confirm', grant: {} }],
  }
  const set = await api(harness.url, {
    method: 'PUT',
    path: '/v1/me/privacy',
    token: tokens['amy'],
    body: rules,
  })
  expect(set.status, JSON.stringify(set.body)).toBe(200)
})
afterAll(() => harness?.stop())

/** The watchers of a watcherinfo NOTIFY, as `address status`. */
const watchersOf = (notify: string): string[] =>
  [...notify.matchAll(/<watcher [^>]*status="([a-z]+)"[^>]*>sip:([^<]+)<\/watcher>/g)].map(
    ([, status, address]) => `${address} ${status}`,
  )

describe('watcher info over SIP', { timeout: 30_000 }, () => {
  it('shows requests, approvals and revokes made anywhere, as REST does', async () => {
    const phone = await Phone.open(harness.server.sip!.port)
    const ok = await phone.subscribe('amy', secret, 'amy', 'presence.winfo')
    expect(ok).toMatch(/^SIP\/2\.0 200/)
    const first = await phone.next((m) => m.startsWith('NOTIFY '))
    expect(first).toContain('Event: presence.winfo')
    expect(first).toContain('Content-Type: application/watcherinfo+xml')
    expect(watchersOf(first)).toEqual([])

    await api(harness.url, {
      path: '/v1/subscriptions',
      token: tokens['dan'],
      body: { address: `amy@${domain}` },
    })
    const asked = await phone.next((m) => m.startsWith('NOTIFY '))
    expect(watchersOf(asked)).toEqual([`dan@${domain} pending`])
    const rest = await api<{ watcherAddress: string; state: string }[]>(harness.url, {
      path: '/v1/me/watchers',
      token: tokens['amy'],
    })
    expect(rest.body.map((w) => `${w.watcherAddress} ${w.state}`)).toEqual([
      `dan@${domain} pending`,
    ])

    const approve = await api(harness.url, {
      method: 'POST',
      path: `/v1/me/watchers/dan@${domain}/approve`,
      token: tokens['amy'],
    })
    expect(approve.status, JSON.stringify(approve.body)).toBeLessThan(300)
    expect(watchersOf(await phone.next((m) => m.startsWith('NOTIFY ')))).toEqual([
      `dan@${domain} active`,
    ])
    phone.close()
  })

  it('refuses a subscription to another person’s watcher info with 403', async () => {
    const phone = await Phone.open(harness.server.sip!.port)
    expect(await phone.subscribe('dan', secret, 'amy', 'presence.winfo')).toMatch(/^SIP\/2\.0 403/)
    phone.close()
  })
})
