// Busy lamps over SIP (the dialog package, RFC 4235): Bob's desk phone subscribes to Amy's dialogs and
// its lamp lights when a phone system puts Amy in a call, and goes dark when the call ends; Cid, whose
// view of Amy hides her activities, never sees the call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, domain, type Harness } from '../support/server-harness.js'
import { Phone, sipSecret, startSipServer } from '../support/sip-phone.js'

let harness: Harness
let tokens: Record<string, string>
const secret = sipSecret

beforeAll(async () => {
  ;({ harness, tokens } = await startSipServer(['amy', 'bob', 'cid'], ['bob', 'cid']))
  // Bob sees Amy's activities; Cid sees only whether she is available.
  const rules = [
    {
      id: 'bob',
      conditions: { addresses: [`bob@${domain}`] },
      subscription: 'allow',
      grant: { activities: true },
    },
    { id: 'cid', conditions: { addresses: [`cid@${domain}`] }, subscription: 'allow', grant: {} },
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

const amyPhoneSystem = (activities: { kind: string }[]) =>
  api(harness.url, {
    method: 'PUT',
    path: '/v1/me/presence/sources/pbx',
    token: tokens['amy'],
    body: {
      availability: activities.length > 0 ? 'busy' : 'available',
      activities,
      ttlSeconds: 600,
    },
  })

const confirmed = (notify: string) => notify.includes('<state>confirmed</state>')

describe('busy lamps over SIP', { timeout: 30_000 }, () => {
  it('lights while the view shows a call, and never for a watcher whose view hides it', async () => {
    await amyPhoneSystem([])
    const bob = await Phone.open(harness.server.sip!.port)
    const cid = await Phone.open(harness.server.sip!.port)
    expect(await bob.subscribe('bob', secret, 'amy', 'dialog')).toMatch(/^SIP\/2\.0 200/)
    expect(await cid.subscribe('cid', secret, 'amy', 'dialog')).toMatch(/^SIP\/2\.0 200/)
    const dark = await bob.next((m) => m.startsWith('NOTIFY '))
    expect(dark).toContain('Event: dialog')
    expect(dark).toContain('Content-Type: application/dialog-info+xml')
    expect(confirmed(dark)).toBe(false)
    expect(confirmed(await cid.next((m) => m.startsWith('NOTIFY ')))).toBe(false)

    await amyPhoneSystem([{ kind: 'in-a-call' }])
    expect(confirmed(await bob.next((m) => m.startsWith('NOTIFY ')))).toBe(true)
    await amyPhoneSystem([])
    expect(confirmed(await bob.next((m) => m.startsWith('NOTIFY ')))).toBe(false)
    // Cid's lamp never changed: no NOTIFY after the first.
    expect(cid.received.filter((m) => m.startsWith('NOTIFY '))).toEqual([])
    bob.close()
    cid.close()
  })
})
