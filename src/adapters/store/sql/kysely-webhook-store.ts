// The WebhookStore methods of the SQL stores (endpoints, their delivery log, workflow messages waiting
// for delivery), kept apart from the main store class by size; adapter layer.
import type {
  NewWebhookEndpoint,
  PendingWebhookMessage,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookPatch,
  WebhookStore,
} from '../../../ports/webhook-store.js'
import type { NarvaroDb } from './database-schema.js'
import * as messages from './webhook-message-queries.js'
import * as webhooks from './webhook-queries.js'

/** The base of `KyselyIntegrationStore`: a subclass supplies `run`, which wraps driver errors. */
export abstract class KyselyWebhookStore implements WebhookStore {
  protected abstract run<T>(operation: string, work: (db: NarvaroDb) => Promise<T>): Promise<T>

  createWebhook(input: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    return this.run('createWebhook', (db) => webhooks.insertWebhook(db, input))
  }

  getWebhook(id: string): Promise<WebhookEndpoint | undefined> {
    return this.run('getWebhook', (db) => webhooks.selectWebhook(db, id))
  }

  listWebhooks(ownerId?: string): Promise<readonly WebhookEndpoint[]> {
    return this.run('listWebhooks', (db) => webhooks.selectWebhooks(db, ownerId))
  }

  updateWebhook(id: string, patch: WebhookPatch): Promise<WebhookEndpoint | undefined> {
    return this.run('updateWebhook', (db) => webhooks.updateWebhook(db, id, patch))
  }

  deleteWebhook(id: string): Promise<boolean> {
    return this.run('deleteWebhook', (db) => webhooks.deleteWebhook(db, id))
  }

  appendWebhookDelivery(delivery: Omit<WebhookDelivery, 'id'>, keep: number): Promise<void> {
    return this.run('appendWebhookDelivery', (db) =>
      webhooks.insertWebhookDelivery(db, delivery, keep),
    )
  }

  listWebhookDeliveries(endpointId: string, limit: number): Promise<readonly WebhookDelivery[]> {
    return this.run('listWebhookDeliveries', (db) =>
      webhooks.selectWebhookDeliveries(db, endpointId, limit),
    )
  }

  saveWebhookMessage(message: PendingWebhookMessage): Promise<void> {
    return this.run('saveWebhookMessage', (db) => messages.saveWebhookMessage(db, message))
  }

  deleteWebhookMessage(endpointId: string, id: string): Promise<void> {
    return this.run('deleteWebhookMessage', (db) =>
      messages.deleteWebhookMessage(db, endpointId, id),
    )
  }

  listWebhookMessages(endpointId: string): Promise<readonly PendingWebhookMessage[]> {
    return this.run('listWebhookMessages', (db) => messages.selectWebhookMessages(db, endpointId))
  }
}
