// Subscriptions and chat over the XMPP gateway with python3-slixmpp: a request that needs approval
// is approved from XMPP and from REST, a roster built over XMPP shows in the REST API, a polite block
// looks exactly like an accepted subscription to someone offline, a block exactly like an address
// that does not exist, and chat messages are routed between online users only.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addUsersFast } from '../support/direct-users.js'
import { api, domain, passwordOf, startHarness, type Harness } from '../support/server-harness.js'
import { SlixClient } from '../support/xmpp/slix-client.js'

const at = (name: string) => `${name}@${domain}`

describe('XMPP subscriptions and chat with slixmpp', { timeout: 90_000 }, () => {
  let harness: Harness
  let tokens: Record<string, string>
  const clients: Record<string, SlixClient> = {}

  const rules = async (
    owner: string,
    list: Record<string, 'confirm' | 'polite-block' | 'block'>,
  ) => {
    const reply = await api(harness.url, {
      method: 'PUT',
      path: '/v1/me/privacy',
      token: tokens[owner],
      body: {
        rules: Object.entries(list).map(([name, subscription]) => ({
          id: name,
          conditions: { addresses: [at(name)] },
          subscription,
          grant: { note: true },
        })),
      },
    })
    expect(reply.status).toBe(200)
  }

  beforeAll(async () => {
    harness = await startHarness({ env: { NARVARO_XMPP_PORT: '0' } })
    const caFile = join(harness.dataDir, 'xmpp-tls', 'self-signed-cert.pem')
    ;({ tokens } = await addUsersFast(harness.server.services, ['ada', 'bo', 'cy', 'dee', 'eve'], {
      passwords: true,
    }))
    await rules('bo', { ada: 'confirm', eve: 'confirm' })
    await rules('ada', { cy: 'polite-block', dee: 'block' })
    for (const name of ['ada', 'bo', 'cy', 'dee']) {
      const client = new SlixClient({
        jid: `${at(name)}/desk`,
        password: passwordOf(name),
        port: harness.server.xmpp!.port,
        caFile,
      })
      clients[name] = client
      await client.next((e) => e.event === 'session_start')
      client.send({ op: 'presence', status: `${name} at work` })
      await client.next((e) => e.event === 'done' && e['op'] === 'presence')
    }
  }, 90_000)

  afterAll(async () => {
    await Promise.all(Object.values(clients).map((client) => client.stop()))
    await harness?.stop()
  })

  const presenceFrom = (client: SlixClient, from: string, type: string, start: number) =>
    client.next(
      (e) =>
        e.event === 'presence' && String(e['frm']).split('/')[0] === from && e['type'] === type,
      { from: start },
    )

  it('a request that needs approval reaches the presentity over XMPP and is approved there', async () => {
    const ada = clients['ada']!
    const bo = clients['bo']!
    const [adaStart, boStart] = [ada.events.length, bo.events.length]
    ada.send({ op: 'subscribe', to: at('bo') })
    await presenceFrom(bo, at('ada'), 'subscribe', boStart)
    const pending = await ada.next(
      (e) =>
        e.event === 'roster_push' &&
        (e['items'] as Record<string, { ask: string }>)[at('bo')]?.ask === 'subscribe',
      { from: adaStart },
    )
    expect(pending).toBeDefined()
    expect(ada.events.slice(adaStart).some((e) => e['type'] === 'subscribed')).toBe(false)
    bo.send({ op: 'subscribed', to: at('ada') })
    await presenceFrom(ada, at('bo'), 'subscribed', adaStart)
    const seen = await ada.next(
      (e) => e.event === 'presence' && e['frm'] === at('bo') && e['status'] === 'bo at work',
      { from: adaStart },
    )
    expect(seen['type']).toBe('available')
    const listed = await api<{ subscriptions: { address: string; state: string }[] }>(harness.url, {
      path: '/v1/subscriptions',
      token: tokens['ada'],
    })
    expect(JSON.stringify(listed.body)).toContain(at('bo'))
    const roster = await ada
      .run({ op: 'roster' })
      .then(() => ada.events.findLast((e) => e.event === 'roster')!)
    expect(
      (roster['items'] as Record<string, { subscription: string }>)[at('bo')]?.subscription,
    ).toBe('to')
  })

  it('a request made over REST is approved over XMPP, and one made over XMPP over REST', async () => {
    const bo = clients['bo']!
    const boStart = bo.events.length
    const asked = await api(harness.url, {
      path: '/v1/subscriptions',
      token: tokens['eve'],
      body: { address: at('bo') },
    })
    expect(asked.status).toBeLessThan(300)
    await presenceFrom(bo, at('eve'), 'subscribe', boStart)
    bo.send({ op: 'subscribed', to: at('eve') })
    await expect
      .poll(
        async () => {
          const reply = await api<{
            subscriptions?: { address?: string; presentityAddress?: string; state: string }[]
          }>(harness.url, { path: '/v1/subscriptions', token: tokens['eve'] })
          return JSON.stringify(reply.body)
        },
        { timeout: 10_000 },
      )
      .toMatch(/"active"/)
    const dee = clients['dee']!
    const deeStart = dee.events.length
    await rules('cy', { dee: 'confirm' })
    dee.send({ op: 'subscribe', to: at('cy') })
    await expect
      .poll(
        async () => {
          const reply = await api(harness.url, { path: '/v1/me/watchers', token: tokens['cy'] })
          return JSON.stringify(reply.body)
        },
        { timeout: 10_000 },
      )
      .toContain('pending')
    const approved = await api(harness.url, {
      path: `/v1/me/watchers/${at('dee')}/approve`,
      token: tokens['cy'],
      body: {},
    })
    expect(approved.status).toBeLessThan(300)
    await presenceFrom(dee, at('cy'), 'subscribed', deeStart)
    await dee.next(
      (e) => e.event === 'presence' && e['frm'] === at('cy') && e['status'] === 'cy at work',
      { from: deeStart },
    )
  })

  it('a polite block looks exactly like an accepted subscription to someone offline', async () => {
    const cy = clients['cy']!
    const start = cy.events.length
    cy.send({ op: 'subscribe', to: at('ada') })
    await presenceFrom(cy, at('ada'), 'subscribed', start)
    const offline = await presenceFrom(cy, at('ada'), 'unavailable', start)
    expect(offline['status']).toBe('')
    expect(
      cy.events.slice(start).some((e) => e['frm'] === at('ada') && e['type'] === 'available'),
    ).toBe(false)
  })

  it('a colleague who blocks reads as a polite block; an address nobody has as unsubscribed', async () => {
    const dee = clients['dee']!
    let start = dee.events.length
    dee.send({ op: 'subscribe', to: at('ada') })
    await presenceFrom(dee, at('ada'), 'subscribed', start)
    await presenceFrom(dee, at('ada'), 'unavailable', start)
    start = dee.events.length
    dee.send({ op: 'subscribe', to: at('nobody') })
    const missing = await presenceFrom(dee, at('nobody'), 'unsubscribed', start)
    expect(missing['xml']).toBe(
      `<presence type="unsubscribed" from="${at('nobody')}" to="${at('dee')}" />`,
    )
  })

  it('routes chat between online users; one who blocks and one offline are silent alike', async () => {
    const ada = clients['ada']!
    const bo = clients['bo']!
    const dee = clients['dee']!
    const [adaStart, boStart] = [ada.events.length, bo.events.length]
    ada.send({ op: 'message', to: at('bo'), body: 'Lunch at noon?' })
    const got = await bo.next((e) => e.event === 'message' && e['body'] === 'Lunch at noon?', {
      from: boStart,
    })
    expect(got['frm']).toBe(`${at('ada')}/desk`)
    const deeStart = dee.events.length
    dee.send({ op: 'message', to: at('nobody'), body: 'anyone?' })
    const error = await dee.next((e) => e.event === 'message' && e['type'] === 'error', {
      from: deeStart,
    })
    expect(error['xml']).toContain('service-unavailable')
    dee.send({ op: 'message', to: at('ada'), body: 'hello?' })
    dee.send({ op: 'message', to: at('eve'), body: 'hello?' })
    // A probe after both: once its answer is back, the two messages were handled.
    await dee.run({ op: 'iq', ns: 'urn:xmpp:ping' })
    expect(dee.events.slice(deeStart).filter((e) => e['type'] === 'error')).toHaveLength(1)
    expect(ada.events.slice(adaStart).some((e) => e.event === 'message')).toBe(false)
  })
})
