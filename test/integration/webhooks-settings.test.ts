// Integration: the webhook limits an operator sets (NARVARO_WEBHOOK_DISABLE_AFTER here) are the ones the
// server applies: a receiver that always fails disables its endpoint after that many attempts.
import { afterEach, describe, expect, it } from 'vitest'
import type { Harness } from '../support/server-harness.js'
import { addUsers, api, domain, eventually, startHarness } from '../support/server-harness.js'
import { startReceiver } from '../support/webhook-receiver.js'

let harness: Harness | undefined
let closeReceiver: (() => Promise<void>) | undefined
afterEach(async () => {
  await harness?.stop()
  harness = undefined
  await closeReceiver?.()
})

describe('webhook settings', () => {
  it('an endpoint is disabled after NARVARO_WEBHOOK_DISABLE_AFTER failed attempts', async () => {
    const receiver = await startReceiver(() => 500)
    closeReceiver = receiver.close
    harness = await startHarness({ env: { NARVARO_WEBHOOK_DISABLE_AFTER: '2' } })
    const { url } = harness
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
