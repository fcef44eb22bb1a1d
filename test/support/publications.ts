// Builders of publications, presentity states, profiles and permissions for the core's unit and
// property tests; test support. Every moment is fixed (no clock reads).
import { aggregate } from '../../src/core/aggregation/aggregate.js'
import type { Presence } from '../../src/core/aggregation/presence.js'
import {
  applyPublication,
  emptyPresentity,
  type PresentityState,
  type StepContext,
} from '../../src/core/aggregation/presentity.js'
import type {
  ContactMethod,
  Profile,
  Publication,
  PublicationState,
  SourceKind,
} from '../../src/core/model/presence-model.js'
import type { Permissions } from '../../src/core/policy/permissions.js'

export const second = 1_000
export const minute = 60 * second
export const hour = 60 * minute
export const day = 24 * hour

/** Monday 2026-01-05 09:00 UTC (10:00 in Stockholm), the start of the FixedClock too. */
export const t0 = Date.UTC(2026, 0, 5, 9, 0, 0)
export const idleAfterMs = 5 * minute
export const annAddress = 'ann@acme.example'

type Overrides = Partial<Omit<Publication, 'state'>>

/** A publication of one source, published at `t0` and live for an hour unless overridden. */
export const publication = (
  source: { readonly id: string; readonly kind: SourceKind },
  state: PublicationState = {},
  overrides: Overrides = {},
): Publication => ({ source, state, publishedAt: t0, expiresAt: t0 + hour, ...overrides })

/** A device that the person really used at `t0`. */
export const device = (
  id = 'laptop',
  state: PublicationState = { availability: 'available' },
  overrides: Overrides = {},
): Publication => publication({ id, kind: 'device' }, state, { lastActiveAt: t0, ...overrides })

export const manual = (state: PublicationState, overrides: Overrides = {}): Publication =>
  publication({ id: 'manual', kind: 'manual' }, state, overrides)

/** A note set by hand: a manual source without an availability, as the app stores it. */
export const manualNote = (text: string, overrides: Overrides = {}): Publication =>
  publication({ id: 'note', kind: 'manual' }, { note: { text } }, overrides)

export const phone = (state: PublicationState, overrides: Overrides = {}): Publication =>
  publication({ id: 'pbx', kind: 'phone' }, state, overrides)

export const conference = (state: PublicationState, overrides: Overrides = {}): Publication =>
  publication({ id: 'zoom', kind: 'conference' }, state, overrides)

export const calendar = (state: PublicationState, overrides: Overrides = {}): Publication =>
  publication({ id: 'calendar', kind: 'calendar' }, state, overrides)

export const integration = (state: PublicationState, overrides: Overrides = {}): Publication =>
  publication({ id: 'slack', kind: 'integration' }, state, overrides)

/** What a schedule sets: scheduled do-not-disturb, a scheduled work location. */
export const scheduled = (state: PublicationState, overrides: Overrides = {}): Publication =>
  publication({ id: 'schedule:evenings', kind: 'schedule' }, state, overrides)

/** Aggregates Ann's publications at `now` (default `t0`). */
export const aggregateAt = (
  publications: readonly Publication[],
  now = t0,
  lastSeen?: number,
): Presence => aggregate(annAddress, publications, { now, idleAfterMs, lastSeen })

export const stepAt = (now: number, nextSeq: number): StepContext => ({ now, idleAfterMs, nextSeq })

export const emptyAnn = (now = t0, lastSeen?: number): PresentityState =>
  emptyPresentity(annAddress, { now, idleAfterMs, lastSeen })

/** Ann's state after applying `publications` one by one at `now`, with sequence numbers 1, 2, ... */
export const presentityWith = (publications: readonly Publication[], now = t0): PresentityState => {
  let state = emptyAnn(now)
  publications.forEach((p, index) => {
    state = applyPublication(state, p, stepAt(now, index + 1)).state
  })
  return state
}

export const contactMethod = (
  id: string,
  fields: Omit<ContactMethod, 'id' | 'address' | 'rank'> & Partial<ContactMethod>,
): ContactMethod => ({ id, address: `${id}:ann`, rank: 10, ...fields })

export const annContactMethods: readonly ContactMethod[] = [
  contactMethod('work-im', { kind: 'im', scope: 'work', rank: 1 }),
  contactMethod('work-voice', { kind: 'voice', scope: 'work', rank: 2 }),
  contactMethod('work-email', { kind: 'email', scope: 'work', rank: 3 }),
  contactMethod('home-phone', { kind: 'phone', scope: 'personal', rank: 4 }),
  contactMethod('home-sms', { kind: 'sms', scope: 'personal', rank: 5 }),
]

export const annProfile = (overrides: Partial<Profile> = {}): Profile => ({
  address: annAddress,
  organizationId: 'acme',
  displayName: 'Ann Andersson',
  timeZone: 'Europe/Stockholm',
  contactMethods: annContactMethods,
  ...overrides,
})

/** Every permission granted, as the owner has them; tests take away what they need. */
export const allPermissions: Permissions = {
  subscription: 'allow',
  activities: true,
  note: true,
  mood: true,
  place: true,
  workLocation: true,
  freeBusy: true,
  location: 'exact',
  timeZone: true,
  lastSeen: true,
  devices: true,
  contactScopes: ['work', 'personal'],
  contactMethodIds: [],
  appearOffline: false,
  offWork: false,
}

/** What a watcher who is allowed but granted nothing else has. */
export const noGrants: Permissions = {
  ...allPermissions,
  activities: false,
  note: false,
  mood: false,
  place: false,
  workLocation: false,
  freeBusy: false,
  location: 'none',
  timeZone: false,
  lastSeen: false,
  devices: false,
  contactScopes: [],
}

export const permissionsWith = (overrides: Partial<Permissions> = {}): Permissions => ({
  ...allPermissions,
  ...overrides,
})

/** The presence without the expiry of its deciding publication, which a refresh may move. */
export const withoutUntil = (presence: Presence): Presence => ({
  ...presence,
  provenance: {
    ...presence.provenance,
    availability: { ...presence.provenance.availability, until: undefined },
  },
})
