// The state of live fan-out, in the manner of Phoenix.Tracker.State: watchers grouped by permissions
// per presentity, one view computed and serialized per group, and what to send on each change. Pure:
// no I/O, clock, bus or engine; time, presences and permissions come in as arguments. The Maps of the
// state are updated in place (a change to 10,000 watchers costs what its groups cost); app layer.
import type { Party } from '../../core/policy/decide-permissions.js'
import type { Permissions } from '../../core/policy/permissions.js'
import { permissionsKey } from '../../core/policy/permissions.js'
import { computeView } from '../../core/policy/compute-view.js'
import { disclosedDetails } from '../policy/index.js'
import type { HistoryEntry } from '../presence/index.js'
import { replay, type ResumeHistory } from './resume-replay.js'
import { serializeView } from './view-json.js'
import { changeMessage, snapshotMessage, unwatchedMessage } from './watch-messages.js'

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

export const emptyFanOutState = <S>(): FanOutState<S> => ({ byPresentity: new Map(), bySink: new Map() })

const outcome = <S>(state: FanOutState<S>, change: FanOutChange): FanOut<S> => ({
  state,
  address: change.address,
  organizationId: change.entry.profile.organizationId,
  deliveries: [],
  disclosures: [],
  notifications: 0,
  views: 0,
})

const viewOf = (entry: HistoryEntry, permissions: Permissions, now: number) => {
  const view = computeView({ presence: entry.presence, profile: entry.profile, permissions, now })
  return { json: serializeView(view), details: disclosedDetails(view) }
}

/**
 * The group of `permissions`, made when missing, with its view of `entry` at `now`; or, without
 * `now`, with no view yet (a policy change computes it next, for every group at once).
 */
const groupFor = <S>(
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
  const view = args.now === undefined ? { json: '', details: [] } : viewOf(entry, args.permissions, args.now)
  const group: Group<S> = { key, permissions: args.permissions, sinks: new Set(), ...view }
  groups.set(key, group)
  return group
}

