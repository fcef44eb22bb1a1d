// The webhooks concept of the application layer: what other concepts, the transports and the server
// may use of it; everything else in this folder is its own.

export { WebhookService } from './webhook-service.js'
export { createWebhooks, startWebhooks, stopWebhooks } from './create-webhooks.js'
export type { WebhookSettings, WebhooksParts } from './create-webhooks.js'
// The webhook records and event types as the transports show and validate them.
export type { WebhookDelivery, WebhookEndpoint } from '../../ports/webhook-store.js'
export { webhookEventTypes } from '../../ports/webhook-store.js'
