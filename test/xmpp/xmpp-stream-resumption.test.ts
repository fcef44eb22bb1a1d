// Stream management (XEP-0198) with python3-slixmpp behind a TCP proxy: the connection is cut, the
// client reconnects and resumes, and every change made while it was away arrives, none twice.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addUsers,
  api,
  domain,
  passwordOf,
  startHarness,
  type Harness,
} from '../support/server-harness.js'
import { startProxy, type TcpProxy } from '../support/tcp-proxy.js'
import { SlixClient } from '../support/xmpp/slix-client.js'

const at = (name: string) => `${name}@${domain}`

describe('XMPP stream resumption with slixmpp', { timeout: 60_000 }, () => {
  let harness: Harness
  let proxy: TcpProxy
  let tokens: Record<string, string>
  let ada: SlixClient

  const boSays = async (text: string) => {
    const reply = await api(harness.url, {
      method: 'PUT',
      path: '/v1/me/presence/sources/desk',
      token: tokens['bo'],
      body: { availability: 'busy', note: { text } },
    })
    expect(reply.status).toBe(200)
  }

  beforeAll(async () => {
    harness = await startHarness({ env: { NARVARO_XMPP_PORT: '0' } })
    proxy = await startProxy(`http://127.0.0.1:${harness.server.xmpp!.port}`)
    ;({ tokens } = await addUsers(harness.url, ['ada', 'bo']))
    await api(harness.url, {
      path: '/v1/subscriptions',
      token: tokens['ada'],
      body: { address: at('bo') },
    })
    ada = new SlixClient({
      jid: `${at('ada')}/desk`,
      password: passwordOf('ada'),
      port: Number(new URL(proxy.url).port),
      caFile: join(harness.dataDir, 'xmpp-tls', 'self-signed-cert.pem'),
      streamManagement: true,
    })
    await ada.next((e) => e.event === 'sm_enabled')
    await ada.run({ op: 'presence' })
  }, 60_000)

  afterAll(async () => {
    await ada?.stop()
    await proxy?.close()
    await harness?.stop()
  })

  it('resumes after a dropped connection without a missed or repeated change', async () => {
    await boSays('before')
    await ada.next((e) => e.event === 'presence' && e['status'] === 'before')
    const from = ada.events.length
    proxy.dropAll()
    await ada.next((e) => e.event === 'disconnected', { from })
    for (const text of ['while away 1', 'while away 2', 'while away 3']) await boSays(text)
    await ada.next((e) => e.event === 'session_resumed', { from })
    await boSays('after')
    await ada.next((e) => e.event === 'presence' && e['status'] === 'after', { from })
    const seen = ada.events
      .slice(from)
      .filter((e) => e.event === 'presence' && e['frm'] === at('bo'))
      .map((e) => e['status'])
    expect(seen).toEqual(['while away 1', 'while away 2', 'while away 3', 'after'])
    expect(ada.events.slice(from).some((e) => e.event === 'session_start')).toBe(false)
  })
})
