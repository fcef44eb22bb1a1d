// The groups of live fan-out: watchers of each presentity grouped by permissions, one serialized view
// per group, and the plain moves of the state (enter, leave, detach, queries). Pure; the Maps are
// updated in place; app layer.
import type { Party } from '../../core/policy/decide-permissions.js'
import type { Permissions } from '../../core/policy/permissions.js'
import { permissionsKey } from '../../core/policy/permissions.js'
import { computeView } from '../../core/policy/compute-view.js'
import { disclosedDetails } from '../policy/index.js'
import type { HistoryEntry } from '../presence/index.js'
import { serializeView } from './view-json.js'
import type { HoldsSinks } from './group-sinks.js'
import { addSink, hasSink, removeSink, sinkCount } from './group-sinks.js'
import { unwatchedMessage } from './watch-messages.js'

/** Whoever receives: the fan-out state needs only to know whose it is. */
export interface FanOutSink {
  readonly watcher: Party
}

/**
 * The watchers of one presentity that share a set of permissions, hence one view; its sinks are read
 * and changed through group-sinks.ts (an array while few, a Set when many).
 */
export interface Group<S> extends HoldsSinks<S> {
  /** `permissionsKey(permissions)`: the group's key among the groups of its presentity. */
  readonly key: string
  /** The presentity the group watches. */
  readonly address: string
  readonly permissions: Permissions
  /** The serialized view the group last got: shared by every watcher of the group. */
  json: string
  /** Audited details (contact methods, location) of that view. */
  details: readonly string[]
  /** The sequence number of the presence that view is of. */
  seq: number
}

export interface FanOutState<S> {
  readonly byPresentity: Map<string, Map<string, Group<S>>>
  /**
   * The groups each sink is in, one per presentity it watches, in no order: an array, not a Map by
   * address, because a session holds one of these for its whole life (a Map of 50 watches costs
   * 1.8 KB, the array about 0.6 KB). A sink's group of one presentity is found from the presentity's
   * few groups (`groupOf`), so only leaving scans the array.
   */
  readonly bySink: Map<S, Group<S>[]>
  /**
   * The snapshot message made last for a group, shared by every watcher that joins it at the same
   * cursor (a reconnect storm joins each group dozens of times in a row); bounded, emptied when full.
   */
  readonly snapshots: Map<Group<S>, SnapshotMessage>
  /**
   * Groups whose last watcher left, oldest first, kept with their view for whoever joins next (a
   * reconnect storm empties a group and fills it again within seconds). A resting group is in
   * `byPresentity` like the others, so the presentity's next change or policy refresh meets it: both
   * drop it (`dropResting`) instead of computing its view; at most `maxResting` are kept.
   */
  readonly resting: Set<Group<S>>
}

/** Groups kept without watchers at most (a few hundred bytes each). */
export const maxResting = 20_000

/** A group's snapshot at a cursor, made from the group's serialized view `json`. */
export interface SnapshotMessage {
  readonly at: number
  readonly resync: boolean
  readonly json: string
  readonly message: string
}

/** Whom a delivery goes to: a group's own set, or a list. */
export type Sinks<S> = ReadonlySet<S> | readonly S[]

/**
 * Calls `each` with every sink of `to`: a list by index, a set through its own `forEach` (a `for…of`
 * over a set made an iterator result per sink: a fan-out to thousands of watchers made thousands).
 */
export const forEachSink = <S>(to: Sinks<S>, each: (sink: S) => void): void => {
  if (isList(to)) for (let i = 0; i < to.length; i++) each(to[i]!)
  else to.forEach((sink) => each(sink))
}

const isList = <S>(to: Sinks<S>): to is readonly S[] => Array.isArray(to)

/** Sinks left out of a delivery. */
export type Except<S> = Pick<ReadonlySet<S>, 'has'>

/**
 * One message for many sinks: every sink of `to` but those of `except`. `to` may be a group's own
 * sinks, lent (group-sinks.ts): a lent array stays as it was while it is sent, a Set skips sinks
 * that leave meanwhile.
 */
export interface Delivery<S> {
  readonly message: string
  readonly seq: number
  readonly to: Sinks<S>
  readonly except?: Except<S>
}

/** Details disclosed to the sinks of `to` (but `except`); the owner seeing themselves is no disclosure. */
export interface Disclosure<S> {
  readonly details: readonly string[]
  readonly to: Sinks<S>
  readonly except?: Except<S>
}

/** What a step gives the shell to do, all about one presentity. */
export interface FanOut<S> {
  readonly state: FanOutState<S>
  readonly address: string
  readonly organizationId: string
  readonly deliveries: Delivery<S>[]
  readonly disclosures: Disclosure<S>[]
  /** Messages handed over (one per sink and delivery), and views computed. */
  notifications: number
  views: number
}

/** A presence at a sequence number, for the presentity `address`. */
export interface FanOutChange {
  readonly address: string
  readonly entry: HistoryEntry
}

export const emptyFanOutState = <S>(): FanOutState<S> => ({
  byPresentity: new Map(),
  bySink: new Map(),
  snapshots: new Map(),
  resting: new Set(),
})

export const outcome = <S>(state: FanOutState<S>, change: FanOutChange): FanOut<S> => ({
  state,
  address: change.address,
  organizationId: change.entry.profile.organizationId,
  deliveries: [],
  disclosures: [],
  notifications: 0,
  views: 0,
})

export const viewOf = (entry: HistoryEntry, permissions: Permissions, now: number) => {
  const view = computeView({ presence: entry.presence, profile: entry.profile, permissions, now })
  return { json: serializeView(view), details: disclosedDetails(view) }
}

