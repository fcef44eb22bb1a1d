// The WebhookStore contract: endpoints per owner, partial updates that can clear fields, deletion with
// the delivery log, and a delivery log bounded per endpoint, newest first; contract tests.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PresenceStore, User } from '../../src/ports/store.js'
import type { NewWebhookEndpoint, WebhookStore } from '../../src/ports/webhook-store.js'
import { seedStore, t0 } from './presence-store-fixtures.js'

type Store = PresenceStore & WebhookStore & { migrate(): Promise<void>; close(): Promise<void> }

export const describeWebhookStoreContract = (name: string, open: () => Promise<Store>): void => {
  describe(`WebhookStore contract: ${name}`, () => {
    let store: Store
    let alice: User
    let bob: User
    const endpoint = (owner: User, url = 'https://hooks.example/in'): NewWebhookEndpoint => ({
      ownerId: owner.id,
      url,
      secret: 'whsec_c2VjcmV0',
      addresses: ['bob@acme.example'],
      events: ['presence', 'available'],
      enabled: true,
      failureCount: 0,
      createdAt: t0,
      updatedAt: t0,
    })

    beforeEach(async () => {
      ;({ store, alice, bob } = await seedStore(await open()))
    })
    afterEach(() => store.close())

    it('creates endpoints and lists them per owner and all together, oldest first', async () => {
      const a = await store.createWebhook(endpoint(alice))
      const b = await store.createWebhook({ ...endpoint(bob), createdAt: t0 + 1 })
      expect(a).toStrictEqual({ ...endpoint(alice), id: expect.any(String) })
      expect(await store.getWebhook(a.id)).toStrictEqual(a)
      expect(await store.listWebhooks(alice.id)).toStrictEqual([a])
      expect(await store.listWebhooks()).toStrictEqual([a, b])
      expect(await store.getWebhook('missing')).toBeUndefined()
    })

    it('updates fields, keeps the others, and clears optional ones on request', async () => {
      const a = await store.createWebhook(endpoint(alice))
      const rotated = await store.updateWebhook(a.id, {
        secret: 'whsec_bmV3',
        previousSecret: a.secret,
        previousSecretExpiresAt: t0 + 10,
        enabled: false,
        disabledReason: 'too many failures',
        failureCount: 20,
        firstFailureAt: t0 + 5,
        updatedAt: t0 + 20,
      })
      expect(rotated).toStrictEqual({
        ...a,
        secret: 'whsec_bmV3',
        previousSecret: a.secret,
        previousSecretExpiresAt: t0 + 10,
        enabled: false,
        disabledReason: 'too many failures',
        failureCount: 20,
        firstFailureAt: t0 + 5,
        updatedAt: t0 + 20,
      })
      const cleared = await store.updateWebhook(a.id, {
        enabled: true,
        failureCount: 0,
        clear: ['disabledReason', 'firstFailureAt', 'previousSecret'],
      })
      expect(cleared).toStrictEqual({ ...a, secret: 'whsec_bmV3', updatedAt: t0 + 20 })
      expect(await store.updateWebhook('missing', { enabled: false })).toBeUndefined()
    })

    it('keeps only the newest deliveries of each endpoint, newest first', async () => {
      const a = await store.createWebhook(endpoint(alice))
      const b = await store.createWebhook(endpoint(bob))
      for (let attempt = 1; attempt <= 5; attempt++) {
        await store.appendWebhookDelivery(
          {
            endpointId: a.id,
            messageId: 'msg_1',
            eventType: 'presence.changed',
            attempt,
            statusCode: 500,
            durationMs: 3,
            at: t0,
          },
          3,
        )
      }
      await store.appendWebhookDelivery(
        {
          endpointId: b.id,
          messageId: 'msg_2',
          eventType: 'notify.available',
          attempt: 1,
          error: 'timeout',
          durationMs: 10_000,
          at: t0,
        },
        3,
      )
      const log = await store.listWebhookDeliveries(a.id, 10)
      expect(log.map((d) => d.attempt)).toStrictEqual([5, 4, 3])
      expect(log[0]).toStrictEqual({
        id: expect.any(String),
        endpointId: a.id,
        messageId: 'msg_1',
        eventType: 'presence.changed',
        attempt: 5,
        statusCode: 500,
        durationMs: 3,
        at: t0,
      })
      expect(await store.listWebhookDeliveries(a.id, 2)).toHaveLength(2)
      expect((await store.listWebhookDeliveries(b.id, 10))[0]).toMatchObject({ error: 'timeout' })
    })

    it('deletes an endpoint with its log, and every endpoint of a deleted owner', async () => {
      const a = await store.createWebhook(endpoint(alice))
      await store.appendWebhookDelivery(
        { endpointId: a.id, messageId: 'm', eventType: 't', attempt: 1, durationMs: 1, at: t0 },
        10,
      )
      expect(await store.deleteWebhook(a.id)).toBe(true)
      expect(await store.deleteWebhook(a.id)).toBe(false)
      expect(await store.listWebhookDeliveries(a.id, 10)).toStrictEqual([])
      await store.createWebhook(endpoint(bob))
      await store.deleteUser(bob.id)
      expect(await store.listWebhooks()).toStrictEqual([])
    })

    it('keeps waiting messages, one per key (the latest), oldest first, until deleted by id', async () => {
      const a = await store.createWebhook(endpoint(alice))
      const b = await store.createWebhook(endpoint(bob))
      const message = (id: string, key: string, createdAt: number) => ({
        endpointId: a.id,
        id,
        key,
        type: 'notify.available',
        body: `{"id":"${id}"}`,
        createdAt,
      })
      await store.saveWebhookMessage(message('m1', 'k1', t0))
      await store.saveWebhookMessage(message('m2', 'k2', t0 + 1))
      await store.saveWebhookMessage({ ...message('m3', 'k1', t0 + 2), endpointId: b.id })
      expect(await store.listWebhookMessages(a.id)).toStrictEqual([
        message('m1', 'k1', t0),
        message('m2', 'k2', t0 + 1),
      ])
      // A newer message with the same key replaces the older; deleting the older id keeps it.
      await store.saveWebhookMessage(message('m4', 'k1', t0 + 3))
      await store.deleteWebhookMessage(a.id, 'm1')
      expect((await store.listWebhookMessages(a.id)).map((m) => m.id)).toStrictEqual(['m2', 'm4'])
      await store.deleteWebhookMessage(a.id, 'm4')
      expect((await store.listWebhookMessages(a.id)).map((m) => m.id)).toStrictEqual(['m2'])
      // They go with their endpoint.
      expect(await store.deleteWebhook(a.id)).toBe(true)
      expect(await store.listWebhookMessages(a.id)).toStrictEqual([])
      expect((await store.listWebhookMessages(b.id)).map((m) => m.id)).toStrictEqual(['m3'])
    })
  })
}
