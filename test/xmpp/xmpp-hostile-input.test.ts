// Hostile XMPP input on raw sockets ends that one stream with the stream error RFC 6120 names, while
// a real client (python3-slixmpp) signed in beside it keeps being served.
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addUsersFast } from '../support/direct-users.js'
import { api, domain, passwordOf, startHarness, type Harness } from '../support/server-harness.js'
import { SlixClient } from '../support/xmpp/slix-client.js'

const header = `<?xml version='1.0'?><stream:stream to='${domain}' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`

/** Writes `input` and collects what the server answers until it closes the connection. */
const answerTo = (port: number, input: string | string[]): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1')
    let received = ''
    socket.on('data', (chunk) => (received += chunk.toString()))
    socket.on('close', () => resolve(received))
    socket.on('error', reject)
    socket.on('connect', () => {
      for (const part of Array.isArray(input) ? input : [input]) socket.write(part)
    })
    setTimeout(() => {
      socket.destroy()
      reject(new Error(`the server kept the connection open; received: ${received}`))
    }, 20_000)
  })

describe('hostile input on the XMPP gateway', { timeout: 60_000 }, () => {
  let harness: Harness
  let ada: SlixClient
  let tokens: Record<string, string>

  beforeAll(async () => {
    // The stream that never finishes its header is ended after 1 s, not the default 10.
    harness = await startHarness({
      env: { NARVARO_XMPP_PORT: '0', NARVARO_XMPP_HEADER_TIMEOUT: '1' },
    })
    ;({ tokens } = await addUsersFast(harness.server.services, ['ada', 'bo'], { passwords: true }))
    await api(harness.url, {
      path: '/v1/subscriptions',
      token: tokens['ada'],
      body: { address: `bo@${domain}` },
    })
    ada = new SlixClient({
      jid: `ada@${domain}/desk`,
      password: passwordOf('ada'),
      port: harness.server.xmpp!.port,
      caFile: join(harness.dataDir, 'xmpp-tls', 'self-signed-cert.pem'),
    })
    await ada.next((e) => e.event === 'session_start')
    await ada.run({ op: 'presence' })
  }, 60_000)

  afterAll(async () => {
    await ada?.stop()
    await harness?.stop()
  })

  const bomb =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
    header.replace("<?xml version='1.0'?>", '')
  const cases: [string, string | string[], string][] = [
    ['an entity-expansion bomb', bomb, 'restricted-xml'],
    [
      'an external entity',
      `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>` +
        header.replace("<?xml version='1.0'?>", ''),
      'restricted-xml',
    ],
    ['invalid XML', header + '<presence><show></presence>', 'not-well-formed'],
    [
      'an oversized stanza',
      [header, `<message><body>${'x'.repeat(70_000)}</body></message>`],
      'policy-violation',
    ],
    ['deep nesting', header + '<a>'.repeat(40), 'policy-violation'],
    [
      'a stream that never finishes its header',
      "<?xml version='1.0'?><stream:stream to='",
      'connection-timeout',
    ],
    ['an unknown domain', header.replace(domain, 'elsewhere.example'), 'host-unknown'],
    [
      'stanzas before TLS',
      header + '<iq type="get" id="1"><query xmlns="jabber:iq:roster"/></iq>',
      'policy-violation',
    ],
  ]

  it('ends each hostile stream with its stream error while a real client keeps being served', async () => {
    const answers = await Promise.all(
      cases.map(([, input]) => answerTo(harness.server.xmpp!.port, input)),
    )
    answers.forEach((answer, i) => {
      const [, , condition] = cases[i]!
      expect(answer, cases[i]![0]).toContain(
        `<${condition} xmlns="urn:ietf:params:xml:ns:xmpp-streams"/>`,
      )
      expect(answer, cases[i]![0]).toMatch(/<\/stream:stream>$/)
      expect(answer).not.toContain('/etc/passwd')
      expect(answer).not.toContain('lollol')
    })
    const from = ada.events.length
    const changed = await api(harness.url, {
      method: 'PUT',
      path: '/v1/me/presence/sources/desk',
      token: tokens['bo'],
      body: { availability: 'busy', note: { text: 'still served' } },
    })
    expect(changed.status).toBe(200)
    await ada.next((e) => e.event === 'presence' && e['status'] === 'still served', { from })
  })

  it('refuses a flood of subscription requests without ending other sessions', async () => {
    const from = ada.events.length
    for (let i = 0; i < 700; i++) ada.send({ op: 'subscribe', to: `nobody${i}@${domain}` })
    await ada.next(
      (e) =>
        e.event === 'presence' &&
        e['type'] === 'error' &&
        String(e['xml']).includes('resource-constraint'),
      { from, timeoutMs: 30_000 },
    )
    const alive = await ada.run({ op: 'iq', ns: 'urn:xmpp:ping' })
    expect(alive.event).toBe('done')
  })
})
