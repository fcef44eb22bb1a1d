// fast-check arbitraries of publications, presences, profiles and permissions around a fixed `now`,
// and of small organizations; test support for the property tests of aggregation, views and team
// availability.
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
  workLocationModes,
  type Activity,
  type ContactKind,
  type ContactMethod,
  type HoursSpan,
  type Location,
  type ManualAvailability,
  type Note,
  type Profile,
  type Publication,
  type PublicationState,
  type Source,
  type SourceAvailability,
  type WeeklyHours,
} from '../../src/core/model/presence-model.js'
import {
  computeView,
  type View,
  type ViewContactMethod,
} from '../../src/core/policy/compute-view.js'
import { subscriptionHandlings, type Permissions } from '../../src/core/policy/permissions.js'
import {
  workingHoursConditions,
  type Ceiling,
  type Grant,
  type OrganizationPolicy,
  type PersonalSettings,
  type RuleConditions,
} from '../../src/core/policy/policy-model.js'
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
  { id: 'dnd-evenings', kind: 'schedule' },
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
      workLocation: fc.record(
        { mode: fc.constantFrom(...workLocationModes), site: fc.constantFrom('HQ', 'Lab') },
        { requiredKeys: ['mode'] },
      ),
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
  workLocation: fc.boolean(),
  freeBusy: fc.boolean(),
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

// A random small organization for the property tests of team availability: people by index
// (`personAddress`), teams by name, personal rules and settings that name them, contact methods,
// presences and approvals. Group names in rules and contact method tokens (`m0`…) are turned into
// the ids the services give them when the organization is built. Choices are weighted towards
// what organizations mostly do (colleagues allowed, people available), so that the rarer ones
// (blocks, appear offline, do-not-disturb with priority access) meet a team that is there.

export const organizationDomain = 'acme.example'
export const personAddress = (index: number): string =>
  `p${String(index).padStart(2, '0')}@${organizationDomain}`
export const teamNames = ['team-a', 'team-b', 'team-c'] as const
/** Tokens a personal grant uses for the owner's own contact methods, by position. */
export const methodTokens = ['m0', 'm1', 'm2', 'm3'] as const

/**
 * The address of a person's `k`-th contact method: unique in the organization, and never part of
 * another address or of anything else an answer carries, so it can be looked for in answers.
 */
export const methodAddress = (person: number, k: number, kind: ContactKind): string => {
  const tag = `${String(person).padStart(2, '0')}${k}`
  if (kind === 'email') return `mail-${tag}@mail.example`
  if (kind === 'im') return `chat-${tag}@im.example`
  return `+46-70-${tag}`
}

export interface PublicationSketch {
  readonly source: Source
  readonly availability: SourceAvailability
  readonly activities: readonly Activity[]
  readonly capabilities: readonly ContactKind[]
  readonly idle: boolean
  readonly active: boolean
}

export interface PersonSketch {
  readonly displayName: string
  readonly timeZone: string
  readonly workingHours?: WeeklyHours
  readonly teams: readonly string[]
  /** Addresses are given by `methodAddress`. */
  readonly contactMethods: readonly Omit<ContactMethod, 'id' | 'address'>[]
  /** Absent: the organization's default rules and no settings. */
  readonly settings?: PersonalSettings
  readonly publications: readonly PublicationSketch[]
  readonly manual?: {
    readonly availability: ManualAvailability
    readonly activities: readonly Activity[]
  }
}

export interface OrganizationSketch {
  readonly people: readonly PersonSketch[]
  /** Absent: the default policy of a new organization. */
  readonly policy?: OrganizationPolicy
  /** `[watcher, presentity]`: the watcher asks to subscribe and the presentity approves. */
  readonly approvals: readonly (readonly [number, number])[]
}

/** `arb` in `weight` cases out of `outOf`, else undefined. */
const sometimes = <T>(arb: fc.Arbitrary<T>, weight: number, outOf: number) =>
  fc.oneof(
    { weight: outOf - weight, arbitrary: fc.constant(undefined) },
    { weight, arbitrary: arb },
  )

/** `usual` in about two cases out of three, else any of `all`. */
const mostly = <T>(usual: T, all: readonly T[]): fc.Arbitrary<T> =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(usual) }, fc.constantFrom(...all))

/** Drops the keys `sometimes` left undefined. */
const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T

const windows: readonly Pick<RuleConditions, 'validFrom' | 'validUntil'>[] = [
  { validFrom: t0 - hour },
  { validFrom: t0 + hour },
  { validUntil: t0 - hour },
  { validUntil: t0 + hour },
  { validFrom: t0 - hour, validUntil: t0 + hour },
]

/** Whom a rule names, then (now and then) what narrows it. */
const conditionsArb = (addresses: readonly string[]): fc.Arbitrary<RuleConditions> =>
  fc
    .tuple(
      fc.oneof(
        { weight: 3, arbitrary: fc.constant({ ownOrganization: true }) },
        { weight: 1, arbitrary: fc.constant({ everyone: true }) },
        {
          weight: 2,
          arbitrary: fc
            .subarray([...addresses], { minLength: 1, maxLength: 3 })
            .map((a) => ({ addresses: a })),
        },
        {
          weight: 2,
          arbitrary: fc.subarray([...teamNames], { minLength: 1 }).map((g) => ({ groups: g })),
        },
      ),
      fc.record({
        except: sometimes(fc.subarray([...addresses], { minLength: 1, maxLength: 2 }), 1, 6),
        workingHours: sometimes(fc.constantFrom(...workingHoursConditions), 1, 6),
        window: sometimes(fc.constantFrom(...windows), 1, 6),
      }),
    )
    .map(([who, { window, ...narrowing }]) => defined({ ...who, ...narrowing, ...window }))

