// TypeBox schemas of the REST API's bodies and replies (beside its transport, reused by docs and SDK).
import { Type, type Static } from 'typebox'
import {
  ActivitiesSchema,
  AddressSchema,
  ContactMethodInputSchema,
  ContactMethodSchema,
  EpochMsSchema,
  ManualAvailabilitySchema,
  NoteSchema,
  PresenceSchema,
  SourcePublicationSchema,
  TimeZoneSchema,
  ViewSchema,
  WeeklyHoursSchema,
  WorkLocationSchema,
  readonlyArray,
} from '../shared/presence-schemas.js'

export const LoginBody = Type.Object(
  {
    address: AddressSchema,
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    tokenName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
)

export const TokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: EpochMsSchema,
  expiresAt: Type.Optional(EpochMsSchema),
  revokedAt: Type.Optional(EpochMsSchema),
  lastUsedAt: Type.Optional(EpochMsSchema),
})

export const NewTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    ttlSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 31_622_400 })),
  },
  { additionalProperties: false },
)

export const UserSchema = Type.Object({
  id: Type.String(),
  address: Type.String(),
  displayName: Type.String(),
  title: Type.Optional(Type.String()),
  role: Type.Union([Type.Literal('admin'), Type.Literal('member')]),
  timeZone: Type.String(),
  workingHours: Type.Optional(WeeklyHoursSchema),
  createdAt: EpochMsSchema,
})

export const IssuedTokenSchema = Type.Object({
  token: Type.String({ description: 'the bearer token; shown only once' }),
  tokenInfo: TokenSchema,
  user: UserSchema,
  mustChangePassword: Type.Optional(
    Type.Boolean({
      description:
        'true after a sign-in with a one-time password: this token may only change the password',
    }),
  ),
})

export const NewUserBody = Type.Object(
  {
    address: Type.String({
      minLength: 1,
      maxLength: 320,
      description: 'address, or its part before @',
    }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    role: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('member')])),
    password: Type.Optional(Type.String({ minLength: 12, maxLength: 1024 })),
    timeZone: Type.Optional(TimeZoneSchema),
  },
  { additionalProperties: false },
)

export const NewUserReply = Type.Object({
  user: UserSchema,
  password: Type.Optional(Type.String({ description: 'generated one-time password, shown once' })),
})

export const ProfilePatch = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    timeZone: Type.Optional(TimeZoneSchema),
    workingHours: Type.Optional(WeeklyHoursSchema),
  },
  { additionalProperties: false },
)

export const ContactMethodsBody = readonlyArray(ContactMethodInputSchema, { maxItems: 50 })
export const ContactMethodsReply = readonlyArray(ContactMethodSchema)

export const SourceIdParam = Type.Object({
  sourceId: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
})
export const AddressParam = Type.Object({ address: AddressSchema })
export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) })

export const DevicePublicationBody = Type.Object(
  {
    ...SourcePublicationSchema.properties,
    ttlSeconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 604_800, description: 'bounded by the server' }),
    ),
  },
  { additionalProperties: false },
)
export type DevicePublicationBodyType = Static<typeof DevicePublicationBody>

export const ManualBody = Type.Object(
  {
    availability: ManualAvailabilitySchema,
    activities: Type.Optional(ActivitiesSchema),
    until: Type.Optional(EpochMsSchema),
  },
  { additionalProperties: false },
)

export const WorkLocationBody = Type.Object(
  {
    ...WorkLocationSchema.properties,
    until: Type.Optional(EpochMsSchema),
  },
  { additionalProperties: false },
)

export const OutcomeReply = Type.Object({
  outcome: Type.Union([Type.Literal('changed'), Type.Literal('unchanged')]),
})

export const OwnPresenceReply = Type.Object({
  seq: Type.Integer(),
  presence: PresenceSchema,
  view: ViewSchema,
})

export const ViewReply = Type.Object({ seq: Type.Integer(), view: ViewSchema })

export const SubscribeBody = Type.Object(
  { address: AddressSchema },
  { additionalProperties: false },
)

export const SubscriptionSchema = Type.Object({
  watcherAddress: Type.String(),
  presentityAddress: Type.String(),
  state: Type.Union([Type.Literal('active'), Type.Literal('pending'), Type.Literal('denied')]),
  createdAt: EpochMsSchema,
  seq: Type.Integer(),
  view: ViewSchema,
})

export { NoteSchema }
