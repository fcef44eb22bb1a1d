// Aggregation of live publications into one presence (DESIGN.md, "Availability and aggregation"); core.
// Pure and order-independent: the same set of publications always gives the same presence.
import type {
  Activity,
  ActivityKind,
  ContactKind,
  Publication,
  SourceAvailability,
} from '../model/presence-model.js'
import type { Mutable } from '../model/mutable.js'
import { asynchronousContactKinds, contactKinds } from '../model/presence-model.js'
import type {
  ActivityProvenance,
  AvailabilityProvenance,
  DeviceSummary,
  Presence,
  Provenance,
} from './presence.js'

export interface AggregationOptions {
  readonly now: number
  /** A device with no real activity for this long counts as `away`. */
  readonly idleAfterMs: number
  readonly lastSeen?: number
}

/** Device availabilities from strongest to weakest (DESIGN.md rule 3). */
const deviceOrder: readonly SourceAvailability[] = [
  'do-not-disturb',
  'busy',
  'available',
  'be-right-back',
  'away',
]

/** Activities that decide availability when a phone, conference or calendar source reports them. */
export const activityAvailability: Readonly<Partial<Record<ActivityKind, SourceAvailability>>> = {
  presenting: 'do-not-disturb',
  'in-a-call': 'busy',
  'in-a-conference': 'busy',
  'in-a-meeting': 'busy',
  'out-of-office': 'away',
  'on-vacation': 'away',
}

const activityDrivers = new Set(['phone', 'conference', 'calendar', 'integration'])

/**
 * The provenance of an availability a source decided: its `until` when the publication has an end
 * (mirrors `connectionBound`: a publication that lives as long as its connection has none to tell).
 */
const decidedBy = (
  rule: AvailabilityProvenance['rule'],
  p: Publication,
): AvailabilityProvenance => {
  const provenance: Mutable<AvailabilityProvenance> = {
    rule,
    sourceId: p.source.id,
    sourceKind: p.source.kind,
  }
  if (p.expiresAt < Number.MAX_SAFE_INTEGER) provenance.until = p.expiresAt
  return provenance
}

export const isLive = (publication: Publication, now: number): boolean =>
  publication.expiresAt > now

/** Sources that say what the person meant or planned, not that they are there. */
const notOnline = new Set(['manual', 'calendar', 'schedule'])

/** A publication that on its own means the person is online (manual choices, calendars and schedules do not). */
const makesOnline = (publication: Publication): boolean => !notOnline.has(publication.source.kind)

const isManual = (publication: Publication): boolean => publication.source.kind === 'manual'

/** What is shown while online: what makes the person online, and the person's own choices. */
const onlineOrManual = (publication: Publication): boolean =>
  makesOnline(publication) || isManual(publication)

const choosesAvailability = (p: Publication): boolean =>
  isManual(p) && p.state.availability !== undefined

/** Who wins for a field without an order of its own (work location): manual, then automatic, then scheduled. */
const tierOf = (publication: Publication): number =>
  publication.source.kind === 'manual'
    ? 0
    : publication.source.kind === 'schedule' || publication.source.kind === 'calendar'
      ? 2
      : 1

/** Stable order of publications, so that aggregation never depends on arrival order. */
const bySource = (a: Publication, b: Publication): number =>
  a.source.id < b.source.id ? -1 : a.source.id > b.source.id ? 1 : 0

/** Newest first, ties broken by source id. */
const newestFirst = (a: Publication, b: Publication): number =>
  b.publishedAt - a.publishedAt || bySource(a, b)

/** The person's own choices first, then newest first. */
const manualFirst = (a: Publication, b: Publication): number =>
  Number(isManual(b)) - Number(isManual(a)) || newestFirst(a, b)

/** By `tierOf`, then newest first. */
const byTier = (a: Publication, b: Publication): number =>
  tierOf(a) - tierOf(b) || newestFirst(a, b)

export const isIdle = (publication: Publication, options: AggregationOptions): boolean => {
  if (publication.source.kind !== 'device') return false
  if (publication.idle === true) return true
  const lastActive = publication.lastActiveAt ?? publication.publishedAt
  return options.now - lastActive >= options.idleAfterMs
}

