// The store port for webhooks out: endpoints per owner user and a bounded log of their delivery
// attempts. Durable; implemented by the same adapters as `PresenceStore`.

/** What an endpoint may receive: presence changes of its addresses, and workflow events of its owner. */
export const webhookEventTypes = ['presence', 'available', 'gathering'] as const
export type WebhookEventType = (typeof webhookEventTypes)[number]

export interface WebhookEndpoint {
  readonly id: string
  /** The user the endpoint watches as: it receives exactly the views this user would get. */
  readonly ownerId: string
  readonly url: string
  /** `whsec_<base64>`: signs every delivery. */
  readonly secret: string
  /** The secret before the last rotation, also signing until `previousSecretExpiresAt`. */
  readonly previousSecret?: string
  readonly previousSecretExpiresAt?: number
  readonly addresses: readonly string[]
  readonly events: readonly WebhookEventType[]
  readonly enabled: boolean
  /** Why the endpoint was disabled (by its owner, or after a long run of failures). */
  readonly disabledReason?: string
  /** Failed deliveries since the last success. */
  readonly failureCount: number
  /** When the current run of failures began. */
  readonly firstFailureAt?: number
  readonly createdAt: number
  readonly updatedAt: number
}

export type NewWebhookEndpoint = Omit<WebhookEndpoint, 'id'>
export type WebhookPatch = Partial<Omit<WebhookEndpoint, 'id' | 'ownerId' | 'createdAt'>> & {
  /** `null` clears an optional field. */
  readonly clear?: readonly ('previousSecret' | 'disabledReason' | 'firstFailureAt')[]
}

/** One attempt to deliver one message. */
export interface WebhookDelivery {
  readonly id: string
  readonly endpointId: string
  readonly messageId: string
  readonly eventType: string
  readonly attempt: number
  /** The receiver's HTTP status, when it answered. */
  readonly statusCode?: number
  /** Why the attempt failed without a status (timeout, refused connection), or the status text. */
  readonly error?: string
  readonly durationMs: number
  readonly at: number
}

/**
 * A workflow message (not presence, which is sent afresh at start) waiting for delivery, kept so
 * that a restart does not lose it.
 */
export interface PendingWebhookMessage {
  readonly endpointId: string
  /** The `webhook-id`, the same after a restart. */
  readonly id: string
  /** The coalescing key: one message per endpoint and key, the latest. */
  readonly key: string
  readonly type: string
  readonly body: string
  readonly createdAt: number
}

/** Errors as for `PresenceStore`; `undefined` or `false` for what is missing. */
export interface WebhookStore {
  createWebhook(input: NewWebhookEndpoint): Promise<WebhookEndpoint>
  getWebhook(id: string): Promise<WebhookEndpoint | undefined>
  /** The endpoints of one owner, or of everyone (at start), oldest first. */
  listWebhooks(ownerId?: string): Promise<readonly WebhookEndpoint[]>
  updateWebhook(id: string, patch: WebhookPatch): Promise<WebhookEndpoint | undefined>
  deleteWebhook(id: string): Promise<boolean>
  /** Appends an attempt and keeps only the newest `keep` attempts of its endpoint. */
  appendWebhookDelivery(delivery: Omit<WebhookDelivery, 'id'>, keep: number): Promise<void>
  /** The newest attempts first. */
  listWebhookDeliveries(endpointId: string, limit: number): Promise<readonly WebhookDelivery[]>
  /** Keeps a message until it is delivered or given up, replacing the one with its key. */
  saveWebhookMessage(message: PendingWebhookMessage): Promise<void>
  /** Forgets a message, unless a newer one has replaced it under its key. */
  deleteWebhookMessage(endpointId: string, id: string): Promise<void>
  /** The messages waiting for an endpoint, oldest first. */
  listWebhookMessages(endpointId: string): Promise<readonly PendingWebhookMessage[]>
}
