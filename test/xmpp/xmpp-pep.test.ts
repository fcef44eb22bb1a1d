// Rich presence over PEP with python3-slixmpp (its caps announce +notify for User Activity, User Mood
// and User Location): the watcher gets the activity, the mood and the location exactly as far as its
// view allows, and a rule that hides them empties them at once.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addUsersFast } from '../support/direct-users.js'
import { api, domain, passwordOf, startHarness, type Harness } from '../support/server-harness.js'
import { SlixClient } from '../support/xmpp/slix-client.js'

const at = (name: string) => `${name}@${domain}`

describe('PEP activity, mood and location over XMPP', { timeout: 60_000 }, () => {
  let harness: Harness
  let tokens: Record<string, string>
  let ada: SlixClient

  const grantAda = async (grant: Record<string, unknown>) => {
    const reply = await api(harness.url, {
      method: 'PUT',
      path: '/v1/me/privacy',
      token: tokens['bo'],
      body: {
        rules: [
          { id: 'ada', conditions: { addresses: [at('ada')] }, subscription: 'allow', grant },
        ],
      },
    })
    expect(reply.status).toBe(200)
  }

  beforeAll(async () => {
    harness = await startHarness({ env: { NARVARO_XMPP_PORT: '0' } })
    ;({ tokens } = await addUsersFast(harness.server.services, ['ada', 'bo'], { passwords: true }))
    await grantAda({ activities: true, mood: true, location: 'city' })
    await api(harness.url, {
      path: '/v1/subscriptions',
      token: tokens['ada'],
      body: { address: at('bo') },
    })
    const published = await api(harness.url, {
      method: 'PUT',
      path: '/v1/me/presence/sources/desk',
      token: tokens['bo'],
      body: {
        availability: 'busy',
        activities: [{ kind: 'in-a-meeting' }],
        mood: 'Happy: sunny day',
        location: { country: 'Sweden', city: 'Uppsala', latitude: 59.86, longitude: 17.64 },
      },
    })
    expect(published.status).toBe(200)
    ada = new SlixClient({
      jid: `${at('ada')}/desk`,
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

  const pep = (node: string, from = 0) =>
    ada.next((e) => e.event === 'pep' && e['frm'] === at('bo') && String(e['xml']).includes(node), {
      from,
    })

  it('sends the activity and the location the view allows, at city granularity', async () => {
    const activity = String((await pep('http://jabber.org/protocol/activity'))['xml'])
    expect(activity).toContain('<in_a_meeting')
    const location = String((await pep('http://jabber.org/protocol/geoloc'))['xml'])
    expect(location).toContain('Uppsala')
    expect(location).not.toContain('59.86')
    expect(location).not.toContain('<lat')
  })

  it('sends the mood the view allows as its XEP-0107 value and text', async () => {
    const mood = String((await pep('http://jabber.org/protocol/mood'))['xml'])
    expect(mood).toContain('<happy')
    expect(mood).toContain('<text>sunny day</text>')
  })

  it('empties the mood alone when the rule stops granting it', async () => {
    const from = ada.events.length
    await grantAda({ activities: true, location: 'city' })
    const mood = String((await pep('http://jabber.org/protocol/mood', from))['xml'])
    expect(mood).not.toContain('happy')
    expect(mood).not.toContain('sunny day')
    const activity = String((await pep('http://jabber.org/protocol/activity', from))['xml'])
    expect(activity).toContain('<in_a_meeting')
  })

  it('empties every one at once when a rule hides them', async () => {
    const regranted = ada.events.length
    await grantAda({ activities: true, mood: true, location: 'city' })
    expect(String((await pep('http://jabber.org/protocol/mood', regranted))['xml'])).toContain(
      'happy',
    )
    const from = ada.events.length
    await grantAda({})
    const activity = String((await pep('http://jabber.org/protocol/activity', from))['xml'])
    expect(activity).not.toContain('in_a_meeting')
    const location = String((await pep('http://jabber.org/protocol/geoloc', from))['xml'])
    expect(location).not.toContain('Uppsala')
    const mood = String((await pep('http://jabber.org/protocol/mood', from))['xml'])
    expect(mood).not.toContain('happy')
  })
})
