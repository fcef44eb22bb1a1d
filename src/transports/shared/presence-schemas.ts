// TypeBox schemas of the presence vocabulary, shared by the REST, WebSocket and SSE transports and the
// CLI; the wire form of the core's types. Transport layer.
import { Type, type Static, type TSchema } from 'typebox'
import {
  activityKinds,
  availabilities,
  contactKinds,
  contactScopes,
  deviceKinds,
  locationGranularities,
  manualAvailabilities,
  sourceAvailabilities,
  weekdays,
} from '../../core/model/presence-model.js'
import {
  ViewContactMethodSchema,
  ViewEpochMsSchema,
  ViewLocationSchema,
  ViewNoteSchema,
  ViewSchema,
  ViewWorkLocationSchema,
} from '../../core/policy/view-schema.js'

/** A string enumeration, typed as the union of its values. */
export const union = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({
    type: 'string',
    enum: [...values],
    ...(description ? { description } : {}),
  })

/** An array whose static type is readonly, so domain data can be returned as it is. */
export const readonlyArray = <S extends TSchema>(items: S, options: Record<string, unknown> = {}) =>
  Type.Unsafe<readonly Static<S>[]>(Type.Array(items, options))

export const AddressSchema = Type.String({
  minLength: 3,
  maxLength: 320,
  description: 'an address, `user@domain`',
  examples: ['alice@example.com'],
})
export const AvailabilitySchema = union(availabilities, 'what a watcher sees')
export const ManualAvailabilitySchema = union(
  manualAvailabilities,
  '`invisible`: watchers see `offline`',
)
export const SourceAvailabilitySchema = union(sourceAvailabilities)
export const ActivityKindSchema = union(activityKinds)
export const ContactKindSchema = union(contactKinds)
export const ContactScopeSchema = union(contactScopes)
export const LocationGranularitySchema = union(locationGranularities)

export const EpochMsSchema = ViewEpochMsSchema

export const ActivitySchema = Type.Object(
  {
    kind: ActivityKindSchema,
    text: Type.Optional(Type.String({ maxLength: 200 })),
    until: Type.Optional({
      ...EpochMsSchema,
      description: 'when the activity is expected to end, epoch ms',
    }),
  },
  { additionalProperties: false },
)
export const ActivitiesSchema = readonlyArray(ActivitySchema, { maxItems: 10 })

export const NoteSchema = ViewNoteSchema

export const LocationSchema = ViewLocationSchema

export const ClockTimeSchema = Type.String({
  pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$',
  description: 'HH:MM',
})
export const WeeklyHoursSchema = readonlyArray(
  Type.Object(
    {
      days: readonlyArray(union(weekdays), { minItems: 1, maxItems: 7, uniqueItems: true }),
      start: ClockTimeSchema,
      end: ClockTimeSchema,
    },
    { additionalProperties: false },
  ),
  { maxItems: 21 },
)

export const DeviceInfoSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 100 })),
    kind: Type.Optional(union(deviceKinds)),
    capabilities: readonlyArray(ContactKindSchema, { maxItems: 6, uniqueItems: true }),
  },
  { additionalProperties: false },
)

export const WorkLocationSchema = ViewWorkLocationSchema

export const TimeZoneSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'IANA time zone',
})

/** What a device or another live source publishes. */
export const SourcePublicationSchema = Type.Object(
  {
    availability: Type.Optional(SourceAvailabilitySchema),
    activities: Type.Optional(ActivitiesSchema),
    note: Type.Optional(NoteSchema),
    mood: Type.Optional(Type.String({ maxLength: 50 })),
    place: Type.Optional(Type.String({ maxLength: 100 })),
    location: Type.Optional(LocationSchema),
    workLocation: Type.Optional(WorkLocationSchema),
    timeZone: Type.Optional(TimeZoneSchema),
    device: Type.Optional(DeviceInfoSchema),
    idle: Type.Optional(Type.Boolean({ description: 'the person is idle at this device' })),
    active: Type.Optional(
      Type.Boolean({
        description:
          'false when the client publishes by itself (reconnect, background): not activity',
      }),
    ),
    version: Type.Optional(
      Type.Integer({ minimum: 0, description: 'a lower one than stored is stale' }),
    ),
  },
  { additionalProperties: false },
)
export type SourcePublicationBody = Static<typeof SourcePublicationSchema>

export const ContactMethodInputSchema = Type.Object(
  {
    kind: ContactKindSchema,
    address: Type.String({ minLength: 1, maxLength: 320 }),
    rank: Type.Integer({ minimum: 0, maximum: 1000 }),
    scope: ContactScopeSchema,
    hours: Type.Optional(WeeklyHoursSchema),
  },
  { additionalProperties: false },
)

export const ContactMethodSchema = Type.Object({
  id: Type.String(),
  kind: ContactKindSchema,
  address: Type.String(),
  rank: Type.Integer(),
  scope: ContactScopeSchema,
  hours: Type.Optional(WeeklyHoursSchema),
})

// What a watcher sees: the core's schema, tied to the View type at compile time and compiled once
// into the serializer of every view the fan-out sends.
export { ViewContactMethodSchema, ViewSchema }

export const ErrorSchema = Type.Object(
  {
    code: Type.String({ description: 'a stable NRV_ code, see docs/errors.md' }),
    message: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { description: 'every error reply' },
)

const SourceRefSchema = {
  sourceId: Type.Optional(Type.String()),
  sourceKind: Type.Optional(Type.String()),
}

/** The aggregate presence with provenance: only ever sent to its owner. */
export const PresenceSchema = Type.Object(
  {
    address: Type.String(),
    availability: union([...availabilities, 'invisible'] as const),
    activities: readonlyArray(ActivitySchema),
    note: Type.Optional(NoteSchema),
    mood: Type.Optional(Type.String()),
    place: Type.Optional(Type.String()),
    location: Type.Optional(LocationSchema),
    workLocation: Type.Optional(WorkLocationSchema),
    timeZone: Type.Optional(Type.String()),
    devices: readonlyArray(
      Type.Object({
        id: Type.String(),
        name: Type.Optional(Type.String()),
        kind: Type.Optional(Type.String()),
        capabilities: readonlyArray(ContactKindSchema),
        availability: AvailabilitySchema,
        idle: Type.Boolean(),
      }),
    ),
    reachable: readonlyArray(ContactKindSchema),
    lastSeen: Type.Optional(EpochMsSchema),
    provenance: Type.Object({
      availability: Type.Object({
        rule: union(
          [
            'manual',
            'activity',
            'scheduled',
            'device',
            'idle',
            'invisible',
            'no-live-source',
          ] as const,
          'which rule decided',
        ),
        ...SourceRefSchema,
        activity: Type.Optional(ActivityKindSchema),
        until: Type.Optional(EpochMsSchema),
      }),
      activities: readonlyArray(
        Type.Object({
          activity: ActivitySchema,
          sourceId: Type.String(),
          sourceKind: Type.String(),
        }),
      ),
      note: Type.Optional(Type.String({ description: 'source id of the note' })),
      location: Type.Optional(Type.String({ description: 'source id of the location' })),
      workLocation: Type.Optional(Type.String({ description: 'source id of the work location' })),
    }),
  },
  { description: 'the aggregate presence with provenance (the owner only)' },
)

/** One person in a "who is available" answer (the app's, whose serializer writes shared answers). */
export { WhoEntrySchema } from '../../app/availability/index.js'
