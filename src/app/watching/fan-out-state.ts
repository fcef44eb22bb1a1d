// The state of live fan-out, in the manner of Phoenix.Tracker.State: watchers grouped by permissions
// per presentity, one view computed and serialized per group, and what to send on each change. Pure:
// no I/O, clock, bus or engine; time, presences and permissions come in as arguments. The Maps of the
// state are updated in place (a change to 10,000 watchers costs what its groups cost); app layer.
import type { Party } from '../../core/policy/decide-permissions.js'
import type { Permissions } from '../../core/policy/permissions.js'
import { permissionsKey } from '../../core/policy/permissions.js'
import { sameData } from '../../core/model/canonical-json.js'
import type { FanOut, FanOutChange, FanOutSink, FanOutState, Group } from './fan-out-groups.js'
import {
  dropResting,
  enter,
  groupFor,
  leave,
  outcome,
  unwatched,
  viewOf,
} from './fan-out-groups.js'
import { replay, type ResumeHistory } from './resume-replay.js'
import { lendSinks, sinkCount } from './group-sinks.js'
import { changeMessage, snapshotMessage } from './watch-messages.js'

export type {
  Delivery,
  Disclosure,
  Except,
  FanOut,
  FanOutChange,
  FanOutSink,
  FanOutState,
  Group,
  Sinks,
} from './fan-out-groups.js'
export {
  forEachSink,
  detach,
  dropResting,
  emptyFanOutState,
  endWatches,
  leave,
  liveWatches,
  unwatched,
  watchedBy,
} from './fan-out-groups.js'
import { isHiddenFrom } from '../../core/subscriptions/hidden-presentity.js'

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
 * permissions; what to send first depends on `start`. A blocked watcher joins nothing. Whatever
 * it delivers or discloses is to `sink` alone.
 */
export const join = <S extends FanOutSink>(
  state: FanOutState<S>,
  args: { sink: S; change: FanOutChange; permissions: Permissions; start: JoinStart },
  now: number,
): FanOut<S> & { joined: boolean } => {
  const { sink, change, permissions, start } = args
  const group = enterGroup(state, sink, change, permissions, now)
  if (!group) return { ...outcome(state, change), joined: false }
  const { address, entry } = change
  // Arrays made at their size: a join is one of thousands in a reconnect storm.
  const to = [sink]
  const deliveries =
    start.kind === 'resume'
      ? replay({ ...start, address, permissions, current: entry }, now).map(({ message, seq }) => ({
          message,
          seq,
          to,
        }))
      : [
          {
            message: sharedSnapshot(state, group, start.at, start.resync),
            seq: start.at,
            to,
          },
        ]
  return {
    state,
    address,
    organizationId: entry.profile.organizationId,
    deliveries,
    disclosures: [{ details: group.details, to }],
    notifications: deliveries.length,
    views: 0,
    joined: true,
  }
}

/**
 * The moves of a join without what it sends: `sink` leaves its group of `change.address` and enters
 * the group of `permissions` (made with its view at `now` when missing). Undefined, and nothing
 * moved, when the permissions hide the presentity.
 */
export const enterGroup = <S extends FanOutSink>(
  state: FanOutState<S>,
  sink: S,
  change: FanOutChange,
  permissions: Permissions,
  now: number,
): Group<S> | undefined => {
  if (isHiddenFrom(permissions)) return undefined
  leave(state, sink, change.address)
  const group = groupFor(state, change, { permissions, now })
  enter(state, sink, group)
  return group
}

/**
 * A join from a snapshot (`join` with a snapshot start) as the group joined and the message that
 * starts it, with no outcome around them: a reconnect storm makes hundreds of thousands of these.
 * Its delivery is `message` at `at` to `sink`, and its disclosure the group's `details`.
 */
export const joinFromSnapshot = <S extends FanOutSink>(
  state: FanOutState<S>,
  args: { sink: S; change: FanOutChange; permissions: Permissions; at: number; resync: boolean },
  now: number,
): { readonly group: Group<S>; readonly message: string } | undefined => {
  const group = enterGroup(state, args.sink, args.change, args.permissions, now)
  return group && { group, message: sharedSnapshot(state, group, args.at, args.resync) }
}

/** Snapshot messages kept at most (a few hundred bytes each). */
const maxSnapshots = 2048

/** The group's snapshot message at `at`: the one made last when still the same, else a new one. */
const sharedSnapshot = <S>(state: FanOutState<S>, group: Group<S>, at: number, resync: boolean) => {
  const last = state.snapshots.get(group)
  if (last && last.at === at && last.resync === resync && last.json === group.json)
    return last.message
  const message = snapshotMessage(group.address, at, group.json, resync)
  if (state.snapshots.size >= maxSnapshots) state.snapshots.clear()
  state.snapshots.set(group, { at, resync, json: group.json, message })
  return message
}

/**
 * Fans a presence change out: each group's view is computed and serialized once, and sent to the
 * group when it differs from the group's last one. Disclosures are audited when the disclosed
 * details change, not per notification.
 */
export const fanOut = <S>(state: FanOutState<S>, change: FanOutChange, now: number): FanOut<S> => {
  const out = outcome(state, change)
  dropResting(state, change.address)
  for (const group of state.byPresentity.get(change.address)?.values() ?? []) {
    const view = viewOf(change.entry, group.permissions, now)
    out.views++
    const taken = adopt(group, view, change.entry.seq)
    if ((taken & viewChanged) === 0) continue
    const { seq } = change.entry
    const to = lendSinks(group)
    out.deliveries.push({ message: changeMessage(change.address, seq, view.json), seq, to })
    out.notifications += sinkCount(group)
    if ((taken & detailsDisclosed) !== 0) out.disclosures.push({ details: view.details, to })
  }
  return out
}

/** What `adopt` found: the serialized view changed; details were disclosed that the group had not. */
const viewChanged = 1
const detailsDisclosed = 2

/**
 * Takes a group's view of the latest presence. What equals what the group holds is not taken (the
 * same text, the same details), so that only what changed outlives the young generation.
 */
const adopt = <S>(
  group: Group<S>,
  view: { json: string; details: readonly string[] },
  seq: number,
): number => {
  let taken = 0
  group.seq = seq
  if (view.json !== group.json) {
    group.json = view.json
    taken |= viewChanged
  }
  if (!sameData(view.details, group.details)) {
    if (view.details.length > 0) taken |= detailsDisclosed
    group.details = view.details
  }
  return taken
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
      if (isHiddenFrom(permissions)) {
        blocked.push(sink)
        continue
      }
      const next = groupFor(state, change, { permissions })
      enter(state, sink, next)
      const wasHidden = group.permissions.subscription !== 'allow'
      let into = moved.get(next)
      if (!into) moved.set(next, (into = new Map()))
      into.set(sink, { previous: group.json, wasHidden })
    }
  }
  // Resting groups, and those everyone just left, are dropped before any view is computed (a sink
  // moved into a resting group woke it: it has watchers again and its view is computed below).
  dropResting(state, address)
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
  const taken = adopt(group, view, change.entry.seq)
  const changed = (taken & viewChanged) !== 0
  const disclosed = (taken & detailsDisclosed) !== 0
  const { seq } = change.entry
  const message = changeMessage(change.address, seq, view.json)
  const stayed = sinkCount(group) - (moved?.size ?? 0)
  if (changed && stayed > 0) {
    const to = lendSinks(group)
    out.deliveries.push({ message, seq, to, except: moved })
    out.notifications += stayed
    if (disclosed) out.disclosures.push({ details: view.details, to, except: moved })
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
