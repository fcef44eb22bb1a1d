// The view: presence after one watcher's permissions are applied. The single place where a watcher's
// visibility is decided (DESIGN.md, "Privacy"); core layer, pure.
import { withOptional } from '../aggregation/aggregate.js'
import type { Presence } from '../aggregation/presence.js'
import { isValidTimeZone } from '../model/hours.js'
import type { Mutable } from '../model/mutable.js'
import { isReachable } from '../reach/is-reachable.js'
import type {
  Activity,
  Availability,
  ContactKind,
  ContactScope,
  DeviceKind,
  Location,
  LocationGranularity,
  Note,
  Profile,
  WorkLocation,
} from '../model/presence-model.js'
import type { Permissions } from './permissions.js'

export interface ViewContactMethod {
  readonly kind: ContactKind
  readonly address: string
  readonly rank: number
  readonly scope: ContactScope
  /** A live source can take it now, and it is inside its usable hours. */
  readonly reachable: boolean
}

export interface ViewDevice {
  readonly id: string
  readonly name?: string
  readonly kind?: DeviceKind
  readonly capabilities: readonly ContactKind[]
  readonly availability: Availability
  readonly idle: boolean
}

/** The only thing ever sent to a watcher. */
export interface View {
  readonly address: string
  readonly displayName?: string
  readonly availability: Availability
  readonly activities?: readonly Activity[]
  readonly note?: Note
  readonly mood?: string
  readonly place?: string
  readonly location?: Location
  readonly workLocation?: WorkLocation
  readonly timeZone?: string
  readonly devices?: readonly ViewDevice[]
  readonly contactMethods?: readonly ViewContactMethod[]
  readonly lastSeen?: number
}

export interface ViewInput {
  readonly presence: Presence
  readonly profile: Profile
  readonly permissions: Permissions
  readonly now: number
}

const granularityOrder: readonly LocationGranularity[] = ['none', 'country', 'city', 'exact']

/** Reduces a location to a granularity; nothing finer than allowed survives. */
export const coarsenLocation = (
  location: Location | undefined,
  granularity: LocationGranularity,
): Location | undefined => {
  if (!location || granularity === 'none') return undefined
  const level = granularityOrder.indexOf(granularity)
  const kept = withOptional<Location>(
    {},
    {
      country: location.country,
      city: level >= 2 ? location.city : undefined,
      latitude: level >= 3 ? location.latitude : undefined,
      longitude: level >= 3 ? location.longitude : undefined,
      accuracy: level >= 3 ? location.accuracy : undefined,
    },
  )
  return Object.keys(kept).length === 0 ? undefined : kept
}

/**
 * What a watcher with no grants sees of someone offline. Polite-block and pending requests answer
 * exactly this. "Appear offline" does too; towards a watcher whose rules grant last seen or the
 * note it therefore shows less than a real offline would (a known limit, see docs/privacy.md).
 */
const bareOffline = (input: ViewInput): View => ({
  address: input.presence.address,
  displayName: input.profile.displayName,
  availability: 'offline',
})

/** Outside working hours: only that the person is off work, nothing else. */
const offWorkView = (input: ViewInput): View => ({
  address: input.presence.address,
  displayName: input.profile.displayName,
  availability: 'away',
  activities: [{ kind: 'off-work' }],
})

/** The contact methods the watcher may see, in rank order; undefined when none. */
const contactMethodsFor = (input: ViewInput): readonly ViewContactMethod[] | undefined => {
  const { presence, profile, permissions, now } = input
  // Most people list no contact method: nothing to filter, map or sort on each change.
  if (profile.contactMethods.length === 0) return undefined
  // While hidden (invisible), nothing of a live source may show: reachability and hours as when offline.
  const hidden = presence.availability === 'invisible' || presence.availability === 'offline'
  // Usable hours follow the zone the person publishes while travelling; an unknown zone never breaks a view.
  const published = hidden ? undefined : presence.timeZone
  const timeZone =
    published !== undefined && isValidTimeZone(published) ? published : profile.timeZone
  const methods = profile.contactMethods
    .filter(
      (m) =>
        permissions.contactScopes.includes(m.scope) || permissions.contactMethodIds.includes(m.id),
    )
    .map((m) => ({
      kind: m.kind,
      address: m.address,
      rank: m.rank,
      scope: m.scope,
      reachable: isReachable(m, presence, { now, timeZone }),
    }))
    .sort((a, b) => a.rank - b.rank || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))
  return methods.length > 0 ? methods : undefined
}

const devicesFor = (presence: Presence): readonly ViewDevice[] =>
  presence.devices.map((d) => {
    const device: Mutable<ViewDevice> = {
      id: d.id,
      capabilities: d.capabilities,
      availability: d.availability,
      idle: d.idle,
    }
    if (d.name !== undefined) device.name = d.name
    if (d.kind !== undefined) device.kind = d.kind
    return device
  })

/**
 * Computes what one watcher sees. Pure: the same input always gives the same view. Optional fields
 * are set in place, in one order, and only when defined (absent fields stay absent: stable JSON and
 * equality), so that every view of the same permissions has one shape.
 */
export const computeView = (input: ViewInput): View => {
  const { presence, permissions: p } = input
  if (p.subscription === 'block') return { address: presence.address, availability: 'offline' }
  if (p.subscription !== 'allow' || p.appearOffline) return bareOffline(input)
  if (p.offWork) return offWorkView(input)
  const methods = contactMethodsFor(input)
  if (presence.availability === 'invisible' || presence.availability === 'offline') {
    const view: Mutable<View> = bareOffline(input)
    if (p.note && presence.note !== undefined) view.note = presence.note
    if (methods !== undefined) view.contactMethods = methods
    if (p.lastSeen && presence.lastSeen !== undefined) view.lastSeen = presence.lastSeen
    return view
  }
  const view: Mutable<View> = {
    address: presence.address,
    displayName: input.profile.displayName,
    availability: presence.availability,
  }
  if (p.activities && presence.activities !== undefined) view.activities = presence.activities
  if (p.note && presence.note !== undefined) view.note = presence.note
  if (p.mood && presence.mood !== undefined) view.mood = presence.mood
  if (p.place && presence.place !== undefined) view.place = presence.place
  const location = coarsenLocation(presence.location, p.location)
  if (location !== undefined) view.location = location
  if (p.workLocation && presence.workLocation !== undefined)
    view.workLocation = presence.workLocation
  const timeZone = p.timeZone ? (presence.timeZone ?? input.profile.timeZone) : undefined
  if (timeZone !== undefined) view.timeZone = timeZone
  if (p.devices) view.devices = devicesFor(presence)
  if (methods !== undefined) view.contactMethods = methods
  return view
}
