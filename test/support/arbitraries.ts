// fast-check arbitraries of publications, presences, profiles and permissions around a fixed `now`;
// test support for the property tests of aggregation and views.
import fc from 'fast-check'
import type { Presence } from '../../src/core/aggregation/presence.js'
import { connectionBound } from '../../src/core/aggregation/presentity.js'
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
  type Activity,
  type ContactMethod,
  type HoursSpan,
  type Location,
  type Note,
  type Profile,
  type Publication,
  type PublicationState,
  type Source,
} from '../../src/core/model/presence-model.js'
import {
  computeView,
  type View,
  type ViewContactMethod,
} from '../../src/core/policy/compute-view.js'
import { subscriptionHandlings, type Permissions } from '../../src/core/policy/permissions.js'
import { aggregateAt, annAddress, hour, idleAfterMs, minute, t0 } from './publications.js'

/** Every source id belongs to one kind, so distinct ids mean distinct sources. */
export const sourcePool: readonly Source[] = [
  { id: 'laptop', kind: 'device' },
  { id: 'mobile', kind: 'device' },
  { id: 'tablet', kind: 'device' },
  { id: 'web', kind: 'device' },
  { id: 'manual', kind: 'manual' },
  { id: 'note', kind: 'manual' },
  { id: 'pbx', kind: 'phone' },
  { id: 'zoom', kind: 'conference' },
  { id: 'calendar', kind: 'calendar' },
  { id: 'slack', kind: 'integration' },
]

export const timeZones = [
  'Europe/Stockholm',
  'America/New_York',
  'Asia/Kolkata',
  'Pacific/Auckland',
  'UTC',
] as const

const text = fc.constantFrom('lunch', 'dentist', 'on the train', 'heads down', 'Ålesund')

export const activityArb: fc.Arbitrary<Activity> = fc.oneof(
  fc.constantFrom(...activityKinds).map((kind): Activity => ({ kind })),
  text.map((t): Activity => ({ kind: 'custom', text: t })),
)

/** A moment near `now`, biased towards the boundaries that matter (exactly now, one ms around it). */
const near = (now: number, spanMs: number): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constantFrom(now - 1, now, now + 1),
    fc.integer({ min: now - spanMs, max: now + spanMs }),
  )

const noteArb = (now: number): fc.Arbitrary<Note> =>
  fc.record({ text, expiresAt: near(now, hour) }, { requiredKeys: ['text'] })

export const locationArb: fc.Arbitrary<Location> = fc.record(
  {
    country: fc.constantFrom('SE', 'NO', 'US'),
    city: fc.constantFrom('Stockholm', 'Oslo', 'Boston'),
    latitude: fc.double({ min: -90, max: 90, noNaN: true }),
    longitude: fc.double({ min: -180, max: 180, noNaN: true }),
    accuracy: fc.integer({ min: 0, max: 5000 }),
  },
  { requiredKeys: [] },
)

const stateArb = (source: Source, now: number): fc.Arbitrary<PublicationState> => {
  if (source.id === 'note') return noteArb(now).map((note) => ({ note }))
  const availability =
    source.kind === 'manual'
      ? fc.constantFrom(...manualAvailabilities)
      : fc.constantFrom(...sourceAvailabilities)
  return fc.record(
    {
      availability,
      activities: fc.array(activityArb, { maxLength: 3 }),
      note: noteArb(now),
      mood: fc.constantFrom('happy', 'tired'),
      place: fc.constantFrom('office', 'home'),
      location: locationArb,
      timeZone: fc.constantFrom(...timeZones),
      device: fc.record(
        {
          name: fc.constantFrom('ThinkPad', 'Pixel'),
          kind: fc.constantFrom(...deviceKinds),
          capabilities: fc.subarray([...contactKinds]),
        },
        { requiredKeys: ['capabilities'] },
      ),
    },
    { requiredKeys: [] },
  )
}

/** One source's publication around `now`: live, dead, expiring exactly at `now`, or connection-bound. */
export const publicationArb = (now = t0): fc.Arbitrary<Publication> =>
  fc.constantFrom(...sourcePool).chain((source) =>
    fc.record(
      {
        source: fc.constant(source),
        state: stateArb(source, now),
        publishedAt: fc.integer({ min: now - 2 * hour, max: now }),
        expiresAt: fc.oneof(
          { weight: 4, arbitrary: near(now, hour) },
          { weight: 1, arbitrary: fc.constant(connectionBound) },
        ),
        version: fc.integer({ min: 0, max: 3 }),
        lastActiveAt: fc.oneof(near(now - idleAfterMs, minute), near(now, 20 * minute)),
        idle: fc.boolean(),
      },
      { requiredKeys: ['source', 'state', 'publishedAt', 'expiresAt'] },
    ),
  )

