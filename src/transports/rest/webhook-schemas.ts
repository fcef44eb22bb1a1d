// TypeBox schemas of the webhook REST routes, and the mapping of an endpoint to its reply (the secret
// is shown only when it is created or rotated); transport layer.
import { Type } from 'typebox'
import type { WebhookDelivery, WebhookEndpoint } from '../../app/webhooks/index.js'
import { webhookEventTypes } from '../../app/webhooks/index.js'
import { AddressSchema, readonlyArray, union } from '../shared/presence-schemas.js'

const EventsSchema = Type.Array(union(webhookEventTypes), {
  minItems: 1,
  uniqueItems: true,
  description:
    '`presence`: view changes of the addresses; `available`: notify-when-available fired; `gathering`: quick-meeting invitations and answers',
})

export const WebhookCreateBody = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'http: or https: URL that receives POSTs',
    }),
    addresses: Type.Array(AddressSchema, { maxItems: 1000, default: [] }),
    events: EventsSchema,
  },
  { additionalProperties: false },
)

export const WebhookUpdateBody = Type.Object(
  {
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    addresses: Type.Optional(Type.Array(AddressSchema, { maxItems: 1000 })),
    events: Type.Optional(EventsSchema),
    enabled: Type.Optional(
      Type.Boolean({ description: 'enabling again resets the failure count' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
)

export const WebhookParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
export const DeliveriesQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
})

export const WebhookSchema = Type.Object({
  id: Type.String(),
  url: Type.String(),
  addresses: readonlyArray(Type.String()),
  events: readonlyArray(Type.String()),
  enabled: Type.Boolean(),
  disabledReason: Type.Optional(Type.String()),
  failureCount: Type.Integer(),
  firstFailureAt: Type.Optional(Type.Integer()),
  previousSecretExpiresAt: Type.Optional(
    Type.Integer({ description: 'until then, deliveries are signed with the previous secret too' }),
  ),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
})

export const WebhookWithSecretSchema = Type.Intersect([
  WebhookSchema,
  Type.Object({ secret: Type.String({ description: '`whsec_<base64>`; shown only now' }) }),
])

export const DeliverySchema = Type.Object({
  id: Type.String(),
  messageId: Type.String(),
  eventType: Type.String(),
  attempt: Type.Integer(),
  statusCode: Type.Optional(Type.Integer()),
  error: Type.Optional(Type.String()),
  durationMs: Type.Integer(),
  at: Type.Integer(),
})

export const webhookReply = (e: WebhookEndpoint) => ({
  id: e.id,
  url: e.url,
  addresses: e.addresses,
  events: e.events,
  enabled: e.enabled,
  ...(e.disabledReason === undefined ? {} : { disabledReason: e.disabledReason }),
  failureCount: e.failureCount,
  ...(e.firstFailureAt === undefined ? {} : { firstFailureAt: e.firstFailureAt }),
  ...(e.previousSecretExpiresAt === undefined
    ? {}
    : { previousSecretExpiresAt: e.previousSecretExpiresAt }),
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
})

export const deliveryReply = (d: WebhookDelivery) => ({
  ...d,
  durationMs: Math.round(d.durationMs),
})