/** A grant; an organization's default rules may name neither personal nor single methods. */
const grantArb = (personal: boolean): fc.Arbitrary<Grant> =>
  fc.record(
    {
      activities: fc.boolean(),
      note: fc.boolean(),
      devices: fc.boolean(),
      lastSeen: fc.boolean(),
      contactScopes: fc.subarray(personal ? [...contactScopes] : ['work' as const]),
      ...(personal ? { contactMethodIds: fc.subarray([...methodTokens]) } : {}),
    },
    { requiredKeys: [] },
  )

const rulesArb = (addresses: readonly string[], personal: boolean, minLength: number) =>
  fc.uniqueArray(
    fc.record({
      id: fc.constantFrom('r1', 'r2', 'r3', 'r4'),
      conditions: conditionsArb(addresses),
      subscription: mostly('allow' as const, subscriptionHandlings),
      grant: grantArb(personal),
    }),
    { selector: (rule) => rule.id, minLength, maxLength: 3 },
  )

const priorityAccessArb = (addresses: readonly string[]) =>
  fc
    .record({
      addresses: fc.subarray([...addresses], { maxLength: 3 }),
      groups: fc.subarray([...teamNames]),
      kinds: fc.subarray([...contactKinds], { minLength: 1 }),
    })
    .filter((entry) => entry.addresses.length + entry.groups.length > 0)

export const settingsArb = (addresses: readonly string[]): fc.Arbitrary<PersonalSettings> =>
  fc
    .record({
      rules: sometimes(rulesArb(addresses, true, 1), 1, 2),
      appearOfflineTo: sometimes(fc.subarray([...addresses], { minLength: 1, maxLength: 2 }), 1, 3),
      shareOutsideWorkingHours: fc.boolean(),
      priorityAccess: sometimes(
        fc.array(priorityAccessArb(addresses), { minLength: 1, maxLength: 2 }),
        1,
        2,
      ),
    })
    .map(defined)

const ceilingArb: fc.Arbitrary<Ceiling> = fc.record({
  subscription: mostly('allow' as const, subscriptionHandlings),
  grant: grantArb(true),
})

export const policyArb = (addresses: readonly string[]): fc.Arbitrary<OrganizationPolicy> =>
  fc.record({
    defaultRules: rulesArb(addresses, false, 0),
    colleagueCeiling: ceilingArb,
    externalCeiling: ceilingArb,
    offWorkOutsideHours: fc.boolean(),
  })

const orgSources: readonly Source[] = [
  { id: 'laptop', kind: 'device' },
  { id: 'mobile', kind: 'device' },
  { id: 'desk-phone', kind: 'phone' },
  { id: 'zoom', kind: 'conference' },
]

const fewActivitiesArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant([]) },
  fc.array(activityArb, { minLength: 1, maxLength: 2 }),
)

const publicationSketchArb: fc.Arbitrary<PublicationSketch> = fc.record({
  source: fc.constantFrom(...orgSources),
  availability: mostly('available' as const, sourceAvailabilities),
  activities: fewActivitiesArb,
  capabilities: fc.subarray([...contactKinds]),
  idle: mostly(false, [true, false]),
  active: mostly(true, [true, false]),
})

const contactMethodSketchArb = fc
  .record({
    kind: fc.constantFrom(...contactKinds),
    rank: fc.integer({ min: 0, max: 3 }),
    scope: fc.constantFrom(...contactScopes),
    hours: sometimes(fc.array(hoursSpanArb, { minLength: 1, maxLength: 2 }), 1, 4),
  })
  .map(defined)

const personArb = (addresses: readonly string[]): fc.Arbitrary<PersonSketch> =>
  fc
    .record({
      displayName: fc.constantFrom('Ann', 'Bo', 'Cleo', 'Dan', 'Eva', 'Åsa'),
      timeZone: fc.constantFrom(...timeZones),
      workingHours: sometimes(fc.array(hoursSpanArb, { minLength: 1, maxLength: 2 }), 1, 3),
      teams: fc.subarray([...teamNames]),
      contactMethods: fc.array(contactMethodSketchArb, { maxLength: methodTokens.length }),
      settings: sometimes(settingsArb(addresses), 2, 3),
      publications: fc.uniqueArray(publicationSketchArb, {
        selector: (p) => p.source.id,
        maxLength: 3,
      }),
      manual: sometimes(
        fc.record({
          availability: mostly('available' as const, manualAvailabilities),
          activities: fewActivitiesArb,
        }),
        1,
        3,
      ),
    })
    .map(defined)

/** An organization of 3 to 12 people (`personAddress(0)` is its admin). */
export const organizationArb: fc.Arbitrary<OrganizationSketch> = fc
  .integer({ min: 3, max: 12 })
  .chain((size) => {
    const addresses = Array.from({ length: size }, (_, i) => personAddress(i))
    const index = fc.integer({ min: 0, max: size - 1 })
    return fc
      .record({
        people: fc.array(personArb(addresses), { minLength: size, maxLength: size }),
        policy: sometimes(policyArb(addresses), 1, 2),
        approvals: fc.array(fc.tuple(index, index), { maxLength: 4 }),
      })
      .map(defined)
  })
