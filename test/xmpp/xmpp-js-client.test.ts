// The XMPP gateway with @xmpp/client (xmpp.js), the second real client nobody here wrote: sign-in
// over STARTTLS with a certificate checked against the domain, a wrong password refused, a roster
// built from the REST API and from xmpp.js, and presence and chat between xmpp.js and slixmpp.
import { describe, expect, it } from 'vitest'
import { api, domain, passwordOf } from '../support/server-harness.js'
import type { DriverEvent } from '../support/xmpp/driver-client.js'
import { XmppJsClient } from '../support/xmpp/xmppjs-client.js'
import { at, useXmppServer } from '../support/xmpp/xmpp-server.js'

const presenceFrom = (name: string, show: string, status: string) => (e: DriverEvent) =>
  e.event === 'presence' &&
  String(e['frm']).split('/')[0] === at(name) &&
  e['show'] === show &&
  e['status'] === status

describe('the XMPP gateway with @xmpp/client', { timeout: 60_000 }, () => {
  const server = useXmppServer(['ada', 'bo', 'cy'])

  const xmppJs = (name: string, password = passwordOf(name)) =>
    server.track(
      new XmppJsClient({
        username: name,
        domain,
        password,
        resource: 'xmppjs',
        port: server.port,
        caFile: server.caFile,
      }),
    )

  const subscribe = async (watcher: string, presentity: string) => {
    const reply = await api(server.harness.url, {
      path: '/v1/subscriptions',
      token: server.tokens[watcher],
      body: { address: at(presentity) },
    })
    expect(reply.status).toBeLessThan(300)
  }

  it('signs in over STARTTLS and binds its resource; a wrong password is refused', async () => {
    const ada = xmppJs('ada')
    expect(
      await ada.next((e) => e.event === 'session_start' || e.event === 'start_failed'),
    ).toEqual({ event: 'session_start', jid: `${at('ada')}/xmppjs` })
    await ada.stop()
    const wrong = xmppJs('bo', 'not-the-password')
    await wrong.next((e) => e.event === 'failed_auth' || e.event === 'start_failed')
    expect(wrong.events.map((e) => e.event)).toContain('failed_auth')
    expect(wrong.events.some((e) => e.event === 'session_start')).toBe(false)
    await wrong.stop()
  })

  it('shows a REST subscription in its roster, and its own subscription in the REST API', async () => {
    await subscribe('cy', 'ada')
    const cy = xmppJs('cy')
    await cy.next((e) => e.event === 'session_start')
    await cy.run({ op: 'roster' })
    const roster = cy.events.find((e) => e.event === 'roster')
    expect(roster?.['items']).toEqual([
      expect.objectContaining({
        jid: at('ada'),
        subscription: expect.stringMatching(/^(to|both)$/),
      }),
    ])
    await cy.run({ op: 'subscribe', to: at('bo') })
    const watched = async () => {
      const list = await api<{ presentityAddress: string; state: string }[]>(server.harness.url, {
        path: '/v1/subscriptions',
        token: server.tokens['cy'],
      })
      return list.body.map((s) => [s.presentityAddress, s.state]).sort()
    }
    await expect.poll(watched, { timeout: 10_000 }).toEqual([
      [at('ada'), 'active'],
      [at('bo'), 'active'],
    ])
    await cy.stop()
  })

  it('carries presence both ways and chat between xmpp.js and slixmpp', async () => {
    await subscribe('ada', 'bo')
    await subscribe('bo', 'ada')
    const ada = xmppJs('ada')
    await ada.next((e) => e.event === 'session_start')
    const bo = server.slix('bo', 'desk')
    await bo.next((e) => e.event === 'session_start')
    await ada.run({ op: 'presence', show: 'dnd', status: 'In the lab' })
    await bo.run({ op: 'presence', show: 'away', status: 'Back at two' })
    await bo.next(presenceFrom('ada', 'dnd', 'In the lab'))
    await ada.next(presenceFrom('bo', 'away', 'Back at two'))
    await ada.run({ op: 'message', to: `${at('bo')}/desk`, body: 'Lunch?' })
    const message = await bo.next((e) => e.event === 'message' && e['body'] === 'Lunch?')
    expect(String(message['frm'])).toBe(`${at('ada')}/xmppjs`)
  })
})
