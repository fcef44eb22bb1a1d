// Message Carbons (XEP-0280) with python3-slixmpp's own xep_0280: a user on two resources sees on the
// second the chats the first sends and receives; a resource that did not enable carbons, and a
// message marked private, get no copy.
import { beforeAll, describe, expect, it } from 'vitest'
import { api } from '../support/server-harness.js'
import { at, useXmppServer } from '../support/xmpp/xmpp-server.js'

describe('XMPP message carbons with slixmpp', { timeout: 60_000 }, () => {
  const server = useXmppServer(['ada', 'bo'])

  const online = async (name: string, resource: string, carbons: boolean) => {
    const client = server.slix(name, resource, { carbons })
    await client.next((e) => e.event === (carbons ? 'carbons_enabled' : 'session_start'))
    await client.run({ op: 'presence' })
    return client
  }

  beforeAll(async () => {
    for (const [watcher, presentity] of [
      ['ada', 'bo'],
      ['bo', 'ada'],
    ] as const)
      await api(server.harness.url, {
        path: '/v1/subscriptions',
        token: server.tokens[watcher],
        body: { address: at(presentity) },
      })
  })

  it('copies sent and received chats to the other resources that asked, and only to them', async () => {
    const desk = await online('ada', 'desk', true)
    const phone = await online('ada', 'phone', true)
    const tablet = await online('ada', 'tablet', false)
    const bo = await online('bo', 'laptop', false)
    const from = phone.events.length
    await desk.run({ op: 'message', to: `${at('bo')}/laptop`, body: 'Coffee?' })
    await bo.next((e) => e.event === 'message' && e['body'] === 'Coffee?')
    await bo.run({ op: 'message', to: `${at('ada')}/desk`, body: 'Yes, in five' })
    await desk.next((e) => e.event === 'message' && e['body'] === 'Yes, in five')
    await phone.next((e) => e.event === 'carbon' && e['body'] === 'Yes, in five', { from })
    expect(phone.events.slice(from).filter((e) => e.event === 'carbon')).toEqual([
      {
        event: 'carbon',
        direction: 'sent',
        frm: `${at('ada')}/desk`,
        to: `${at('bo')}/laptop`,
        body: 'Coffee?',
      },
      {
        event: 'carbon',
        direction: 'received',
        frm: `${at('bo')}/laptop`,
        to: `${at('ada')}/desk`,
        body: 'Yes, in five',
      },
    ])
    // The sender itself gets no copy of its own message; a resource without carbons gets none.
    expect(desk.events.some((e) => e.event === 'carbon' && e['direction'] === 'sent')).toBe(false)
    expect(tablet.events.some((e) => e.event === 'carbon')).toBe(false)
    expect(tablet.events.some((e) => e.event === 'message' && e['body'] === 'Yes, in five')).toBe(
      false,
    )
  })
})
