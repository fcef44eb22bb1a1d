// SIP subscriptions obey access like every live session: a new SIP password (set by the person or an
// admin), removing the user or revoking the watcher ends them at once with
// `terminated;reason=rejected`; a polite-blocked watcher's phone gets an ordinary offline document.
// A member cannot set another's SIP password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addUsers, api, domain, startHarness, type Harness } from '../support/server-harness.js'
import { Phone } from '../support/sip-phone.js'

let harness: Harness
let tokens: Record<string, string>
let admin: string
const secret = 'phone-secret-for-bob-42'

beforeAll(async () => {
  harness = await startHarness({ env: { NARVARO_SIP_PORT: '0' } })
  ;({ tokens, admin } = await addUsers(harness.url, ['amy', 'bob', 'cid']))
})
afterAll(() => harness?.stop())

const setSipPassword = (token: string, password: string, address?: string) =>
  api(harness.url, {
    method: 'PUT',
    path: address ? `/v1/users/${address}/sip-password` : '/v1/me/sip-password',
    token,
    body: { password },
  })

describe('access of SIP subscriptions', { timeout: 30_000 }, () => {
  it('ends a subscription at once when its SIP password changes', async () => {
    expect((await setSipPassword(tokens['bob']!, secret)).status).toBe(204)
    await api(harness.url, {
      path: '/v1/subscriptions',
      token: tokens['bob'],
      body: { address: `amy@${domain}` },
    })
    const phone = await Phone.open(harness.server.sip!.port)
    expect(await phone.subscribe('bob', secret, 'amy')).toMatch(/^SIP\/2\.0 200/)
    await phone.next((m) => m.startsWith('NOTIFY ') && m.includes('Subscription-State: active'))
    // An admin gives Bob a new SIP password: the old phone's subscription ends.
    expect((await setSipPassword(admin, 'another-secret-for-bob-7', `bob@${domain}`)).status).toBe(
      204,
    )
    const ended = await phone.next((m) => m.startsWith('NOTIFY '))
    expect(ended).toContain('Subscription-State: terminated;reason=rejected')
    // The old password no longer signs in.
    expect(await phone.subscribe('bob', secret, 'amy')).toMatch(/^SIP\/2\.0 401/)
    phone.close()
  })

  it('refuses a member setting another’s SIP password, and a weak one', async () => {
    expect(
      (await setSipPassword(tokens['cid']!, 'a-fine-long-secret-1', `bob@${domain}`)).status,
    ).toBe(403)
    const weak = await setSipPassword(tokens['cid']!, 'password123')
    expect(weak.status).toBe(400)
    expect(weak.body).toMatchObject({ code: 'NRV_PASSWORD_WEAK' })
  })

  it('sends a polite-blocked watcher an ordinary offline document', async () => {
    expect((await setSipPassword(tokens['cid']!, secret)).status).toBe(204)
    await api(harness.url, {
      method: 'PUT',
      path: '/v1/me/presence/sources/desk',
      token: tokens['amy'],
      body: { availability: 'busy', ttlSeconds: 600 },
    })
    const block = await api(harness.url, {
      method: 'PUT',
      path: '/v1/me/privacy',
      token: tokens['amy'],
      body: {
        rules: [
          {
            id: 'no-cid',
            conditions: { addresses: [`cid@${domain}`] },
            subscription: 'polite-block',
            grant: {},
          },
        ],
      },
    })
    expect(block.status, JSON.stringify(block.body)).toBe(200)
    const phone = await Phone.open(harness.server.sip!.port)
    expect(await phone.subscribe('cid', secret, 'amy')).toMatch(/^SIP\/2\.0 200/)
    const notify = await phone.next((m) => m.startsWith('NOTIFY '))
    expect(notify).toContain('<basic>closed</basic>')
    expect(notify).not.toContain('busy')
    phone.close()
  })

  it('answers a fetch (Expires: 0) with the state now, in the NOTIFY that ends it', async () => {
    const bob = { id: 'bob', conditions: { addresses: [`bob@${domain}`] }, subscription: 'allow' }
    const rules = [{ ...bob, grant: { activities: true } }]
    await api(harness.url, {
      method: 'PUT',
      path: '/v1/me/privacy',
      token: tokens['amy'],
      body: { rules },
    })
    await api(harness.url, {
      method: 'PUT',
      path: '/v1/me/presence/sources/desk',
      token: tokens['amy'],
      body: { availability: 'away', ttlSeconds: 600 },
    })
    const phone = await Phone.open(harness.server.sip!.port)
    expect(await phone.subscribe('bob', 'another-secret-for-bob-7', 'amy', 'presence', 0)).toMatch(
      /^SIP\/2\.0 200/,
    )
    const notify = await phone.next((m) => m.startsWith('NOTIFY '))
    expect(notify).toContain('Subscription-State: terminated;reason=timeout')
    expect(notify).toContain('<basic>open</basic>')
    expect(notify).toContain('<rpid:away/>')
    phone.close()
  })
  it('ends a subscription with reason=rejected when the presentity revokes the watcher', async () => {
    const phone = await Phone.open(harness.server.sip!.port)
    expect(await phone.subscribe('bob', 'another-secret-for-bob-7', 'amy')).toMatch(
      /^SIP\/2\.0 200/,
    )
    await phone.next((m) => m.startsWith('NOTIFY ') && m.includes('Subscription-State: active'))
    const revoke = await api(harness.url, {
      method: 'DELETE',
      path: `/v1/me/watchers/bob@${domain}`,
      token: tokens['amy'],
    })
    expect(revoke.status).toBe(204)
    const ended = await phone.next((m) => m.startsWith('NOTIFY '))
    expect(ended).toContain('Subscription-State: terminated;reason=rejected')
    phone.close()
  })
})
