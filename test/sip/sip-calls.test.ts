// Presence-based answers to direct calls (Närvaro as a PBX's redirect server): a call to Amy while she
// is free goes (302) to her desk phone; while she is in a call it is busy (486) with her note, which
// the caller's view shows, as the "recording"; offline it is unavailable (480); for a caller whose
// view hides her note, the answer carries no note. Only the caller's view decides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, domain, type Harness } from '../support/server-harness.js'
import { Phone, sipSecret, startSipServer } from '../support/sip-phone.js'

let harness: Harness
let tokens: Record<string, string>
const secret = sipSecret

beforeAll(async () => {
  ;({ harness, tokens } = await startSipServer(['amy', 'bob', 'cid'], ['bob', 'cid']))
  const methods = [{ kind: 'voice', address: `amy-desk@${domain}`, rank: 1, scope: 'work' }]
  await api(harness.url, {
    method: 'PUT',
    path: '/v1/me/contact-methods',
    token: tokens['amy'],
    body: methods,
  })
  const grant = { activities: true, note: true, contactScopes: ['work'] }
  const rules = [
    { id: 'bob', conditions: { addresses: [`bob@${domain}`] }, subscription: 'allow', grant },
    {
      id: 'cid',
      conditions: { addresses: [`cid@${domain}`] },
      subscription: 'allow',
      grant: { ...grant, note: false },
    },
  ]
  const set = await api(harness.url, {
    method: 'PUT',
    path: '/v1/me/privacy',
    token: tokens['amy'],
    body: { rules },
  })
  expect(set.status, JSON.stringify(set.body)).toBe(200)
})
afterAll(() => harness?.stop())

const amyDesk = (body: Record<string, unknown>) =>
  api(harness.url, {
    method: 'PUT',
    path: '/v1/me/presence/sources/desk',
    token: tokens['amy'],
    body: { ...body, ttlSeconds: 600, device: { capabilities: ['voice'] } },
  })

describe('answers to calls from presence', { timeout: 30_000 }, () => {
  it('redirects to a free person, is busy with the note the caller may see, unavailable offline', async () => {
    const phone = await Phone.open(harness.server.sip!.port)
    await amyDesk({ availability: 'available' })
    const free = await phone.call('bob', secret, 'amy')
    expect(free).toMatch(/^SIP\/2\.0 302/)
    expect(free).toContain(`Contact: <sip:amy-desk@${domain}>`)

    await amyDesk({
      availability: 'busy',
      activities: [{ kind: 'in-a-call' }],
      note: { text: 'Back at three' },
    })
    const busy = await phone.call('bob', secret, 'amy')
    expect(busy).toMatch(/^SIP\/2\.0 486 Busy Here/)
    expect(busy).toMatch(/Warning: 399 .*Back at three/)
    const hidden = await phone.call('cid', secret, 'amy')
    expect(hidden).toMatch(/^SIP\/2\.0 486/)
    expect(hidden).not.toContain('Back at three')

    await api(harness.url, {
      method: 'DELETE',
      path: '/v1/me/presence/sources/desk',
      token: tokens['amy'],
    })
    expect(await phone.call('bob', secret, 'amy')).toMatch(/^SIP\/2\.0 480/)
    expect(await phone.call('bob', secret, 'nobody')).toMatch(/^SIP\/2\.0 404/)
    phone.close()
  })
})
