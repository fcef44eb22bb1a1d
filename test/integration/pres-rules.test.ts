// My rules as an RFC 5025 pres-rules document over REST: exported rules imported again are the same
// rules; a document a SIP client writes (identities, except, sub-handling, provide-*) becomes rules
// the policy engine applies; XML bombs, unknown conditions and bad values are 400 NRV_VALIDATION.
import { describe, expect, it } from 'vitest'
import { useServer } from '../support/harness-fixture.js'
import { addUsers, domain } from '../support/server-harness.js'

const xml = (url: string, token: string, method: 'GET' | 'PUT', body?: string) =>
  fetch(`${url}/v1/me/privacy/pres-rules`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/auth-policy+xml' }),
    },
    ...(body === undefined ? {} : { body }),
  })

const fromSipClient = `<?xml version="1.0" encoding="UTF-8"?>
<cr:ruleset xmlns="urn:ietf:params:xml:ns:pres-rules" xmlns:pr="urn:ietf:params:xml:ns:pres-rules"
    xmlns:cr="urn:ietf:params:xml:ns:common-policy">
  <cr:rule id="colleagues">
    <cr:conditions><cr:identity><cr:many domain="${domain}"><cr:except id="sip:eve@${domain}"/></cr:many></cr:identity></cr:conditions>
    <cr:actions><pr:sub-handling>allow</pr:sub-handling></cr:actions>
    <cr:transformations><pr:provide-activities>true</pr:provide-activities><pr:provide-note>true</pr:provide-note>
      <pr:provide-devices><pr:all-devices/></pr:provide-devices><pr:provide-unknown-attribute ns="x" name="y">true</pr:provide-unknown-attribute></cr:transformations>
  </cr:rule>
  <cr:rule id="eve">
    <cr:conditions><cr:identity><cr:one id="sip:eve@${domain}"/></cr:identity></cr:conditions>
    <cr:actions><pr:sub-handling>polite-block</pr:sub-handling></cr:actions>
    <cr:transformations/>
  </cr:rule>
</cr:ruleset>`

describe('pres-rules documents', () => {
  const server = useServer()

  it('imports a SIP client’s document as rules, and exports them so that importing is the same', async () => {
    const { url } = await server.start()
    const { tokens } = await addUsers(url, ['amy'])
    const put = await xml(url, tokens['amy']!, 'PUT', fromSipClient)
    expect(put.status).toBe(200)
    const { settings } = (await put.json()) as { settings: { rules: unknown[] } }
    expect(settings.rules).toEqual([
      {
        id: 'colleagues',
        conditions: { domains: [domain], except: [`eve@${domain}`] },
        subscription: 'allow',
        grant: { activities: true, note: true, devices: true },
      },
      {
        id: 'eve',
        conditions: { addresses: [`eve@${domain}`] },
        subscription: 'polite-block',
        grant: {},
      },
    ])
    const exported = await xml(url, tokens['amy']!, 'GET')
    expect(exported.headers.get('content-type')).toMatch(/^application\/auth-policy\+xml/)
    const again = await xml(url, tokens['amy']!, 'PUT', await exported.text())
    expect(((await again.json()) as { settings: unknown }).settings).toEqual(settings)
  })

  it('refuses bombs, unknown conditions and bad values with 400 NRV_VALIDATION', async () => {
    const { url } = await server.start()
    const { tokens } = await addUsers(url, ['bea'])
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>' +
      '<cr:ruleset xmlns:cr="urn:ietf:params:xml:ns:common-policy">&b;</cr:ruleset>'
    const unknown = fromSipClient.replace('<cr:identity>', '<cr:sphere value="work"/><cr:identity>')
    const badHandling = fromSipClient.replace('>allow<', '>whatever<')
    for (const body of [bomb, unknown, badHandling, '<nothing/>']) {
      const reply = await xml(url, tokens['bea']!, 'PUT', body)
      expect(reply.status, body.slice(0, 60)).toBe(400)
      expect(((await reply.json()) as { code: string }).code).toBe('NRV_VALIDATION')
    }
  })
})
