// The WebSocket protocol `narvaro.v1`: TypeBox schemas of every client message, compiled once, and
// the server's own messages; transport layer. docs/protocol.md documents them.
import { Type, type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import {
  AddressSchema,
  AvailabilitySchema,
  ContactKindSchema,
  SourcePublicationSchema,
  ViewSchema,
  WhoEntrySchema,
} from '../shared/presence-schemas.js'

export const protocolName = 'narvaro.v1'

const RequestId = Type.Optional(
  Type.String({ maxLength: 64, description: 'echoed in the ack or error' }),
)
const SourceId = Type.String({
  pattern: '^[A-Za-z0-9._-]{1,64}$',
  description: 'the device (source) id',
})

export const PublishMessage = Type.Object(
  {
    type: Type.Literal('publish'),
    id: RequestId,
    source: SourceId,
    ...SourcePublicationSchema.properties,
  },
  { additionalProperties: false },
)

export const RetractMessage = Type.Object(
  { type: Type.Literal('retract'), id: RequestId, source: SourceId },
  { additionalProperties: false },
)

export const ResumeSchema = Type.Object(
  {
    epoch: Type.String({ maxLength: 64 }),
    cursor: Type.Integer({ minimum: 0, description: 'the highest seq received' }),
  },
  { additionalProperties: false },
)

export const SubscribeMessage = Type.Object(
  {
    type: Type.Literal('subscribe'),
    id: RequestId,
    addresses: Type.Optional(Type.Array(AddressSchema, { maxItems: 1000 })),
    resume: Type.Optional(ResumeSchema),
  },
  { additionalProperties: false },
)

export const UnsubscribeMessage = Type.Object(
  {
    type: Type.Literal('unsubscribe'),
    id: RequestId,
    addresses: Type.Array(AddressSchema, { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false },
)

/** Shortest and longest interval of coalesced delivery (a client in the background). */
export const coalescedIntervalBounds = { minMs: 1000, maxMs: 600_000, defaultMs: 30_000 } as const

export const DeliveryMessage = Type.Object(
  {
    type: Type.Literal('delivery'),
    id: RequestId,
    mode: Type.Union([Type.Literal('live'), Type.Literal('coalesced')], {
      description:
        'live: every change at once; coalesced: the latest state per presentity, every intervalMs',
    }),
    intervalMs: Type.Optional(
      Type.Integer({
        minimum: coalescedIntervalBounds.minMs,
        maximum: coalescedIntervalBounds.maxMs,
      }),
    ),
  },
  { additionalProperties: false },
)

export const WhoMessage = Type.Object(
  {
    type: Type.Literal('who'),
    id: RequestId,
    team: Type.Optional(
      Type.String({ maxLength: 200, description: 'a team (organization group), by id or name' }),
    ),
    skill: Type.Optional(Type.String({ maxLength: 48 })),
    search: Type.Optional(Type.String({ maxLength: 200 })),
    list: Type.Optional(Type.String({ maxLength: 100, description: 'one of my contact lists' })),
    addresses: Type.Optional(Type.Array(AddressSchema, { maxItems: 20_000 })),
    availability: Type.Optional(Type.Array(AvailabilitySchema, { maxItems: 6 })),
    reachableBy: Type.Optional(ContactKindSchema),
    insideWorkingHours: Type.Optional(Type.Boolean()),
    availableForMeeting: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const WhoCloseMessage = Type.Object(
  { type: Type.Literal('who-close'), id: RequestId, query: Type.String({ maxLength: 64 }) },
  { additionalProperties: false },
)

/** Most tokens one connection may watch besides its own (`attach-token`). */
export const maxAttachedTokens = 64

export const AttachTokenMessage = Type.Object(
  {
    type: Type.Literal('attach-token'),
    id: RequestId,
    token: Type.String({
      minLength: 1,
      maxLength: 512,
      description: 'another token of the same user, e.g. of a browser tab sharing this connection',
    }),
  },
  { additionalProperties: false },
)

export const PingMessage = Type.Object(
  { type: Type.Literal('ping'), id: RequestId },
  { additionalProperties: false },
)

export type PublishMessageType = Static<typeof PublishMessage>
export type SubscribeMessageType = Static<typeof SubscribeMessage>
export type UnsubscribeMessageType = Static<typeof UnsubscribeMessage>
export type RetractMessageType = Static<typeof RetractMessage>
export type DeliveryMessageType = Static<typeof DeliveryMessage>
export type WhoMessageType = Static<typeof WhoMessage>
export type AttachTokenMessageType = Static<typeof AttachTokenMessage>

export type ClientMessage =
  | PublishMessageType
  | RetractMessageType
  | SubscribeMessageType
  | UnsubscribeMessageType
  | DeliveryMessageType
  | WhoMessageType
  | Static<typeof WhoCloseMessage>
  | AttachTokenMessageType
  | Static<typeof PingMessage>

/** One compiled validator per message type: the `type` field picks it. */
export const clientMessageValidators = {
  publish: Compile(PublishMessage),
  retract: Compile(RetractMessage),
  subscribe: Compile(SubscribeMessage),
  unsubscribe: Compile(UnsubscribeMessage),
  delivery: Compile(DeliveryMessage),
  who: Compile(WhoMessage),
  'who-close': Compile(WhoCloseMessage),
  'attach-token': Compile(AttachTokenMessage),
  ping: Compile(PingMessage),
} as const

export type ClientMessageType = keyof typeof clientMessageValidators

export const isClientMessageType = (type: unknown): type is ClientMessageType =>
  typeof type === 'string' && Object.hasOwn(clientMessageValidators, type)

const AccessEndReasonSchema = Type.Union([
  Type.Literal('token-revoked'),
  Type.Literal('token-expired'),
  Type.Literal('password-changed'),
  Type.Literal('user-removed'),
])

/** The server's messages (WebSocket frames and SSE event data), for clients, docs and tests. */
export const ServerMessages = {
  welcome: Type.Object({
    type: Type.Literal('welcome'),
    protocol: Type.Literal(protocolName),
    session: Type.String(),
    address: Type.String(),
    epoch: Type.String(),
    heartbeatMs: Type.Integer(),
    subscribed: Type.Optional(Type.Array(Type.String())),
    failed: Type.Optional(Type.Array(Type.Object({ address: Type.String(), code: Type.String() }))),
  }),
  snapshot: Type.Object({
    type: Type.Literal('snapshot'),
    address: Type.String(),
    seq: Type.Integer({ minimum: 0 }),
    view: ViewSchema,
    resync: Type.Optional(Type.Literal(true)),
  }),
  change: Type.Object({
    type: Type.Literal('change'),
    address: Type.String(),
    seq: Type.Integer({ minimum: 0 }),
    view: ViewSchema,
  }),
  unwatched: Type.Object({
    type: Type.Literal('unwatched'),
    address: Type.String(),
    reason: Type.Literal('not-found'),
  }),
  ack: Type.Object({
    type: Type.Literal('ack'),
    id: RequestId,
    outcome: Type.Optional(Type.Union([Type.Literal('changed'), Type.Literal('unchanged')])),
    subscribed: Type.Optional(Type.Array(Type.String())),
    failed: Type.Optional(
      Type.Array(
        Type.Object({ address: Type.String(), code: Type.String(), message: Type.String() }),
      ),
    ),
    query: Type.Optional(Type.String({ description: 'the id of a live who query' })),
    token: Type.Optional(Type.String({ description: 'the id of an attached token' })),
    entries: Type.Optional(Type.Array(WhoEntrySchema)),
  }),
  error: Type.Object({
    type: Type.Literal('error'),
    id: RequestId,
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
  pong: Type.Object({ type: Type.Literal('pong'), id: RequestId }),
  'access-ended': Type.Object({
    type: Type.Literal('access-ended'),
    reason: AccessEndReasonSchema,
  }),
  'token-ended': Type.Object({
    type: Type.Literal('token-ended'),
    token: Type.String({ description: 'the id of the attached token' }),
    reason: AccessEndReasonSchema,
  }),
  watcher: Type.Object({
    type: Type.Literal('watcher'),
    watcher: Type.String(),
    state: Type.Union([
      Type.Literal('active'),
      Type.Literal('pending'),
      Type.Literal('denied'),
      Type.Literal('revoked'),
    ]),
  }),
  'who-change': Type.Object({
    type: Type.Literal('who-change'),
    query: Type.String(),
    op: Type.Union([Type.Literal('joined'), Type.Literal('changed'), Type.Literal('left')]),
    address: Type.String(),
    entry: Type.Optional(WhoEntrySchema),
  }),
  invitation: Type.Object({
    type: Type.Literal('invitation'),
    gathering: Type.String(),
    organizer: Type.String(),
    topic: Type.String(),
    expiresAt: Type.Integer(),
  }),
  gathering: Type.Object({
    type: Type.Literal('gathering'),
    gathering: Type.String(),
    address: Type.String(),
    state: Type.Union([
      Type.Literal('invited'),
      Type.Literal('accepted'),
      Type.Literal('declined'),
    ]),
  }),
  'invitation-ended': Type.Object({
    type: Type.Literal('invitation-ended'),
    gathering: Type.String(),
    reason: Type.Union([Type.Literal('expired'), Type.Literal('cancelled')]),
  }),
  'gathering-ended': Type.Object({
    type: Type.Literal('gathering-ended'),
    gathering: Type.String(),
    reason: Type.Union([Type.Literal('expired'), Type.Literal('cancelled')]),
  }),
  available: Type.Object({
    type: Type.Literal('available'),
    watch: Type.String(),
    address: Type.String(),
    seq: Type.Integer(),
    view: ViewSchema,
  }),
  'notify-expired': Type.Object({
    type: Type.Literal('notify-expired'),
    watch: Type.String(),
    address: Type.String(),
  }),
  subscription: Type.Object({
    type: Type.Literal('subscription'),
    address: Type.String(),
    state: Type.Union([Type.Literal('active'), Type.Literal('denied')]),
  }),
} as const

export type ServerMessageType = keyof typeof ServerMessages

export const serverMessageValidators = Object.fromEntries(
  Object.entries(ServerMessages).map(([type, schema]) => [type, Compile(schema)]),
) as { readonly [K in ServerMessageType]: ReturnType<typeof Compile> }