const deviceAvailability = (p: Publication, options: AggregationOptions): SourceAvailability => {
  const own = p.state.availability
  const published: SourceAvailability =
    own === undefined || own === 'offline' || own === 'invisible' ? 'available' : own
  if ((published === 'available' || published === 'be-right-back') && isIdle(p, options)) {
    return 'away'
  }
  return published
}

/** The availability a phone, conference, calendar or integration source drives through an activity. */
const drivenByActivity = (p: Publication): readonly [SourceAvailability, Activity][] =>
  activityDrivers.has(p.source.kind)
    ? (p.state.activities ?? []).flatMap((a) => {
        const driven = activityAvailability[a.kind]
        return driven === undefined ? [] : [[driven, a] as [SourceAvailability, Activity]]
      })
    : []

/** What a schedule sets (scheduled do-not-disturb): its availability, where it sets one. */
const scheduledAvailability = (p: Publication): SourceAvailability | undefined => {
  const own = p.state.availability
  return p.source.kind !== 'schedule' ||
    own === undefined ||
    own === 'offline' ||
    own === 'invisible'
    ? undefined
    : own
}

/**
 * Rule 2: the strongest availability that an activity of an automatic source or a schedule drives.
 * At equal strength the automatic source wins over the schedule (publications are sorted by source
 * id, and a schedule replaces only a strictly stronger candidate).
 */
const activityRule = (live: readonly Publication[]): AvailabilityProvenance | undefined => {
  let best: AvailabilityProvenance | undefined
  let bestRank = deviceOrder.length
  const consider = (p: Publication, availability: SourceAvailability, activity?: Activity) => {
    const rank = deviceOrder.indexOf(availability)
    const scheduled = activity === undefined
    if (rank > bestRank || (rank === bestRank && (scheduled || best?.rule === 'activity'))) return
    bestRank = rank
    // A known end only: an activity's own `until`, or the end of a schedule. The expiry of a phone
    // system's publication is a safety net, not when the call ends.
    const until = scheduled ? p.expiresAt : activity.until
    best = {
      rule: scheduled ? 'scheduled' : 'activity',
      sourceId: p.source.id,
      sourceKind: p.source.kind,
      ...(activity === undefined ? {} : { activity: activity.kind }),
      ...(until === undefined ? {} : { until }),
    }
  }
  for (const p of live) {
    for (const [availability, activity] of drivenByActivity(p)) consider(p, availability, activity)
    const scheduled = scheduledAvailability(p)
    if (scheduled !== undefined) consider(p, scheduled)
  }
  return best
}

interface AvailabilityDecision {
  readonly availability: Presence['availability']
  readonly provenance: AvailabilityProvenance
}

const decideAvailability = (
  live: readonly Publication[],
  options: AggregationOptions,
): AvailabilityDecision => {
  const online = kept(live, makesOnline)
  if (online.length === 0)
    return { availability: 'offline', provenance: { rule: 'no-live-source' } }
  const manual = live.find(choosesAvailability)
  const chosen = manual?.state.availability
  if (manual && chosen !== undefined) {
    const hidden = chosen === 'invisible' || chosen === 'offline'
    const provenance = decidedBy(hidden ? 'invisible' : 'manual', manual)
    return { availability: hidden ? 'invisible' : chosen, provenance }
  }
  const byActivity = activityRule(live)
  if (byActivity)
    return { availability: ruleAvailability(live, byActivity), provenance: byActivity }
  return decideByDevices(online, options)
}

const ruleAvailability = (
  live: readonly Publication[],
  rule: AvailabilityProvenance,
): SourceAvailability =>
  rule.activity !== undefined
    ? activityAvailability[rule.activity]!
    : scheduledAvailability(live.find((p) => p.source.id === rule.sourceId)!)!

const decideByDevices = (
  online: readonly Publication[],
  options: AggregationOptions,
): AvailabilityDecision => {
  // The strongest; the first of equals (as a stable sort would give).
  let top = online[0]!
  let availability = deviceAvailability(top, options)
  for (let i = 1; i < online.length; i++) {
    const candidate = deviceAvailability(online[i]!, options)
    if (deviceOrder.indexOf(candidate) < deviceOrder.indexOf(availability)) {
      top = online[i]!
      availability = candidate
    }
  }
  const idle = availability === 'away' && top.state.availability !== 'away' && isIdle(top, options)
  return { availability, provenance: decidedBy(idle ? 'idle' : 'device', top) }
}

