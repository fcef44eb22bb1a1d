// TypeBox schemas of schedule entries and free/busy, for the REST transport and the CLI; transport layer.
import { Type, type Static } from 'typebox'
import { freeBusyKinds } from '../../core/policy/free-busy.js'
import type { ScheduleEntry } from '../../app/schedules/index.js'
import {
  EpochMsSchema,
  WeeklyHoursSchema,
  WorkLocationSchema,
  readonlyArray,
  union,
} from '../shared/presence-schemas.js'

export const ScheduleSetSchema = Type.Object(
  {
    availability: Type.Optional(
      union(
        ['do-not-disturb', 'busy', 'away', 'be-right-back'] as const,
        'availability while it applies',
      ),
    ),
    note: Type.Optional(
      Type.String({ minLength: 1, maxLength: 500, description: 'status note while it applies' }),
    ),
    workLocation: Type.Optional(WorkLocationSchema),
  },
  { additionalProperties: false, description: 'what the entry sets while it applies' },
)

export const ScheduleWhenSchema = Type.Union(
  [
    Type.Object(
      {
        once: Type.Object(
          { startsAt: EpochMsSchema, endsAt: EpochMsSchema },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    Type.Object({ weekly: WeeklyHoursSchema }, { additionalProperties: false }),
  ],
  { description: 'once (epoch ms), or weekly in my time zone' },
)

export const ScheduleCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    set: ScheduleSetSchema,
    when: ScheduleWhenSchema,
  },
  { additionalProperties: false },
)
export type ScheduleCreateBody = Static<typeof ScheduleCreateBody>

export const ScheduleEntrySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  set: ScheduleSetSchema,
  when: ScheduleWhenSchema,
  createdAt: EpochMsSchema,
})

export const ScheduleParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

export const FreeBusyParams = Type.Object({
  address: Type.String({ minLength: 3, maxLength: 320 }),
})

export const FreeBusyQuery = Type.Object(
  {
    from: Type.Optional(EpochMsSchema),
    to: Type.Optional(EpochMsSchema),
  },
  { additionalProperties: false },
)

export const FreeBusySchema = Type.Object({
  address: Type.String(),
  from: EpochMsSchema,
  to: EpochMsSchema,
  shown: Type.Boolean({ description: 'false when policy does not show you this free/busy' }),
  busy: readonlyArray(
    Type.Object({ startsAt: EpochMsSchema, endsAt: EpochMsSchema, kind: union(freeBusyKinds) }),
  ),
})

/** The reply form of an entry: without the owner's user id. */
export const scheduleReply = (entry: ScheduleEntry) => ({
  id: entry.id,
  name: entry.name,
  set: entry.set,
  when: entry.when,
  createdAt: entry.createdAt,
})
