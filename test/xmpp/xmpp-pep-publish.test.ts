// Publishing through PEP with python3-slixmpp: a User Activity, Mood or Location item a client
// publishes becomes its device's publication, which a WebSocket watcher sees through its own view;
// other nodes and other pubsub requests get XEP-0060's errors.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { View } from '../../src/core/policy/compute-view.js'
import { addUsersFast } from '../support/direct-users.js'
import {
  api,
  domain,
  passwordOf,
  startHarness,
  TestSocket,
  type Harness,
} from '../support/server-harness.js'
import { SlixClient, type SlixEvent } from '../support/xmpp/slix-client.js'

const at = (name: string) => `${name}@${domain}`
const pubsubNs = 'http://jabber.org/protocol/pubsub'

describe('publishing through PEP from an XMPP client', { timeout: 60_000 }, () => {
  let harness: Harness
  let bo: SlixClient
  let ada: TestSocket

  /** Ada's next view of Bo over the WebSocket that `holds`. */
  const adaSees = async (holds: (view: View) => boolean) =>
    (await ada.next((m) => m['address'] === at('bo') && holds(m['view'] as View), 10_000))[
      'view'
    ] as View

  const failed = (event: SlixEvent, condition: string) => {
    expect(event.event).toBe('error')
    expect(String(event['xml'])).toContain(`<${condition}`)
  }

  beforeAll(async () => {
    harness = await startHarness({ env: { NARVARO_XMPP_PORT: '0' } })
    const { tokens } = await addUsersFast(harness.server.services, ['ada', 'bo'], {
      passwords: true,
    })
    const rules = [
      {
        id: 'ada',
        conditions: { addresses: [at('ada')] },
        subscription: 'allow',
        grant: { activities: true, mood: true, location: 'city' },
      },
    ]
    const privacy = { method: 'PUT', path: '/v1/me/privacy', token: tokens['bo'], body: { rules } }
    expect((await api(harness.url, privacy)).status).toBe(200)
    ada = await TestSocket.open(harness.url, tokens['ada'])
    expect((await ada.request({ type: 'subscribe', addresses: [at('bo')] })).type).toBe('ack')
    bo = new SlixClient({
      jid: `${at('bo')}/laptop`,
      password: passwordOf('bo'),
      port: harness.server.xmpp!.port,
      caFile: join(harness.dataDir, 'xmpp-tls', 'self-signed-cert.pem'),
    })
    await bo.next((e) => e.event === 'session_start')
    await bo.run({ op: 'presence', show: 'dnd' })
    await adaSees((view) => view.availability === 'do-not-disturb')
  }, 60_000)

  afterAll(async () => {
    await bo?.stop()
    await ada?.close()
    await harness?.stop()
  })

  it('turns a published activity into the device activity the watcher sees', async () => {
    const answer = await bo.run({
      op: 'publish_activity',
      general: 'talking',
      specific: 'on_the_phone',
    })
    expect(answer.event).toBe('done')
    const view = await adaSees((v) => v.activities !== undefined)
    expect(view.activities).toEqual([{ kind: 'in-a-call' }])
    expect(view.availability).toBe('do-not-disturb')
  })

  it('turns a published mood into the mood the watcher sees', async () => {
    await bo.run({ op: 'publish_mood', value: 'happy', text: 'sunny day' })
    const view = await adaSees((v) => v.mood !== undefined)
    expect(view.mood).toBe('happy: sunny day')
    expect(view.activities).toEqual([{ kind: 'in-a-call' }])
  })

  it('turns a published location into one the watcher sees at the granularity of its grant', async () => {
    const fields = { country: 'Sweden', locality: 'Uppsala', lat: 59.86, lon: 17.64 }
    await bo.run({ op: 'publish_location', fields })
    const view = await adaSees((v) => v.location !== undefined)
    expect(view.location).toEqual({ country: 'Sweden', city: 'Uppsala' })
  })

  it('clears a field when an empty item is published', async () => {
    const payload = `<mood xmlns='http://jabber.org/protocol/mood'/>`
    await bo.run({ op: 'publish', node: 'http://jabber.org/protocol/mood', payload })
    const view = await adaSees((v) => v.mood === undefined)
    expect(view.location).toEqual({ country: 'Sweden', city: 'Uppsala' })
  })

  it('answers item-not-found for another node, and publishes nothing', async () => {
    const payload = `<data xmlns='urn:example:other'>x</data>`
    const answer = await bo.run({ op: 'publish', node: 'urn:example:other', payload })
    failed(answer, 'item-not-found')
  })

  it('answers bad-request with invalid-payload for a mood XEP-0107 does not have', async () => {
    const payload = `<mood xmlns='http://jabber.org/protocol/mood'><gleeful/></mood>`
    const error = await bo.run({ op: 'publish', node: 'http://jabber.org/protocol/mood', payload })
    failed(error, 'bad-request')
    expect(String(error['xml'])).toContain('invalid-payload')
  })

  it('answers feature-not-implemented to a request for items', async () => {
    const payload = `<pubsub xmlns='${pubsubNs}'><items node='http://jabber.org/protocol/mood'/></pubsub>`
    const answer = await bo.run({ op: 'iqpayload', type: 'get', payload })
    failed(answer, 'feature-not-implemented')
    expect(String(answer['xml'])).toContain('retrieve-items')
  })
})
