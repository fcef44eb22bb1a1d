// The parts of a presence and profile that a view is made of, which of them a watcher's view can
// show, and which changed between two states: what a resume decides on; core layer, pure.
import type { Presence } from '../aggregation/presence.js'
import { sameData } from '../model/canonical-json.js'
import type { LocationGranularity, Profile } from '../model/presence-model.js'
import { isAsynchronous } from '../reach/is-reachable.js'
import { coarsenLocation } from './compute-view.js'
import type { Permissions } from './permissions.js'

export const viewParts = [
  'availability',
  'displayName',
  'activities',
  'note',
  'mood',
  'place',
  'locationCountry',
  'locationCity',
  'locationExact',
  'workLocation',
  'timeZone',
  'devices',
  'reachable',
  'lastSeen',
  'contactMethods',
  'profileTimeZone',
] as const
export type ViewPart = (typeof viewParts)[number]

/** The location at each granularity is a part of its own: a city move is no news at country level. */
const locationParts = {
  country: 'locationCountry',
  city: 'locationCity',
  exact: 'locationExact',
} as const satisfies Record<Exclude<LocationGranularity, 'none'>, ViewPart>

/** The inputs of a view: one presence with the profile it was published under. */
export interface ViewSubject {
  readonly presence: Presence
  readonly profile: Profile
}

/** For each part, the sequence number of its last change. */
export type ViewPartStamps = Readonly<Record<ViewPart, number>>

const isHidden = (presence: Presence) =>
  presence.availability === 'offline' || presence.availability === 'invisible'

const partOf = (subject: ViewSubject, part: ViewPart): unknown => {
  const { presence, profile } = subject
  switch (part) {
    case 'availability':
      // Invisible is shown as offline: switching between them changes no view.
      return isHidden(presence) ? 'offline' : presence.availability
    case 'displayName':
      return profile.displayName
    case 'contactMethods':
      return profile.contactMethods
    case 'profileTimeZone':
      return profile.timeZone
    case 'locationCountry':
      return coarsenLocation(presence.location, 'country')
    case 'locationCity':
      return coarsenLocation(presence.location, 'city')
    case 'locationExact':
      return coarsenLocation(presence.location, 'exact')
    // Each presence part read by its name: one shape per read, where `presence[part]` made every
    // read a megamorphic keyed load on the path of each change.
    case 'activities':
      return presence.activities
    case 'note':
      return presence.note
    case 'mood':
      return presence.mood
    case 'place':
      return presence.place
    case 'workLocation':
      return presence.workLocation
    case 'timeZone':
      return presence.timeZone
    case 'devices':
      return presence.devices
    case 'reachable':
      return presence.reachable
    case 'lastSeen':
      return presence.lastSeen
  }
}

/** The stamps after a change at `seq` from `before` to `after` (a first change starts from 0). */
export const stampViewParts = (
  previous: ViewPartStamps | undefined,
  change: { readonly before: ViewSubject; readonly after: ViewSubject; readonly seq: number },
): ViewPartStamps => {
  const { before, after, seq } = change
  // Copied only when a part changed; stamps are never changed in place, so they may be shared.
  let stamps: Record<ViewPart, number> | undefined
  for (const part of viewParts) {
    if (sameData(partOf(before, part), partOf(after, part))) continue
    stamps ??= copyStamps(previous ?? zeroStamps)
    stamps[part] = seq
  }
  return stamps ?? previous ?? zeroStamps
}

/**
 * A copy written out part by part: every stamps object has one shape (a spread copy of objects made
 * by `Object.fromEntries` and by spreads took V8's slow clone path on each change).
 */
const copyStamps = (s: ViewPartStamps): Record<ViewPart, number> => ({
  availability: s.availability,
  displayName: s.displayName,
  activities: s.activities,
  note: s.note,
  mood: s.mood,
  place: s.place,
  locationCountry: s.locationCountry,
  locationCity: s.locationCity,
  locationExact: s.locationExact,
  workLocation: s.workLocation,
  timeZone: s.timeZone,
  devices: s.devices,
  reachable: s.reachable,
  lastSeen: s.lastSeen,
  contactMethods: s.contactMethods,
  profileTimeZone: s.profileTimeZone,
})

const zeroStamps: ViewPartStamps = copyStamps(
  Object.fromEntries(viewParts.map((part) => [part, 0])) as ViewPartStamps,
)

/**
 * The parts a view under `permissions` can show while the presence stays as visible as `presence`
 * (online, or offline) and the contact methods stay those of `profile`. A view whose parts did not
 * change is the same view: `computeView` reads nothing else but the permissions and the time.
 * Polite-block, pending, "appear offline" and off work show only the display name, whatever the
 * presence does. The zones and the sources' reach count only through a contact method the view
 * shows that can use them (hours, a live kind); a change of the methods moves `contactMethods`.
 */
export const shownViewParts = (permissions: Permissions, subject: ViewSubject): ViewPart[] => {
  const p = permissions
  if (p.subscription === 'block') return []
  if (p.subscription !== 'allow' || p.appearOffline || p.offWork) return ['displayName']
  const contacts = p.contactScopes.length > 0 || p.contactMethodIds.length > 0
  const methods = subject.profile.contactMethods.filter(
    (m) => p.contactScopes.includes(m.scope) || p.contactMethodIds.includes(m.id),
  )
  const zones = methods.some((m) => m.hours !== undefined)
  const parts: ViewPart[] = ['availability', 'displayName']
  if (p.note) parts.push('note')
  if (contacts) parts.push('contactMethods')
  if (zones) parts.push('profileTimeZone')
  if (isHidden(subject.presence)) return p.lastSeen ? [...parts, 'lastSeen'] : parts
  if (methods.some((m) => !isAsynchronous(m.kind))) parts.push('reachable')
  if (zones) parts.push('timeZone')
  if (p.timeZone) parts.push('timeZone', 'profileTimeZone')
  if (p.location !== 'none') parts.push(locationParts[p.location])
  const flags = ['activities', 'mood', 'place', 'workLocation', 'devices'] as const
  return [...parts, ...flags.filter((flag) => p[flag])]
}

/**
 * Whether a watcher's view under `permissions` may differ now from what it was at `cursor`, judged
 * only by the parts that view can show: a change to a part it cannot show never counts, so the
 * answer is the same for a hidden change as for none (DESIGN.md, "Fan-out and soft state").
 */
export const viewMayHaveChanged = (args: {
  readonly stamps: ViewPartStamps
  readonly permissions: Permissions
  readonly subject: ViewSubject
  readonly cursor: number
}): boolean => {
  const { stamps, permissions, subject, cursor } = args
  return shownViewParts(permissions, subject).some((part) => stamps[part] > cursor)
}