const activityKey = (activity: Activity): string =>
  activity.kind === 'custom' ? `custom:${activity.text ?? ''}` : activity.kind

/**
 * The activities of a presence whose sources state none (most): one array for all of them (not
 * frozen: a frozen array has elements of another kind, and every reader of activities would then
 * see two shapes).
 */
const noActivities: readonly ActivityProvenance[] = []

const statesActivities = (p: Publication): boolean =>
  p.state.activities !== undefined && p.state.activities.length > 0

const collectActivities = (live: readonly Publication[]): readonly ActivityProvenance[] => {
  if (!live.some(statesActivities)) return noActivities
  const seen = new Map<string, ActivityProvenance>()
  for (const p of live) {
    for (const activity of p.state.activities ?? []) {
      const key = activityKey(activity)
      if (!seen.has(key))
        seen.set(key, { activity, sourceId: p.source.id, sourceKind: p.source.kind })
    }
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v)
}

/** The first publication of `ordered` that has a value for `pick`. */
const firstWith = (
  ordered: readonly Publication[],
  pick: (p: Publication) => unknown,
): Publication | undefined => {
  for (let i = 0; i < ordered.length; i++) if (pick(ordered[i]!) !== undefined) return ordered[i]
  return undefined
}

/** The details a publication may state, read by `firstWith` (made once, not per aggregation). */
const locationOf = (p: Publication) => p.state.location
const workLocationOf = (p: Publication) => p.state.workLocation
const moodOf = (p: Publication) => p.state.mood
const placeOf = (p: Publication) => p.state.place
const timeZoneOf = (p: Publication) => p.state.timeZone

/** The first publication of `ordered` with a note still live at `now`, and that note. */
const firstNote = (ordered: readonly Publication[], now: number): Publication | undefined => {
  for (let i = 0; i < ordered.length; i++) {
    const { note } = ordered[i]!.state
    if (note && (note.expiresAt ?? Infinity) > now) return ordered[i]
  }
  return undefined
}

const summarizeDevices = (
  online: readonly Publication[],
  options: AggregationOptions,
): readonly DeviceSummary[] => {
  const devices: DeviceSummary[] = []
  for (let i = 0; i < online.length; i++) {
    const p = online[i]!
    if (p.state.device === undefined) continue
    devices.push({
      ...p.state.device,
      id: p.source.id,
      availability: deviceAvailability(p, options),
      idle: isIdle(p, options),
    })
  }
  return devices
}

/** Whether a device of `online` can be reached by `kind`. */
const capable = (online: readonly Publication[], kind: ContactKind): boolean => {
  for (let i = 0; i < online.length; i++) {
    if (online[i]!.state.device?.capabilities?.includes(kind)) return true
  }
  return false
}

/**
 * The kinds of contact that reach the person, in `contactKinds`' order: one array for each set of
 * kinds, made once (there are 2^6 of them), so a change makes none.
 */
const reachableKinds = (online: readonly Publication[]): readonly ContactKind[] => {
  let set = 0
  for (let i = 0; i < contactKinds.length; i++) {
    const kind = contactKinds[i]!
    if (asynchronousContactKinds.includes(kind) || capable(online, kind)) set |= 1 << i
  }
  return (kindSets[set] ??= contactKinds.filter((_, i) => (set & (1 << i)) !== 0))
}

/** The arrays `reachableKinds` gives, by the set of kinds (bit i: `contactKinds[i]`). */
const kindSets: (readonly ContactKind[] | undefined)[] = []

const offlineReachable: readonly ContactKind[] = [...asynchronousContactKinds]

/**
 * The items `keep` keeps (given `arg` as well, so that a reader made once serves every call):
 * `items` itself when it keeps them all (most presentities have one live publication, and
 * aggregation runs on every change).
 */
