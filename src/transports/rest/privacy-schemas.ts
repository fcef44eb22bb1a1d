// TypeBox schemas of the privacy API: rules, settings, organization policy, watcher info, audit;
// beside the REST transport, reused by the CLI and docs/privacy.md.
import { Type } from 'typebox'
import { subscriptionHandlings } from '../../core/policy/permissions.js'
import { workingHoursConditions } from '../../core/policy/policy-model.js'
import {
  AddressSchema,
  ContactKindSchema,
  ContactScopeSchema,
  EpochMsSchema,
  LocationGranularitySchema,
  ViewSchema,
  readonlyArray,
  union,
} from '../shared/presence-schemas.js'

export const SubscriptionHandlingSchema = union(
  subscriptionHandlings,
  'block < confirm < polite-block < allow',
)

export const GrantSchema = Type.Object(
  {
    activities: Type.Optional(Type.Boolean()),
    note: Type.Optional(Type.Boolean()),
    mood: Type.Optional(Type.Boolean()),
    place: Type.Optional(Type.Boolean()),
    workLocation: Type.Optional(Type.Boolean({ description: 'office site, remote or travelling' })),
    freeBusy: Type.Optional(
      Type.Boolean({ description: 'busy times of the coming days, no detail' }),
    ),
    location: Type.Optional(LocationGranularitySchema),
    timeZone: Type.Optional(Type.Boolean()),
    lastSeen: Type.Optional(Type.Boolean()),
    devices: Type.Optional(Type.Boolean()),
    contactScopes: Type.Optional(
      readonlyArray(ContactScopeSchema, { maxItems: 2, uniqueItems: true }),
    ),
    contactMethodIds: Type.Optional(
      readonlyArray(Type.String({ maxLength: 64 }), { maxItems: 50 }),
    ),
  },
  {
    additionalProperties: false,
    description: 'what a rule lets a watcher see beyond availability',
  },
)

export const RuleConditionsSchema = Type.Object(
  {
    addresses: Type.Optional(readonlyArray(AddressSchema, { maxItems: 1000 })),
    groups: Type.Optional(readonlyArray(Type.String({ maxLength: 64 }), { maxItems: 100 })),
    ownOrganization: Type.Optional(Type.Boolean()),
    domains: Type.Optional(
      readonlyArray(Type.String({ minLength: 1, maxLength: 253 }), { maxItems: 100 }),
    ),
    everyone: Type.Optional(Type.Boolean()),
    except: Type.Optional(readonlyArray(AddressSchema, { maxItems: 1000 })),
    validFrom: Type.Optional(EpochMsSchema),
    validUntil: Type.Optional(EpochMsSchema),
    workingHours: Type.Optional(union(workingHoursConditions)),
  },
  { additionalProperties: false },
)

export const RuleSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    conditions: RuleConditionsSchema,
    subscription: Type.Optional(SubscriptionHandlingSchema),
    grant: GrantSchema,
  },
  { additionalProperties: false },
)

/** Who may still reach the person in do-not-disturb (or presenting), and by which contact kinds. */
export const PriorityAccessSchema = Type.Object(
  {
    addresses: Type.Optional(readonlyArray(AddressSchema, { maxItems: 1000 })),
    groups: Type.Optional(
      readonlyArray(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 }),
    ),
    kinds: readonlyArray(ContactKindSchema, { minItems: 1, maxItems: 6, uniqueItems: true }),
  },
  { additionalProperties: false },
)

export const PersonalSettingsSchema = Type.Object(
  {
    rules: Type.Optional(readonlyArray(RuleSchema, { maxItems: 100 })),
    appearOfflineTo: Type.Optional(readonlyArray(AddressSchema, { maxItems: 1000 })),
    shareOutsideWorkingHours: Type.Optional(Type.Boolean()),
    priorityAccess: Type.Optional(readonlyArray(PriorityAccessSchema, { maxItems: 50 })),
  },
  { additionalProperties: false },
)

export const PrivacyReply = Type.Object({
  settings: PersonalSettingsSchema,
  usingDefaultRules: Type.Boolean({ description: 'true until the person sets rules of their own' }),
})

const CeilingSchema = Type.Object(
  { subscription: SubscriptionHandlingSchema, grant: GrantSchema },
  { additionalProperties: false },
)

export const OrganizationPolicySchema = Type.Object(
  {
    defaultRules: readonlyArray(RuleSchema, { maxItems: 100 }),
    colleagueCeiling: CeilingSchema,
    externalCeiling: CeilingSchema,
    offWorkOutsideHours: Type.Boolean(),
  },
  { additionalProperties: false },
)

export const PermissionsSchema = Type.Object({
  subscription: SubscriptionHandlingSchema,
  activities: Type.Boolean(),
  note: Type.Boolean(),
  mood: Type.Boolean(),
  place: Type.Boolean(),
  workLocation: Type.Boolean(),
  freeBusy: Type.Boolean(),
  location: LocationGranularitySchema,
  timeZone: Type.Boolean(),
  lastSeen: Type.Boolean(),
  devices: Type.Boolean(),
  contactScopes: readonlyArray(ContactScopeSchema),
  contactMethodIds: readonlyArray(Type.String()),
  appearOffline: Type.Boolean(),
  offWork: Type.Boolean(),
})

export const PreviewReply = Type.Object({ permissions: PermissionsSchema, view: ViewSchema })
export const PreviewQuery = Type.Object({ watcher: AddressSchema }, { additionalProperties: false })

export const WatcherInfoSchema = Type.Object({
  watcherAddress: Type.String(),
  state: Type.Union([Type.Literal('active'), Type.Literal('pending'), Type.Literal('denied')]),
  handling: SubscriptionHandlingSchema,
  createdAt: EpochMsSchema,
})

export const AuditQuery = Type.Object(
  {
    since: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
)

export const AuditEventSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  at: EpochMsSchema,
  actorAddress: Type.String(),
  subjectAddress: Type.Optional(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
})
