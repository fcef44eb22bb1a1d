// Account queries over XMPP with python3-slixmpp: the blocking command (XEP-0191) is the owner's
// block rule (seen over REST, ending presence at once), vCard-temp (XEP-0054) holds exactly the
// contact methods the asker's view allows, and Last Activity (XEP-0012) answers from the view.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addUsersFast } from '../support/direct-users.js'
import { api, domain, passwordOf, startHarness, type Harness } from '../support/server-harness.js'
import { SlixClient } from '../support/xmpp/slix-client.js'

const at = (name: string) => `${name}@${domain}`

describe('XMPP account queries with slixmpp', { timeout: 60_000 }, () => {
  let harness: Harness
  let tokens: Record<string, string>
  const clients: Record<string, SlixClient> = {}

  const iq = async (
    client: SlixClient,
    command: { type?: string; to?: string; payload: string },
  ) => {
    const from = client.events.length
    const done = await client.run({ op: 'iqpayload', ...command })
    if (done.event === 'error') return String(done['xml'])
    return String(client.events.slice(from).find((e) => e.event === 'iq')!['xml'])
  }

  beforeAll(async () => {
    harness = await startHarness({ env: { NARVARO_XMPP_PORT: '0' } })
    ;({ tokens } = await addUsersFast(harness.server.services, ['ada', 'bo', 'cy'], {
      passwords: true,
    }))
    await api(harness.url, {
      path: '/v1/subscriptions',
      token: tokens['ada'],
      body: { address: at('bo') },
    })
    const methods = await api(harness.url, {
      method: 'PUT',
      path: '/v1/me/contact-methods',
      token: tokens['bo'],
      body: [
        { kind: 'phone', address: '+46 8 123 456', rank: 1, scope: 'work' },
        { kind: 'phone', address: '+46 70 999 999', rank: 2, scope: 'personal' },
      ],
    })
    expect(methods.status).toBe(200)
    for (const name of ['ada', 'bo']) {
      const client = new SlixClient({
        jid: `${at(name)}/desk`,
        password: passwordOf(name),
        port: harness.server.xmpp!.port,
        caFile: join(harness.dataDir, 'xmpp-tls', 'self-signed-cert.pem'),
      })
      clients[name] = client
      await client.next((e) => e.event === 'session_start')
      await client.run({ op: 'presence', status: `${name} here` })
    }
  }, 60_000)

  afterAll(async () => {
    await Promise.all(Object.values(clients).map((client) => client.stop()))
    await harness?.stop()
  })

  it('gives a vCard with exactly the contact methods the view allows', async () => {
    const card = await iq(clients['ada']!, { to: at('bo'), payload: '<vCard xmlns="vcard-temp"/>' })
    expect(card).toContain('+46 8 123 456')
    expect(card).not.toContain('+46 70 999 999')
    const nobody = await iq(clients['ada']!, {
      to: at('nobody'),
      payload: '<vCard xmlns="vcard-temp"/>',
    })
    expect(nobody).toContain('service-unavailable')
  })

  it('answers Last Activity from the view', async () => {
    const last = await iq(clients['ada']!, {
      to: at('bo'),
      payload: '<query xmlns="jabber:iq:last"/>',
    })
    expect(last).toMatch(/seconds="0"/)
  })

  it("blocks and unblocks with the blocking command, as the owner's block rule", async () => {
    const [ada, bo] = [clients['ada']!, clients['bo']!]
    await ada.next(
      (e) => e.event === 'presence' && e['frm'] === at('bo') && e['status'] === 'bo here',
    )
    let from = ada.events.length
    const blocked = await iq(bo, {
      type: 'set',
      payload: `<block xmlns="urn:xmpp:blocking"><item jid="${at('ada')}"/></block>`,
    })
    expect(blocked).toContain('type="result"')
    await ada.next(
      (e) => e.event === 'presence' && e['frm'] === at('bo') && e['type'] === 'unavailable',
      { from },
    )
    const list = await iq(bo, { payload: '<blocklist xmlns="urn:xmpp:blocking"/>' })
    expect(list).toContain(`jid="${at('ada')}"`)
    const privacy = await api<{
      settings: {
        rules: { id: string; subscription: string; conditions: { addresses?: string[] } }[]
      }
    }>(harness.url, { path: '/v1/me/privacy', token: tokens['bo'] })
    const rule = privacy.body.settings.rules.find((r) => r.id === 'blocked')
    expect(rule).toMatchObject({ subscription: 'block', conditions: { addresses: [at('ada')] } })
    from = ada.events.length
    const unblocked = await iq(bo, { type: 'set', payload: '<unblock xmlns="urn:xmpp:blocking"/>' })
    expect(unblocked).toContain('type="result"')
    await ada.next(
      (e) => e.event === 'presence' && e['frm'] === at('bo') && e['status'] === 'bo here',
      { from },
    )
    expect(await iq(bo, { payload: '<blocklist xmlns="urn:xmpp:blocking"/>' })).not.toContain(
      'item',
    )
  })

  it('coalesces presence while the client says it is inactive (XEP-0352)', async () => {
    const ada = clients['ada']!
    await ada.run({ op: 'raw', xml: '<inactive xmlns="urn:xmpp:csi:0"/>' })
    await ada.run({ op: 'iqpayload', payload: '<ping xmlns="urn:xmpp:ping"/>' })
    const from = ada.events.length
    for (const text of ['one', 'two', 'three']) {
      const reply = await api(harness.url, {
        method: 'PUT',
        path: '/v1/me/presence/sources/phone',
        token: tokens['bo'],
        body: { availability: 'busy', note: { text } },
      })
      expect(reply.status).toBe(200)
    }
    await ada.run({ op: 'iqpayload', payload: '<ping xmlns="urn:xmpp:ping"/>' })
    expect(ada.events.slice(from).filter((e) => e.event === 'presence')).toEqual([])
    await ada.run({ op: 'raw', xml: '<active xmlns="urn:xmpp:csi:0"/>' })
    const latest = await ada.next((e) => e.event === 'presence' && e['frm'] === at('bo'), { from })
    expect(latest['status']).toBe('three')
    await ada.run({ op: 'iqpayload', payload: '<ping xmlns="urn:xmpp:ping"/>' })
    expect(ada.events.slice(from).filter((e) => e.event === 'presence')).toHaveLength(1)
  })

  it('files a person into contact lists with roster groups, and removes them everywhere', async () => {
    const ada = clients['ada']!
    type Lists = { name: string; members: { address: string }[] }[]
    const lists = async () => {
      const reply = await api<Lists | { lists: Lists }>(harness.url, {
        path: '/v1/me/contact-lists',
        token: tokens['ada'],
      })
      const body = Array.isArray(reply.body) ? reply.body : reply.body.lists
      return body
        .map((list) => `${list.name}:${list.members.map((m) => m.address).join(',')}`)
        .sort()
    }
    const set = await ada.run({ op: 'roster_set', to: at('bo'), groups: ['Design', 'Lunch'] })
    expect(set.event).toBe('done')
    expect(await lists()).toEqual([`Design:${at('bo')}`, `Lunch:${at('bo')}`])
    await ada.run({ op: 'roster' })
    const roster = ada.events.findLast((e) => e.event === 'roster')!
    expect(roster['items']).toMatchObject({ [at('bo')]: { subscription: 'to' } })
    await ada.run({ op: 'roster_set', to: at('bo'), groups: ['Lunch'] })
    expect(await lists()).toEqual(['Design:', `Lunch:${at('bo')}`])
    // An item with no group (a client's "add contact" before any subscription) stays in the roster.
    await ada.run({ op: 'roster_set', to: at('cy'), groups: [] })
    expect(await lists()).toEqual([`Contacts:${at('cy')}`, 'Design:', `Lunch:${at('bo')}`])
    await ada.run({ op: 'roster' })
    expect(ada.events.findLast((e) => e.event === 'roster')!['items']).toMatchObject({
      [at('cy')]: { subscription: 'none' },
    })
    await ada.run({ op: 'roster_remove', to: at('bo') })
    expect(await lists()).toEqual([`Contacts:${at('cy')}`, 'Design:', 'Lunch:'])
    const subscriptions = await api(harness.url, {
      path: '/v1/subscriptions',
      token: tokens['ada'],
    })
    expect(JSON.stringify(subscriptions.body)).not.toContain(at('bo'))
  })
})
