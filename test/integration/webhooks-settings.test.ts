// Integration: the webhook limits an operator sets (NARVARO_WEBHOOK_DISABLE_AFTER here) are the ones the
// server applies: a receiver that always fails disables its endpoint after that many attempts.
import { describe, expect, it } from 'vitest'
import { useServer } from '../support/harness-fixture.js'
import { addUsers, api, domain, eventually } from '../support/server-harness.js'
import { useReceivers } from '../support/webhook-receiver.js'

const server = useServer()
const startReceiver = useReceivers()

describe('webhook settings', () => {
  it('an endpoint is disabled after NARVARO_WEBHOOK_DISABLE_AFTER failed attempts', async () => {
    const receiver = await startReceiver(() => 500)
    const { url } = await server.start({ env: { NARVARO_WEBHOOK_DISABLE_AFTER: '2' } })
    const { tokens } = await addUsers(url, ['eve', 'sam'])
    const created = await api<{ id: string }>(url, {
      path: '/v1/webhooks',
      token: tokens['eve'],
      body: { url: receiver.url, addresses: [`sam@${domain}`], events: ['presence'] },
    })
    expect(created.status).toBe(201)
    const path = `/v1/webhooks/${created.body.id}`
    type Shown = { enabled: boolean; disabledReason?: string }
    const shown = async () => (await api<Shown>(url, { path, token: tokens['eve'] })).body
    await eventually(async () => !(await shown()).enabled, 10_000)
    expect(receiver.received).toHaveLength(2)
    expect((await shown()).disabledReason).toBe(
      'disabled after 2 consecutive failed deliveries (last: HTTP 500)',
    )
  })
})