/** The publications of one presentity: at most one per source. */
export const publicationsArb = (now = t0, maxLength = 7): fc.Arbitrary<Publication[]> =>
  fc.uniqueArray(publicationArb(now), { selector: (p) => p.source.id, maxLength })

export const permissionsArb: fc.Arbitrary<Permissions> = fc.record({
  subscription: fc.constantFrom(...subscriptionHandlings),
  activities: fc.boolean(),
  note: fc.boolean(),
  mood: fc.boolean(),
  place: fc.boolean(),
  location: fc.constantFrom(...locationGranularities),
  timeZone: fc.boolean(),
  lastSeen: fc.boolean(),
  devices: fc.boolean(),
  contactScopes: fc.shuffledSubarray([...contactScopes]),
  contactMethodIds: fc.shuffledSubarray(['a', 'b', 'c', 'd']),
  appearOffline: fc.boolean(),
  offWork: fc.boolean(),
})

const clockArb = fc
  .integer({ min: 0, max: 96 })
  .map(
    (q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`,
  )

export const hoursSpanArb: fc.Arbitrary<HoursSpan> = fc.record({
  days: fc.subarray([...weekdays], { minLength: 1 }),
  start: clockArb,
  end: clockArb,
})

export const contactMethodArb: fc.Arbitrary<ContactMethod> = fc.record(
  {
    id: fc.constantFrom('a', 'b', 'c', 'd'),
    kind: fc.constantFrom(...contactKinds),
    address: fc.constantFrom('ann@acme.example', '+46 8 123 456'),
    rank: fc.integer({ min: 0, max: 3 }),
    scope: fc.constantFrom(...contactScopes),
    hours: fc.array(hoursSpanArb, { maxLength: 2 }),
  },
  { requiredKeys: ['id', 'kind', 'address', 'rank', 'scope'] },
)

export const profileArb: fc.Arbitrary<Profile> = fc.record({
  address: fc.constant(annAddress),
  organizationId: fc.constant('acme'),
  displayName: fc.constant('Ann Andersson'),
  timeZone: fc.constantFrom(...timeZones),
  contactMethods: fc.array(contactMethodArb, { maxLength: 5 }),
})

/** Any moment of a week from `t0`, so that usable hours fall on every day and hour. */
export const weekMomentArb = fc.integer({ min: t0, max: t0 + 7 * 24 * hour })

/** A presence as aggregation makes it, at `now`, with or without a last seen. */
export const presenceArb = (now = t0): fc.Arbitrary<Presence> =>
  fc
    .tuple(
      publicationsArb(now),
      fc.option(fc.integer({ min: now - 48 * hour, max: now }), { nil: undefined }),
    )
    .map(([publications, lastSeen]) => aggregateAt(publications, now, lastSeen))

/** A view as computeView makes it: a random presence, profile and permissions, at any moment. */
export const computedViewArb: fc.Arbitrary<View> = fc
  .record({
    presence: presenceArb(t0),
    profile: profileArb,
    permissions: permissionsArb,
    now: weekMomentArb,
  })
  .map(computeView)

export const viewContactMethodArb: fc.Arbitrary<ViewContactMethod> = fc.record({
  kind: fc.constantFrom(...contactKinds),
  address: fc.constantFrom('ann@acme.example', '+46 8 123 456', 'sip:ann@acme.example'),
  rank: fc.integer({ min: 0, max: 3 }),
  scope: fc.constantFrom(...contactScopes),
  reachable: fc.boolean(),
})

/**
 * A view built field by field, for code that reads views only: it reaches combinations aggregation
 * rarely makes (do-not-disturb in a meeting, activities shown while offline). `activities` lets a
 * test add activities of its own, such as ones that carry an end.
 */
export const directViewArb = (
  activities: fc.Arbitrary<Activity> = activityArb,
): fc.Arbitrary<View> =>
  fc.record(
    {
      address: fc.constant(annAddress),
      displayName: fc.constant('Ann Andersson'),
      availability: fc.constantFrom(...availabilities),
      activities: fc.array(activities, { maxLength: 3 }),
      contactMethods: fc.array(viewContactMethodArb, { maxLength: 5 }),
    },
    { requiredKeys: ['address', 'availability'] },
  )
