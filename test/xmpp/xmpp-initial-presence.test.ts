// What a client's initial presence gets for people whose view is offline whatever they do, over raw
// sockets: a subscription whose rule turned to `confirm` (before or right after the initial
// presence) and a polite block each give an explicit `unavailable`, the same stanza as a colleague
// who really is offline, as the WebSocket of the same watcher gets an offline view.
import { beforeAll, describe, expect, it } from 'vitest'
import type { View } from '../../src/core/policy/compute-view.js'
import { api, passwordOf, TestSocket } from '../support/server-harness.js'
import { RawXmppClient } from '../support/xmpp/raw-client.js'
import { at, useXmppServer } from '../support/xmpp/xmpp-server.js'

describe('initial presence over XMPP for views that are offline', { timeout: 60_000 }, () => {
  const server = useXmppServer(['bob', 'amy', 'cy', 'dan', 'eve'], { NARVARO_XMPP_TLS: 'optional' })
  let run = 0

  /** `owner`'s only rule for `watcher`. */
  const rule = async (owner: string, watcher: string, subscription: string) => {
    const rules = [{ id: 'w', conditions: { addresses: [at(watcher)] }, subscription, grant: {} }]
    const reply = await api(server.harness.url, {
      method: 'PUT',
      path: '/v1/me/privacy',
      token: server.tokens[owner],
      body: { rules },
    })
    expect(reply.status).toBe(200)
  }

  const subscribe = async (watcher: string, address: string) => {
    const reply = await api(server.harness.url, {
      path: '/v1/subscriptions',
      token: server.tokens[watcher],
      body: { address: at(address) },
    })
    expect(reply.status).toBeLessThan(300)
  }

  const publish = async (name: string) => {
    const reply = await api(server.harness.url, {
      method: 'PUT',
      path: '/v1/me/presence/sources/desk',
      token: server.tokens[name],
      body: { availability: 'available', note: { text: `${name} at work` } },
    })
    expect(reply.status).toBe(200)
  }

  const signIn = (name: string) =>
    RawXmppClient.signIn({
      port: server.port,
      address: at(name),
      password: passwordOf(name),
      resource: `r${++run}`,
    })

  /** The presence `client` got from `address`, without its addresses, to compare two people's. */
  const presenceOf = async (client: RawXmppClient, address: string) => {
    const stanza = await client.next(
      (e) =>
        e.name === 'presence' &&
        e.attrs['from'] === at(address) &&
        [undefined, 'unavailable'].includes(e.attrs['type'] as string | undefined),
    )
    const { from: _from, to: _to, ...rest } = stanza.attrs
    return { attrs: rest, children: stanza.children.map(String) }
  }

  beforeAll(async () => {
    // Amy, Cy and Eve are online; Dan, whom Bob may see, really is offline.
    for (const name of ['amy', 'cy', 'eve']) await publish(name)
  }, 60_000)

  it('a subscription whose rule turned to confirm before the initial presence gets unavailable', async () => {
    await subscribe('bob', 'dan')
    await subscribe('bob', 'amy')
    const socket = await TestSocket.open(server.harness.url, server.tokens['bob'])
    expect((await socket.request({ type: 'subscribe', addresses: [at('amy')] })).type).toBe('ack')
    await rule('amy', 'bob', 'confirm')
    const seen = await socket.next(
      (m) => m['address'] === at('amy') && (m['view'] as View).availability === 'offline',
    )
    expect((seen['view'] as View).note).toBeUndefined()
    const client = await signIn('bob')
    client.write('<presence/>')
    const amy = await presenceOf(client, 'amy')
    expect(amy.attrs['type']).toBe('unavailable')
    expect(amy).toEqual(await presenceOf(client, 'dan'))
    await client.close()
    await socket.close()
  })

  it('a rule that turns to confirm right after the initial presence gives unavailable', async () => {
    await subscribe('bob', 'eve')
    const client = await signIn('bob')
    client.write('<presence/>')
    await rule('eve', 'bob', 'confirm')
    const from = client.elements.length
    // Whichever came first, the last word about Eve is unavailable, and nothing of her note shows.
    await client.next(
      (e) =>
        e.name === 'presence' && e.attrs['from'] === at('eve') && e.attrs['type'] === 'unavailable',
    )
    const barrier = `<iq type='get' id='settled'><ping xmlns='urn:xmpp:ping'/></iq>`
    client.write(barrier)
    await client.next((e) => e.name === 'iq' && e.attrs['id'] === 'settled', { from })
    const eve = client.elements.filter(
      (e) => e.name === 'presence' && e.attrs['from'] === at('eve'),
    )
    expect(eve.at(-1)?.attrs['type']).toBe('unavailable')
    await client.close()
  })

  it('a polite block set before subscribing gives unavailable at initial presence, as offline', async () => {
    await rule('cy', 'bob', 'polite-block')
    const client = await signIn('bob')
    client.write(`<presence type='subscribe' to='${at('cy')}'/>`)
    const answer = await client.next((e) => e.name === 'presence' && e.attrs['from'] === at('cy'))
    expect(answer.attrs['type']).toBe('subscribed')
    client.write('<presence/>')
    const cy = await presenceOf(client, 'cy')
    expect(cy.attrs['type']).toBe('unavailable')
    expect(cy).toEqual(await presenceOf(client, 'dan'))
    await client.close()
  })
})
