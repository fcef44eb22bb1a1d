// The XMPP gateway with python3-slixmpp, a client nobody here wrote: sign-in with each SASL
// mechanism over STARTTLS, a wrong password refused, and presence both ways between an XMPP client
// and the REST API.
import { describe, expect, it } from 'vitest'
import { api, domain, eventually, passwordOf } from '../support/server-harness.js'
import { useXmppServer } from '../support/xmpp/xmpp-server.js'

describe('the XMPP gateway with slixmpp', { timeout: 60_000 }, () => {
  const server = useXmppServer(['ada', 'bo'])

  const connect = async (name: string, mechanism?: string, password = passwordOf(name)) =>
    server.slix(name, 'laptop', { password, ...(mechanism ? { mechanism } : {}) })

  it.each(['SCRAM-SHA-256', 'SCRAM-SHA-1', 'PLAIN'])(
    'signs in with %s over STARTTLS',
    async (mechanism) => {
      const client = await connect('ada', mechanism)
      const started = await client.next(
        (e) => e.event === 'session_start' || e.event === 'failed_auth',
      )
      expect(started).toMatchObject({ event: 'session_start', jid: `ada@${domain}/laptop` })
      await client.stop()
    },
  )

  it('refuses a wrong password', async () => {
    const client = await connect('bo', 'SCRAM-SHA-256', 'not-the-password')
    await client.next((e) => e.event === 'failed_auth')
    expect(client.events.some((e) => e.event === 'session_start')).toBe(false)
    await client.stop()
  })

  it('carries presence both ways between XMPP and REST', async () => {
    for (const [watcher, presentity] of [
      ['bo', 'ada'],
      ['ada', 'bo'],
    ] as const) {
      const reply = await api(server.harness.url, {
        path: '/v1/subscriptions',
        token: server.tokens[watcher],
        body: { address: `${presentity}@${domain}` },
      })
      expect(reply.status).toBeLessThan(300)
    }
    const ada = await connect('ada')
    await ada.next((e) => e.event === 'session_start')
    ada.send({ op: 'presence', show: 'dnd', status: 'Writing the report' })
    await eventually(async () => {
      const view = await api<{ view: { availability: string; note?: { text: string } } }>(
        server.harness.url,
        {
          path: `/v1/presence/ada@${domain}`,
          token: server.tokens['bo'],
        },
      )
      return (
        view.body.view?.availability === 'do-not-disturb' &&
        view.body.view.note?.text === 'Writing the report'
      )
    }, 10_000)
    const from = ada.events.length
    const set = await api(server.harness.url, {
      method: 'PUT',
      path: '/v1/me/presence/sources/desk',
      token: server.tokens['bo'],
      body: { availability: 'away', note: { text: 'Lunch' } },
    })
    expect(set.status).toBe(200)
    const presence = await ada.next(
      (e) =>
        e.event === 'presence' &&
        String(e['frm']).startsWith(`bo@${domain}`) &&
        e['show'] === 'away',
      { from },
    )
    expect(presence).toMatchObject({ type: 'away', status: 'Lunch' })
  })

  it('ends the stream at once when its token is revoked, and retires the token of a closed stream', async () => {
    type Tokens = { id: string; name: string; revokedAt?: number }[]
    const xmppTokens = async () => {
      const reply = await api<Tokens | { tokens: Tokens }>(server.harness.url, {
        path: '/v1/auth/tokens',
        token: server.tokens['bo'],
      })
      const list = Array.isArray(reply.body) ? reply.body : reply.body.tokens
      return list.filter((token) => token.name === 'xmpp')
    }
    const before = new Set((await xmppTokens()).map((token) => token.id))
    const bo = await connect('bo')
    await bo.next((e) => e.event === 'session_start')
    const live = (await xmppTokens()).filter((token) => !before.has(token.id) && !token.revokedAt)
    expect(live).toHaveLength(1)
    const revoked = await api(server.harness.url, {
      method: 'DELETE',
      path: `/v1/auth/tokens/${live[0]!.id}`,
      token: server.tokens['bo'],
    })
    expect(revoked.status).toBeLessThan(300)
    const ended = await bo.next((e) => e.event === 'stream_error' || e.event === 'disconnected')
    expect(ended).toMatchObject({ event: 'stream_error', condition: 'not-authorized' })
    const again = await connect('bo')
    await again.next((e) => e.event === 'session_start')
    await again.stop()
    await expect
      .poll(async () => (await xmppTokens()).filter((token) => !token.revokedAt).length, {
        timeout: 5000,
      })
      .toBe(0)
  })
})
