// Directed presence (RFC 6121 §4.6) over raw sockets: accepted without an error and not routed, to a
// colleague as to an address nobody has, and the sender's broadcast presence does not change; what
// anyone sees of the sender stays the view the core computes for them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, passwordOf } from '../support/server-harness.js'
import { RawXmppClient } from '../support/xmpp/raw-client.js'
import { at, useXmppServer } from '../support/xmpp/xmpp-server.js'

describe('directed presence over XMPP', { timeout: 60_000 }, () => {
  const server = useXmppServer(['ada', 'bo', 'cy'], { NARVARO_XMPP_TLS: 'optional' })
  let ada: RawXmppClient
  let bo: RawXmppClient
  let cy: RawXmppClient

  const signIn = (name: string) =>
    RawXmppClient.signIn({
      port: server.port,
      address: at(name),
      password: passwordOf(name),
      resource: 'desk',
    })

  /** Pings the server; once answered, everything it wrote to `client` before is in `elements`. */
  const settled = async (client: RawXmppClient, id: string) => {
    client.write(`<iq type='get' id='${id}'><ping xmlns='urn:xmpp:ping'/></iq>`)
    await client.next((e) => e.name === 'iq' && e.attrs['id'] === id)
  }

  beforeAll(async () => {
    // Cy watches Ada (the default rules allow colleagues); Bo does not.
    await api(server.harness.url, {
      path: '/v1/subscriptions',
      token: server.tokens['cy'],
      body: { address: at('ada') },
    })
    ;[ada, bo, cy] = await Promise.all([signIn('ada'), signIn('bo'), signIn('cy')])
    for (const client of [ada, bo, cy]) client.write('<presence/>')
    await cy.next((e) => e.name === 'presence' && e.attrs['from'] === at('ada') && !e.attrs['type'])
  }, 60_000)

  afterAll(async () => {
    for (const client of [ada, bo, cy]) await client?.close()
  })

  it('answers no error and routes nothing, to a colleague as to nobody', async () => {
    const from = { ada: ada.elements.length, bo: bo.elements.length, cy: cy.elements.length }
    ada.write(`<presence to='${at('bo')}'><show>dnd</show><status>only for Bo</status></presence>`)
    ada.write(`<presence to='${at('nobody')}/x'><status>only for nobody</status></presence>`)
    ada.write(`<presence to='${at('bo')}' type='unavailable'/>`)
    await settled(ada, 'a1')
    await settled(bo, 'b1')
    await settled(cy, 'c1')
    expect(ada.elements.slice(from.ada).filter((e) => e.name !== 'iq')).toEqual([])
    // Bo does not watch Ada: nothing of hers reaches him.
    expect(
      bo.elements.slice(from.bo).filter((e) => e.attrs['from']?.startsWith(at('ada'))),
    ).toEqual([])
    // Cy watches Ada: her broadcast presence did not change, so nothing new came.
    expect(cy.elements.slice(from.cy).filter((e) => e.name === 'presence')).toEqual([])
  })

  it('leaves the broadcast presence to undirected presence', async () => {
    const from = cy.elements.length
    ada.write('<presence><status>for everyone</status></presence>')
    const seen = await cy.next((e) => e.name === 'presence' && e.attrs['from'] === at('ada'), {
      from,
    })
    expect(seen.getChildText('status')).toBe('for everyone')
    expect(seen.getChild('show')).toBeUndefined()
  })
})
