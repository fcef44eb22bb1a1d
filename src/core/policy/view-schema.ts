// The wire schema of a view (TypeBox), tied to the `View` type at compile time in both directions,
// so a field added to one without the other fails tsc; core layer, pure data.
import { Type, type Static, type TSchema } from 'typebox'
import {
  activityKinds,
  availabilities,
  contactKinds,
  contactScopes,
  deviceKinds,
  workLocationModes,
} from '../model/presence-model.js'
import type { View } from './compute-view.js'

/** A string enumeration, typed as the union of its values. */
const union = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({
    type: 'string',
    enum: [...values],
    ...(description ? { description } : {}),
  })

/** An array whose static type is readonly, so domain data can be returned as it is. */
const readonlyArray = <S extends TSchema>(items: S, options: Record<string, unknown> = {}) =>
  Type.Unsafe<readonly Static<S>[]>(Type.Array(items, options))

export const ViewEpochMsSchema = Type.Integer({
  minimum: 0,
  maximum: 8_640_000_000_000_000,
  description: 'epoch milliseconds',
})

export const ViewActivitySchema = Type.Object(
  {
    kind: union(activityKinds),
    text: Type.Optional(Type.String({ maxLength: 200 })),
    until: Type.Optional({
      ...ViewEpochMsSchema,
      description: 'when the activity is expected to end, epoch ms',
    }),
  },
  { additionalProperties: false },
)

export const ViewNoteSchema = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 500 }),
    expiresAt: Type.Optional(ViewEpochMsSchema),
  },
  { additionalProperties: false },
)

export const ViewLocationSchema = Type.Object(
  {
    country: Type.Optional(Type.String({ maxLength: 100 })),
    city: Type.Optional(Type.String({ maxLength: 100 })),
    latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    accuracy: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false },
)

export const ViewWorkLocationSchema = Type.Object(
  {
    mode: union(workLocationModes, 'office, remote or travelling'),
    site: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'the office site, with office' }),
    ),
  },
  { additionalProperties: false, description: 'where the person works today' },
)

/** A contact method as a watcher sees it. */
export const ViewContactMethodSchema = Type.Object({
  kind: union(contactKinds),
  address: Type.String(),
  rank: Type.Integer(),
  scope: union(contactScopes),
  reachable: Type.Boolean(),
})

/** A device as a watcher sees it. */
export const ViewDeviceSchema = Type.Object({
  id: Type.String(),
  name: Type.Optional(Type.String()),
  kind: Type.Optional(union(deviceKinds)),
  capabilities: readonlyArray(union(contactKinds)),
  availability: union(availabilities, 'what a watcher sees'),
  idle: Type.Boolean(),
})

/** The wire form of `View`: what every transport sends a watcher, and what its serializer compiles. */
export const ViewSchema = Type.Object(
  {
    address: Type.String(),
    displayName: Type.Optional(Type.String()),
    availability: union(availabilities, 'what a watcher sees'),
    activities: Type.Optional(readonlyArray(ViewActivitySchema)),
    note: Type.Optional(ViewNoteSchema),
    mood: Type.Optional(Type.String()),
    place: Type.Optional(Type.String()),
    location: Type.Optional(ViewLocationSchema),
    workLocation: Type.Optional(ViewWorkLocationSchema),
    timeZone: Type.Optional(Type.String()),
    devices: Type.Optional(readonlyArray(ViewDeviceSchema)),
    contactMethods: Type.Optional(readonlyArray(ViewContactMethodSchema)),
    lastSeen: Type.Optional(ViewEpochMsSchema),
  },
  { description: 'presence after the policy for one watcher has been applied' },
)

/** A type with every `readonly` removed, deeply: the schema and the domain differ only in that. */
type Plain<T> = T extends readonly (infer U)[]
  ? Plain<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Plain<T[K]> }
    : T

/** Exactly the same type (not merely assignable: an extra optional field on one side differs). */
type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

type Assert<T extends true> = T

/** The compile-time tie: tsc fails here when `View` and `ViewSchema` drift apart, either way. */
export type ViewMatchesSchema = Assert<Equals<Plain<Static<typeof ViewSchema>>, Plain<View>>>