/**
 * The group of `permissions`, made when missing, with its view of `entry` at `now`; or, without
 * `now`, with no view yet (a policy change computes it next, for every group at once).
 */
export const groupFor = <S>(
  state: FanOutState<S>,
  change: FanOutChange,
  args: { permissions: Permissions; now?: number },
): Group<S> => {
  const { address, entry } = change
  const key = permissionsKey(args.permissions)
  let groups = state.byPresentity.get(address)
  if (!groups) state.byPresentity.set(address, (groups = new Map()))
  const found = groups.get(key)
  if (found) return state.resting.delete(found) ? wake(found, change, args.now) : found
  const view =
    args.now === undefined ? { json: '', details: [] } : viewOf(entry, args.permissions, args.now)
  const group: Group<S> = {
    key,
    address,
    permissions: args.permissions,
    sinks: [],
    lent: false,
    json: view.json,
    details: view.details,
    seq: args.now === undefined ? -1 : entry.seq,
  }
  groups.set(key, group)
  return group
}

/**
 * A resting group joined again: its view is kept when it is of `change`'s presence (nothing changed
 * the presentity since, or the change would have dropped the group), else computed again.
 */
const wake = <S>(group: Group<S>, change: FanOutChange, now: number | undefined): Group<S> => {
  const { entry } = change
  if (now !== undefined && group.seq !== entry.seq) {
    const view = viewOf(entry, group.permissions, now)
    group.json = view.json
    group.details = view.details
    group.seq = entry.seq
  }
  return group
}

/**
 * Drops the resting groups of `address` (its presence or its policy changed: their views are
 * outdated). True when a group with watchers is left.
 */
export const dropResting = <S>(state: FanOutState<S>, address: string): boolean => {
  const groups = state.byPresentity.get(address)
  if (!groups) return false
  for (const group of groups.values()) if (sinkCount(group) === 0) dropGroup(state, group)
  return groups.size > 0
}

/** Takes an empty group out of the state. */
const dropGroup = <S>(state: FanOutState<S>, group: Group<S>): void => {
  const groups = state.byPresentity.get(group.address)
  if (groups?.get(group.key) === group) groups.delete(group.key)
  state.snapshots.delete(group)
  state.resting.delete(group)
  if (groups?.size === 0) state.byPresentity.delete(group.address)
}

/** Puts `sink` in `group` (it is in no other group of the group's presentity: `leave` first). */
export const enter = <S>(state: FanOutState<S>, sink: S, group: Group<S>): void => {
  addSink(group, sink)
  const groups = state.bySink.get(sink)
  if (groups) groups.push(group)
  else state.bySink.set(sink, [group])
}

/** The group of `address` that `sink` is in, if any: a presentity has few groups. */
export const groupOf = <S>(
  state: FanOutState<S>,
  sink: S,
  address: string,
): Group<S> | undefined => {
  for (const group of state.byPresentity.get(address)?.values() ?? []) {
    if (hasSink(group, sink)) return group
  }
  return undefined
}

/** Stops live delivery of `address` to `sink`; its group goes when it was the last one in it. */
export const leave = <S>(state: FanOutState<S>, sink: S, address: string): FanOutState<S> => {
  const mine = state.bySink.get(sink)
  // A sink that watches nothing yet (each join of a new connection) has nothing to leave.
  if (mine === undefined) return state
  const group = groupOf(state, sink, address)
  if (group === undefined) return state
  const at = mine.indexOf(group)
  mine[at] = mine[mine.length - 1]!
  mine.pop()
  if (mine.length === 0) state.bySink.delete(sink)
  leaveGroup(state, sink, group)
  return state
}

/** Takes `sink` out of `group`; a group left empty rests (the oldest resting one goes when full). */
const leaveGroup = <S>(state: FanOutState<S>, sink: S, group: Group<S>): void => {
  removeSink(group, sink)
  if (sinkCount(group) > 0) return
  if (state.resting.size >= maxResting) dropGroup(state, state.resting.values().next().value!)
  state.resting.add(group)
}

/** Stops everything a sink receives. */
export const detach = <S>(state: FanOutState<S>, sink: S): FanOutState<S> => {
  for (const group of state.bySink.get(sink) ?? []) leaveGroup(state, sink, group)
  state.bySink.delete(sink)
  return state
}

/** Ends live delivery of `address` to every sink of `watcherAddress` (or to everyone), telling why. */
export const endWatches = <S extends FanOutSink>(
  state: FanOutState<S>,
  address: string,
  watcherAddress?: string,
): readonly S[] => {
  const ended: S[] = []
  for (const group of [...(state.byPresentity.get(address)?.values() ?? [])]) {
    for (const sink of [...group.sinks]) {
      if (watcherAddress !== undefined && sink.watcher.address !== watcherAddress) continue
      leave(state, sink, address)
      ended.push(sink)
    }
  }
  if (watcherAddress === undefined) dropResting(state, address)
  return ended
}

/** The message that tells a sink it no longer watches `address`. */
export const unwatched = <S>(address: string, to: readonly S[]): Delivery<S> => ({
  message: unwatchedMessage(address),
  seq: 0,
  to,
})

/** Live (sink, presentity) pairs. */
export const liveWatches = <S>(state: FanOutState<S>): number => {
  let count = 0
  for (const groups of state.bySink.values()) count += groups.length
  return count
}

/** Presentities that one of `watchers` watches live. */
export const watchedBy = <S extends FanOutSink>(
  state: FanOutState<S>,
  watchers: ReadonlySet<string>,
): Set<string> => {
  const addresses = new Set<string>()
  for (const [sink, groups] of state.bySink) {
    if (watchers.has(sink.watcher.address)) for (const group of groups) addresses.add(group.address)
  }
  return addresses
}
