// Integration: a workflow event (notify-when-available) whose webhook receiver is down is kept across a
// restart of the server and delivered afterwards with the same webhook-id; once delivered it is
// forgotten.
import { describe, expect, it } from 'vitest'
import { useServer } from '../support/harness-fixture.js'
import { addUsers, api, domain, eventually } from '../support/server-harness.js'
import { useReceivers, verify } from '../support/webhook-receiver.js'

const server = useServer()
const startReceiver = useReceivers()

describe('webhooks across a restart', () => {
  it('a notify-when-available that could not be delivered before a restart is delivered after it', async () => {
    let down = true
    const receiver = await startReceiver(() => (down ? 503 : 204))
    let harness = await server.start()
    const { dataDir } = harness
    harness.server.services.webhooks.setTuning({ retryBaseMs: 10, retryCapMs: 50 })
    const { tokens } = await addUsers(harness.url, ['eve', 'sam'])
    const busy = (availability: string) =>
      api(server.harness.url, {
        method: 'PUT',
        path: '/v1/me/presence/sources/desk',
        token: tokens['sam'],
        body: { availability },
      })
    await busy('busy')
    const created = await api<{ id: string; secret: string }>(harness.url, {
      path: '/v1/webhooks',
      token: tokens['eve'],
      body: { url: receiver.url, addresses: [], events: ['available'] },
    })
    expect(created.status).toBe(201)
    const watch = await api<{ id: string }>(harness.url, {
      path: '/v1/me/notify-when-available',
      token: tokens['eve'],
      body: { address: `sam@${domain}`, expiresInSeconds: 3600 },
    })
    expect(watch.status).toBe(201)
    await busy('available')
    await eventually(() => receiver.received.length >= 2)
    const messageId = receiver.received[0]!.headers['webhook-id']
    await harness.stop({ keepData: true })
    const attemptsBefore = receiver.received.length

    down = false
    harness = await server.start({ dataDir })
    await eventually(() => receiver.received.length > attemptsBefore)
    const delivered = receiver.received.at(-1)!
    expect(delivered.headers['webhook-id']).toBe(messageId)
    expect(delivered.json).toMatchObject({
      type: 'notify.available',
      data: { type: 'available', address: `sam@${domain}`, watch: watch.body.id },
    })
    expect(verify(created.body.secret, delivered)).toBe(true)
    // Delivered means forgotten: the next start has nothing to send again.
    const { store } = harness.server.services
    await eventually(async () => (await store.listWebhookMessages(created.body.id)).length === 0)
  })
})
