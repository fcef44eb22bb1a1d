// Unit: Standard Webhooks signatures, the backoff schedule, and the per-endpoint outbox (latest state
// wins while a request is open, retries keep the message id, duplicates are dropped).
import { createHmac } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import type { WebhookPost } from '../../../src/app/webhooks/webhook-outbox.js'
import {
  WebhookOutbox,
  backoffMs,
  defaultWebhookTuning,
} from '../../../src/app/webhooks/webhook-outbox.js'
import { signatureOf, webhookHeaders } from '../../../src/app/webhooks/webhook-signature.js'

describe('webhook signatures', () => {
  it('sign "{id}.{timestamp}.{body}" with the base64 key after whsec_, and with both secrets in a rotation', () => {
    const key = Buffer.from('a secret key of some length').toString('base64')
    const expected = createHmac('sha256', Buffer.from(key, 'base64'))
      .update('msg_1.1700000000.{"a":1}')
      .digest('base64')
    expect(
      signatureOf({
        id: 'msg_1',
        timestamp: 1_700_000_000,
        body: '{"a":1}',
        secret: `whsec_${key}`,
      }),
    ).toBe(`v1,${expected}`)
    const headers = webhookHeaders({
      id: 'msg_1',
      timestamp: 1_700_000_000,
      body: '{}',
      secrets: [`whsec_${key}`, 'whsec_b2xk'],
    })
    expect(headers['webhook-id']).toBe('msg_1')
    expect(headers['webhook-timestamp']).toBe('1700000000')
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2)
  })
})

describe('backoff', () => {
  it('doubles from the base up to the cap, with a jitter of ±25 %', () => {
    const t = { ...defaultWebhookTuning, retryBaseMs: 1000, retryCapMs: 8000 }
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, t, () => 0.5))).toEqual([
      1000, 2000, 4000, 8000, 8000, 8000,
    ])
    expect(backoffMs(1, t, () => 0)).toBe(750)
    expect(backoffMs(1, t, () => 1)).toBe(1250)
  })
})

const outboxWith = (post: WebhookPost, results: { ok: boolean; attempt: number; id: string }[]) =>
  new WebhookOutbox({
    url: () => 'http://receiver.invalid/',
    secrets: () => ['whsec_c2VjcmV0'],
    nowSeconds: () => 1,
    tuning: () => ({ ...defaultWebhookTuning, retryBaseMs: 1, retryCapMs: 2, maxConcurrent: 1 }),
    post,
    onAttempt: (r) => results.push({ ok: r.ok, attempt: r.attempt, id: r.message.id }),
  })

describe('webhook outbox', () => {
  it('keeps only the latest message per key while a request is open, and drops duplicate ids', async () => {
    const bodies: string[] = []
    let release: () => void = () => {}
    const post: WebhookPost = async ({ body }) => {
      bodies.push(body)
      if (bodies.length === 1) await new Promise<void>((resolve) => (release = resolve))
      return 204
    }
    const results: { ok: boolean; attempt: number; id: string }[] = []
    const outbox = outboxWith(post, results)
    outbox.enqueue({ id: 'a1', key: 'ann', type: 't', body: 'ann-1' })
    outbox.enqueue({ id: 'a2', key: 'ann', type: 't', body: 'ann-2' })
    outbox.enqueue({ id: 'a3', key: 'ann', type: 't', body: 'ann-3' })
    outbox.enqueue({ id: 'a3', key: 'ann', type: 't', body: 'ann-3' })
    expect(outbox.coalesced).toBe(1)
    release()
    await vi.waitFor(() => expect(results).toHaveLength(2))
    expect(bodies).toEqual(['ann-1', 'ann-3'])
    outbox.close()
  })

  it('retries a failed message with the same id until it succeeds', async () => {
    let calls = 0
    const results: { ok: boolean; attempt: number; id: string }[] = []
    const outbox = outboxWith(() => Promise.resolve(++calls < 3 ? 500 : 200), results)
    outbox.enqueue({ id: 'm', key: 'k', type: 't', body: '{}' })
    await vi.waitFor(() => expect(results).toHaveLength(3))
    expect(results).toEqual([
      { ok: false, attempt: 1, id: 'm' },
      { ok: false, attempt: 2, id: 'm' },
      { ok: true, attempt: 3, id: 'm' },
    ])
    outbox.close()
  })
})
