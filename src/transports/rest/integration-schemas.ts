// TypeBox schemas of the integration REST routes (management by admins, and the events endpoint of
// integrations), and the mapping of an integration to its reply; transport layer.
import { Type } from 'typebox'
import type { Integration } from '../../app/integrations/index.js'
import { integrationKinds } from '../../app/integrations/index.js'
import { integrationEventStates, integrationEventTypes } from '../../app/integrations/index.js'
import {
  AddressSchema,
  EpochMsSchema,
  WorkLocationSchema,
  readonlyArray,
  union,
} from '../shared/presence-schemas.js'

/** The most events one request may carry. */
export const maxEventsPerBatch = 500

export const IntegrationCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    kinds: Type.Array(union(integrationKinds), {
      minItems: 1,
      uniqueItems: true,
      description:
        'the source kinds it may publish: `phone` (call), `conference` (conference, video), `integration` (presenting, screen-sharing)',
    }),
  },
  { additionalProperties: false },
)

export const IntegrationParams = Type.Object({ id: Type.String({ maxLength: 64 }) })

export const IntegrationSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kinds: readonlyArray(Type.String()),
  createdAt: EpochMsSchema,
  revokedAt: Type.Optional(EpochMsSchema),
  lastUsedAt: Type.Optional(EpochMsSchema),
})

export const IssuedIntegrationSchema = Type.Object({
  token: Type.String({ description: '`nri_…`: the integration token; shown only now' }),
  integration: IntegrationSchema,
})

export const IntegrationEventSchema = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      maxLength: 128,
      description: 'unique per integration: a repeated id is a duplicate and changes nothing',
    }),
    person: AddressSchema,
    type: union(integrationEventTypes),
    state: union(integrationEventStates, '`refresh`: still going on (extends the safety expiry)'),
    key: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        pattern: '^[\\x21-\\x7e]+$',
        description: 'tells apart several activities of one type for one person (a call id)',
      }),
    ),
    at: {
      ...EpochMsSchema,
      description: 'when it happened, epoch ms; orders the events of a source',
    },
    workLocation: Type.Optional(WorkLocationSchema),
    ttlSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 86_400,
        description: 'safety expiry from now, clamped to 30 s … 4 h; default 300',
      }),
    ),
  },
  { additionalProperties: false },
)

export const IntegrationEventsBody = Type.Object(
  { events: Type.Array(IntegrationEventSchema, { minItems: 1, maxItems: maxEventsPerBatch }) },
  { additionalProperties: false },
)

export const IntegrationEventResultSchema = Type.Object({
  id: Type.String(),
  result: union(['applied', 'duplicate', 'stale', 'rejected'] as const),
  code: Type.Optional(Type.String({ description: 'for `stale` and `rejected`: docs/errors.md' })),
  message: Type.Optional(Type.String()),
  expiresAt: Type.Optional({
    ...EpochMsSchema,
    description: 'for an applied `started` or `refresh`: the safety expiry; refresh before it',
  }),
})

export const IntegrationEventsReply = Type.Object({
  results: readonlyArray(IntegrationEventResultSchema),
})

export const integrationReply = (i: Integration) => ({
  id: i.id,
  name: i.name,
  kinds: i.kinds,
  createdAt: i.createdAt,
  ...(i.revokedAt === undefined ? {} : { revokedAt: i.revokedAt }),
  ...(i.lastUsedAt === undefined ? {} : { lastUsedAt: i.lastUsedAt }),
})