const kept = <T, A = undefined>(
  items: readonly T[],
  keep: (item: T, arg: A) => boolean,
  arg?: A,
): readonly T[] => {
  for (let i = 0; i < items.length; i++) {
    if (!keep(items[i]!, arg as A)) return items.filter((item) => keep(item, arg as A))
  }
  return items
}

/** The items in `order`, as a new array when there is anything to sort (`items` is never sorted). */
const sortedCopy = <T>(items: readonly T[], order: (a: T, b: T) => number): readonly T[] =>
  items.length > 1 ? [...items].sort(order) : items

/** The publications live at `now`: `publications` itself when all are (most of the time). */
export const liveAt = (publications: readonly Publication[], now: number): readonly Publication[] =>
  kept(publications, isLive, now)

/**
 * Which source decided each detail: the winning publications among the live ones. Every reader and
 * order is made once for all aggregations, not per call: aggregation runs on every change.
 */
const pickDetails = (
  live: readonly Publication[],
  availability: Presence['availability'],
  options: AggregationOptions,
) => {
  const offline = availability === 'offline'
  const online = offline ? noPublications : kept(live, makesOnline)
  const ordered = sortedCopy(live, manualFirst)
  // While hidden, only the person's own durable note may show: a device's note would betray a device.
  const hidden = offline || availability === 'invisible'
  const noteCandidates = hidden ? kept(ordered, isManual) : ordered
  // What is online, and the person's own choices (only these while offline).
  const onlineOrdered = kept(ordered, offline ? isManual : onlineOrManual)
  return {
    online,
    hidden,
    note: firstNote(noteCandidates, options.now),
    location: offline ? undefined : firstWith(onlineOrdered, locationOf),
    workLocation: offline ? undefined : firstWith(sortedCopy(ordered, byTier), workLocationOf),
    mood: offline ? undefined : firstWith(onlineOrdered, moodOf)?.state.mood,
    place: offline ? undefined : firstWith(onlineOrdered, placeOf)?.state.place,
    timeZone: firstWith(onlineOrdered, timeZoneOf)?.state.timeZone,
  }
}

const noPublications: readonly Publication[] = []

/** The kinds of the activities of a presence whose sources state none (see `noActivities`). */
const noActivityKinds: readonly Activity[] = []

/** Aggregates the publications of one presentity. Expired publications are ignored. */
export const aggregate = (
  address: string,
  publications: readonly Publication[],
  options: AggregationOptions,
): Presence => {
  const live = sortedCopy(liveAt(publications, options.now), bySource)
  const { availability, provenance } = decideAvailability(live, options)
  const { online, hidden, note, location, workLocation, mood, place, timeZone } = pickDetails(
    live,
    availability,
    options,
  )
  const activities = availability === 'offline' ? noActivities : collectActivities(live)
  // Built once, its optional fields set in place in their order (as `withOptional` would add them).
  const sources: Mutable<Provenance> = { availability: provenance, activities }
  if (note) sources.note = note.source.id
  if (location) sources.location = location.source.id
  if (workLocation) sources.workLocation = workLocation.source.id
  const presence: Mutable<Presence> = {
    address,
    availability,
    activities: activities.length === 0 ? noActivityKinds : activities.map((a) => a.activity),
    devices: summarizeDevices(online, options),
    reachable: availability === 'offline' ? offlineReachable : reachableKinds(online),
    provenance: sources,
  }
  if (note) presence.note = note.state.note
  if (mood !== undefined) presence.mood = mood
  if (place !== undefined) presence.place = place
  if (location) presence.location = location.state.location
  if (workLocation) presence.workLocation = workLocation.state.workLocation
  if (timeZone !== undefined) presence.timeZone = timeZone
  if (hidden && options.lastSeen !== undefined) presence.lastSeen = options.lastSeen
  return presence
}

/** Adds the defined values only, so that absent fields stay absent (stable JSON, stable equality). */
export const withOptional = <T extends object>(base: T, extra: Partial<T>): T => {
  const result = { ...base } as Record<string, unknown>
  const fields = extra as Record<string, unknown>
  // for…in over a plain object literal: its own keys in order, and no array of entries per call.
  for (const key in fields) {
    const value = fields[key]
    if (value !== undefined) result[key] = value
  }
  return result as T
}