const enter = <S>(state: FanOutState<S>, sink: S, group: Group<S>, address: string): void => {
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

/** Where a watch starts: a snapshot as of `at` (the engine's cursor), or a resume from a cursor. */
export type JoinStart =
  | { readonly kind: 'snapshot'; readonly at: number; readonly resync: boolean }
  | {
      readonly kind: 'resume'
      readonly cursor: number
      readonly at: number
      readonly marked: boolean
      readonly history: ResumeHistory
    }

/**
 * Starts live delivery of `change.address` to `sink` under `permissions`, in the group of those
 * permissions; what to send first depends on `start`. A blocked watcher joins nothing.
 */
export const join = <S extends FanOutSink>(
  state: FanOutState<S>,
  args: { sink: S; change: FanOutChange; permissions: Permissions; start: JoinStart },
  now: number,
): FanOut<S> & { joined: boolean } => {
  const { sink, change, permissions, start } = args
  const out = outcome(state, change)
  if (permissions.subscription === 'block') return { ...out, joined: false }
  const { address, entry } = change
  leave(state, sink, address)
  const group = groupFor(state, change, { permissions, now })
  enter(state, sink, group, address)
  const sent =
    start.kind === 'resume'
      ? replay({ ...start, address, permissions, current: entry }, now)
      : [{ message: snapshotMessage(address, start.at, group.json, start.resync), seq: start.at }]
  for (const { message, seq } of sent) out.deliveries.push({ message, seq, to: [sink] })
  out.notifications += sent.length
  out.disclosures.push({ details: group.details, to: [sink] })
  return { ...out, joined: true }
}

/**
 * Fans a presence change out: each group's view is computed and serialized once, and sent to the
 * group when it differs from the group's last one. Disclosures are audited when the disclosed
 * details change, not per notification.
 */
export const fanOut = <S>(state: FanOutState<S>, change: FanOutChange, now: number): FanOut<S> => {
  const out = outcome(state, change)
  for (const group of state.byPresentity.get(change.address)?.values() ?? []) {
    const view = viewOf(change.entry, group.permissions, now)
    out.views++
    const disclosed = view.details.length > 0 && view.details.join(',') !== group.details.join(',')
    const changed = view.json !== group.json
    group.json = view.json
    group.details = view.details
    if (!changed) continue
    const { seq } = change.entry
    out.deliveries.push({ message: changeMessage(change.address, seq, view.json), seq, to: group.sinks })
    out.notifications += group.sinks.size
    if (disclosed) out.disclosures.push({ details: view.details, to: group.sinks })
  }
  return out
}

/** What a sink moved by a policy change had before: its view, and whether it was hidden. */
interface Moved {
  readonly previous: string
  readonly wasHidden: boolean
}

/**
 * Applies a policy change to the live watchers of `change.address`: each moves to the group of the
 * permissions `permissionsOf` gives now, then each group's view of `change.entry` is computed once,
 * only under the permissions in force now (nobody gets a last view under a grant that just ended).
 * A watcher that became blocked is told `unwatched`; one that could not see the presentity and now
 * can gets a snapshot; one that moved gets a change when its view differs from what it had; the
 * others as for a presence change.
 */
export const refresh = <S extends FanOutSink>(
  state: FanOutState<S>,
  args: { change: FanOutChange; permissionsOf: (watcher: Party) => Permissions },
  now: number,
): FanOut<S> => {
  const { change, permissionsOf } = args
  const { address } = change
  const out = outcome(state, change)
  const moved = new Map<Group<S>, Map<S, Moved>>()
  const blocked: S[] = []
  for (const group of [...(state.byPresentity.get(address)?.values() ?? [])]) {
    for (const sink of [...group.sinks]) {
      const permissions = permissionsOf(sink.watcher)
      if (permissionsKey(permissions) === group.key) continue
      leave(state, sink, address)
      if (permissions.subscription === 'block') {
        blocked.push(sink)
        continue
      }
      const next = groupFor(state, change, { permissions })
      enter(state, sink, next, address)
      const wasHidden = group.permissions.subscription !== 'allow'
      let into = moved.get(next)
      if (!into) moved.set(next, (into = new Map()))
      into.set(sink, { previous: group.json, wasHidden })
    }
  }
  for (const group of state.byPresentity.get(address)?.values() ?? []) {
    refreshGroup(out, { group, moved: moved.get(group), change }, now)
  }
  if (blocked.length > 0) out.deliveries.push(unwatched(address, blocked))
  out.notifications += blocked.length
  return out
}

/** The messages of one group after a policy change: to those who stayed, and to those who moved in. */
const refreshGroup = <S>(
  out: FanOut<S>,
  args: { group: Group<S>; moved: ReadonlyMap<S, Moved> | undefined; change: FanOutChange },
  now: number,
): void => {
  const { group, moved, change } = args
  const view = viewOf(change.entry, group.permissions, now)
  out.views++
  const disclosed = view.details.length > 0 && view.details.join(',') !== group.details.join(',')
  const changed = view.json !== group.json
  group.json = view.json
  group.details = view.details
  const { seq } = change.entry
  const message = changeMessage(change.address, seq, view.json)
  const stayed = group.sinks.size - (moved?.size ?? 0)
  if (changed && stayed > 0) {
    out.deliveries.push({ message, seq, to: group.sinks, except: moved })
    out.notifications += stayed
    if (disclosed) out.disclosures.push({ details: view.details, to: group.sinks, except: moved })
  }
  if (moved) deliverMoved(out, { group, moved, message, seq })
}

/**
 * The message of each sink a policy change moved into `group`: a snapshot when it could not see the
 * presentity before, else a change when its view differs from what it had; each one is audited.
 */
const deliverMoved = <S>(
  out: FanOut<S>,
  args: { group: Group<S>; moved: ReadonlyMap<S, Moved>; message: string; seq: number },
): void => {
  const { group, moved, message, seq } = args
  const shown = group.permissions.subscription === 'allow'
  const snapshots: S[] = []
  const changes: S[] = []
  for (const [sink, before] of moved) {
    if (before.wasHidden && shown) snapshots.push(sink)
    else if (group.json !== before.previous) changes.push(sink)
  }
  if (snapshots.length > 0) {
    const snapshot = snapshotMessage(out.address, seq, group.json, false)
    out.deliveries.push({ message: snapshot, seq, to: snapshots })
  }
  if (changes.length > 0) out.deliveries.push({ message, seq, to: changes })
  const told = snapshots.concat(changes)
  out.notifications += told.length
  if (told.length > 0) out.disclosures.push({ details: group.details, to: told })
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
    if (watchers.has(sink.watcher.address)) for (const address of groups.keys()) addresses.add(address)
  }
  return addresses
}
