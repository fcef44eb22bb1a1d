// Stream management (XEP-0198) with python3-slixmpp behind a TCP proxy: the connection is cut, the
// client reconnects and resumes, and every change made while it was away arrives, none twice. A
// detached session holds no presence: it leaves the hub and resumes from the hub's resume history
// (the latest state only, when more changed than the history keeps).
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addUsersFast } from '../support/direct-users.js'
import { api, domain, passwordOf, startHarness, type Harness } from '../support/server-harness.js'
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
    ;({ tokens } = await addUsersFast(harness.server.services, ['ada', 'bo'], { passwords: true }))
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

  /** Cuts ada's connection, lets bo say each of `texts` while she is away, and returns what she saw of bo. */
  const awayWhile = async (texts: readonly string[]) => {
    const from = ada.events.length
    proxy.refuse(true)
    proxy.dropAll()
    await ada.next((e) => e.event === 'disconnected', { from })
    // Detached, the session watches nothing in the hub: no queue of its own grows while away.
    await expect.poll(() => harness.server.services.hub.liveWatches).toBe(0)
    for (const text of texts) await boSays(text)
    proxy.refuse(false)
    await ada.next((e) => e.event === 'session_resumed', { from, timeoutMs: 30_000 })
    await boSays('after')
    await ada.next((e) => e.event === 'presence' && e['status'] === 'after', { from })
    expect(ada.events.slice(from).some((e) => e.event === 'session_start')).toBe(false)
    return ada.events
      .slice(from)
      .filter((e) => e.event === 'presence' && e['frm'] === at('bo'))
      .map((e) => e['status'])
  }

  it('resumes after a dropped connection without a missed or repeated change', async () => {
    await boSays('before')
    await ada.next((e) => e.event === 'presence' && e['status'] === 'before')
    expect(await awayWhile(['while away 1', 'while away 2', 'while away 3'])).toEqual([
      'while away 1',
      'while away 2',
      'while away 3',
      'after',
    ])
  })

  it('resumes with the latest state when more changed than the history keeps', async () => {
    const texts = Array.from({ length: 12 }, (_, i) => `away ${i + 1}`)
    expect(await awayWhile(texts)).toEqual(['away 12', 'after'])
  })
})
