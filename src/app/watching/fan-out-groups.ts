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
import { unwatchedMessage } from './watch-messages.js'

/** Whoever receives: the fan-out state needs only to know whose it is. */
export interface FanOutSink {
  readonly watcher: Party
}

/** The watchers of one presentity that share a set of permissions, hence one view. */
export interface Group<S> {
  /** `permissionsKey(permissions)`: the group's key among the groups of its presentity. */
  readonly key: string
  readonly permissions: Permissions
  readonly sinks: Set<S>
  /** The serialized view the group last got: shared by every watcher of the group. */
  json: string
  /** Audited details (contact methods, location) of that view. */
  details: readonly string[]
}

export interface FanOutState<S> {
  readonly byPresentity: Map<string, Map<string, Group<S>>>
  /** The group each sink is in, per presentity it watches (the group, not its key). */
  readonly bySink: Map<S, Map<string, Group<S>>>
}

/** Sinks left out of a delivery. */
export type Except<S> = Pick<ReadonlySet<S>, 'has'>

/**
 * One message for many sinks: every sink of `to` but those of `except`. `to` may be a group's own
 * set, so a delivery is sent at once, before the state changes again.
 */
export interface Delivery<S> {
  readonly message: string
  readonly seq: number
  readonly to: Iterable<S>
  readonly except?: Except<S>
}

/** Details disclosed to the sinks of `to` (but `except`); the owner seeing themselves is no disclosure. */
export interface Disclosure<S> {
  readonly details: readonly string[]
  readonly to: Iterable<S>
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
  if (found) return found
  const view =
    args.now === undefined ? { json: '', details: [] } : viewOf(entry, args.permissions, args.now)
  const group: Group<S> = { key, permissions: args.permissions, sinks: new Set(), ...view }
  groups.set(key, group)
  return group
}

export const enter = <S>(
  state: FanOutState<S>,
  sink: S,
  group: Group<S>,
  address: string,
): void => {
  group.sinks.add(sink)
  let groups = state.bySink.get(sink)
  if (!groups) state.bySink.set(sink, (groups = new Map()))
  groups.set(address, group)
}

/** Stops live delivery of `address` to `sink`; its group goes when it was the last one in it. */
export const leave = <S>(state: FanOutState<S>, sink: S, address: string): FanOutState<S> => {
  const mine = state.bySink.get(sink)
  const group = mine?.get(address)
  if (group === undefined) return state
  mine!.delete(address)
  group.sinks.delete(sink)
  if (group.sinks.size > 0) return state
  const groups = state.byPresentity.get(address)
  if (groups?.get(group.key) === group) groups.delete(group.key)
  if (groups?.size === 0) state.byPresentity.delete(address)
  return state
}

/** Stops everything a sink receives. */
export const detach = <S>(state: FanOutState<S>, sink: S): FanOutState<S> => {
  for (const address of [...(state.bySink.get(sink)?.keys() ?? [])]) leave(state, sink, address)
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
  for (const groups of state.bySink.values()) count += groups.size
  return count
}

/** Presentities that one of `watchers` watches live. */
export const watchedBy = <S extends FanOutSink>(
  state: FanOutState<S>,
  watchers: ReadonlySet<string>,
): Set<string> => {
  const addresses = new Set<string>()
  for (const [sink, groups] of state.bySink) {
    if (watchers.has(sink.watcher.address))
      for (const address of groups.keys()) addresses.add(address)
  }
  return addresses
}
