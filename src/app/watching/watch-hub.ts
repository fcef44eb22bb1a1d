// The shell of live fan-out: reads the engine, the policies and the clock, applies each change through
// the pure fan-out state (fan-out-state.ts), and sends, audits and counts what it returns; app layer.
import type { Party } from '../../core/policy/decide-permissions.js'
import type { Permissions } from '../../core/policy/permissions.js'
import type { Profile } from '../../core/model/presence-model.js'
import type { ChangeBus } from '../../ports/bus.js'
import type { Clock } from '../../ports/clock.js'
import type { AuditLog, PolicyDirectory } from '../policy/index.js'
import type { PresenceEngine } from '../presence/index.js'
import { onAccessEnded, onPolicyChanged, onPresenceChanged, SetMap } from '../shared/index.js'
import type { FanOut, FanOutChange, FanOutState, JoinStart } from './fan-out-state.js'
import {
  detach,
  dropResting,
  emptyFanOutState,
  endWatches,
  fanOut,
  forEachSink,
  join,
  joinFromSnapshot,
  leave,
  liveWatches,
  refresh,
  watchedBy,
} from './fan-out-state.js'
import { PendingRefresh } from './pending-refresh.js'
import { unwatchedMessage } from './watch-messages.js'
import { isOwner } from '../../core/policy/effective-handling.js'

/** A live watcher connection, as transports implement it. */
export interface WatcherSink {
  readonly watcher: Party
  /** Delivers one serialized message; the same string is shared by every watcher of a view. */
  send(message: string, address: string, seq: number): void
  /** Presentities with messages not yet written to the peer (kept back for a slow reader). */
  undelivered?(): Iterable<string>
}

/** Watcher/presentity pairs whose connection ended with a message undelivered; bounded. */
const maxUndeliveredMarks = 100_000

/**
 * Where a watch starts: a snapshot; a snapshot marked `resync` (the watcher's cursor belongs to an
 * earlier server run); or only the changes after `cursor`, the highest sequence number it saw.
 */
export type WatchFrom =
  | { readonly kind: 'snapshot' }
  | { readonly kind: 'resync' }
  | { readonly kind: 'resume'; readonly cursor: number }

/**
 * Permissions of a sink's watcher on a presentity, decided by the caller (checking the subscription)
 * with this profile object at this revision of the policy directory.
 */
export interface DecidedPermissions {
  readonly permissions: Permissions
  readonly profile: Profile
  readonly revision: number
}

export interface WatchHubOptions {
  readonly engine: PresenceEngine
  readonly bus: ChangeBus
  readonly clock: Clock
  readonly policies: PolicyDirectory
  /** Records which watcher received which contact method or location. */
  readonly audit?: AuditLog
  /** Counts notifications handed to transports, and the distinct views computed for them. */
  readonly onDelivered?: (notifications: number, views: number) => void
  /**
   * In a cluster, a user's sessions may be on any node: `notifyUser` goes through the change channel
   * and each node delivers to its own. Errors of that publication go to `onError`.
   */
  readonly noticesOnChannel?: boolean
  readonly onError?: (error: unknown) => void
}

export class WatchHub {
  /** Who watches what, grouped by permissions: changed only through the pure fan-out functions. */
  private readonly state: FanOutState<WatcherSink> = emptyFanOutState()
  /** Every live sink of each user, for messages about the user's own account (watcher info). */
  private readonly byUser = new SetMap<string, WatcherSink>()
  /**
   * A connection that ended while a coalesced message was still waiting may have skipped a state
   * that a later sequence number seems to cover; its resume gets a fresh snapshot instead.
   */
  private readonly undeliveredMarks = new Set<string>()
  private readonly unsubscribe: (() => void)[]
  /** Policy changes of this turn, applied before the next presence change or at the turn's end. */
  private readonly pending: PendingRefresh

  constructor(private readonly options: WatchHubOptions) {
    this.pending = new PendingRefresh({
      refresh: (address) => this.refresh(address),
      watched: () => this.state.byPresentity.keys(),
      watchedBy: (watchers) => watchedBy(this.state, watchers),
      organizationOf: (address) => this.options.engine.snapshot(address)?.profile.organizationId,
    })
    this.unsubscribe = [
      onPresenceChanged(options.bus, (event) => {
        this.pending.flush()
        this.send(fanOut(this.state, { address: event.address, entry: event }, options.clock.now()))
      }),
      // Every policy change reaches live watchers from the change channel; no service refreshes.
      onPolicyChanged(options.bus, (scope) => this.pending.add(scope)),
      // A removed user's address is nobody's: its watchers are told so, and it watches nothing.
      onAccessEnded(options.bus, (event) => {
        if (event.reason === 'user-removed') this.forgetUser(event.address)
      }),
      options.bus.subscribe((event) => {
        if (event.type === 'user-notice') this.deliverNotice(event.address, event.message)
        else if (event.type === 'watch-ended') this.endHere(event.presentity, event.watcher)
      }),
    ]
  }

  /** Hands each delivery to its sinks, audits what was disclosed, and counts. */
  private send(out: FanOut<WatcherSink>): void {
    const { address, organizationId } = out
    for (const { message, seq, to, except } of out.deliveries) {
      forEachSink(to, (sink) => {
        if (!except?.has(sink)) sink.send(message, address, seq)
      })
    }
    for (const { details, to, except } of this.options.audit ? out.disclosures : []) {
      if (details.length === 0) continue
      forEachSink(to, (sink) => {
        if (!except?.has(sink)) this.disclose(sink, organizationId, address, details)
      })
    }
    this.options.onDelivered?.(out.notifications, out.views)
  }

  /** Audits what `sink` was shown of `address` (the owner looking at themselves discloses nothing). */
  private disclose(
    sink: WatcherSink,
    organizationId: string,
    address: string,
    details: readonly string[],
  ): void {
    const audit = this.options.audit
    if (!audit || details.length === 0 || isOwner(sink.watcher, { address })) return
    audit.disclosure(organizationId, sink.watcher.address, address, details)
  }

  /**
   * Starts live delivery of `address` to `sink`. When resuming, only what the watcher missed is sent,
   * or a snapshot marked `resync` when the history no longer reaches back. The caller has checked the
   * subscription and loaded the profile.
   */
  watch(
    sink: WatcherSink,
    requested: string,
    from: WatchFrom = { kind: 'snapshot' },
    decided?: DecidedPermissions,
  ): boolean {
    const { engine, policies, clock } = this.options
    const current = engine.snapshot(requested)
    if (!current) return false
    // The profile's own string is the key everywhere, so a watch pair does not hold a copy of it.
    const address = current.profile.address
    const now = clock.now()
    // Permissions the caller decided for this watcher just before hold while nothing they are
    // decided on changed since (a change in between, even a turn's, makes them be decided again).
    const permissions =
      decided !== undefined &&
      decided.revision === policies.revision &&
      decided.profile === current.profile
        ? decided.permissions
        : policies.permissionsFor(sink.watcher, current.profile, now)
    const at = engine.cursor
    const change = { address, entry: current }
    if (from.kind !== 'resume') {
      // A snapshot, the most common join (a connect or a reconnect storm): no outcome is made.
      const resync = from.kind === 'resync'
      const joined = joinFromSnapshot(this.state, { sink, change, permissions, at, resync }, now)
      if (!joined) return false
      sink.send(joined.message, address, at)
      this.disclose(sink, current.profile.organizationId, address, joined.group.details)
      return true
    }
    return this.resume(sink, change, permissions, { cursor: from.cursor, at, now })
  }

  /** `watch` from a cursor: what the watcher missed, or a snapshot when the history is too short. */
  private resume(
    sink: WatcherSink,
    change: FanOutChange,
    permissions: Permissions,
    { cursor, at, now }: { cursor: number; at: number; now: number },
  ): boolean {
    const { address } = change
    // A blocked watcher joins nothing, and keeps its mark for a later resume.
    const marked = permissions.subscription !== 'block' && this.unmark(sink, address)
    const { history } = this.options.engine
    const start: JoinStart = { kind: 'resume', cursor, at, marked, history }
    const out = join(this.state, { sink, change, permissions, start }, now)
    // A join's deliveries and disclosures are all to `sink` (`join`): no list is walked.
    for (let i = 0; i < out.deliveries.length; i++) {
      const { message, seq } = out.deliveries[i]!
      sink.send(message, address, seq)
    }
    for (let i = 0; i < out.disclosures.length; i++)
      this.disclose(sink, out.organizationId, address, out.disclosures[i]!.details)
    return out.joined
  }

  /** Whether the last connection of `sink`'s watcher ended with `address` undelivered (forgotten now). */
  private unmark(sink: WatcherSink, address: string): boolean {
    return this.undeliveredMarks.delete(`${sink.watcher.address}\n${address}`)
  }

  /**
   * Applies a policy change to live subscriptions of `address` at once, directly (not through the
   * bus): a watcher whose permissions changed gets the new view (fields that became hidden are gone
   * from it); one that became blocked is told `unwatched` and receives nothing more; one that became
   * allowed gets a snapshot. A new sequence number, recorded in the history but not put on the bus,
   * orders the change like a presence change (resumable). True when someone watches `address`.
   */
  refresh(address: string): boolean {
    // Only groups with watchers are refreshed; resting ones are dropped (fan-out-groups.ts).
    if (!dropResting(this.state, address)) return false
    const { engine, policies, clock } = this.options
    const entry = engine.resequence(address)
    if (!entry) return false
    const now = clock.now()
    const permissionsOf = (watcher: Party) => policies.permissionsFor(watcher, entry.profile, now)
    this.send(refresh(this.state, { change: { address, entry }, permissionsOf }, now))
    return true
  }

  /** Stops live delivery of one presentity to one sink. */
  unwatch(sink: WatcherSink, address: string): void {
    leave(this.state, sink, address)
  }

  /** Registers a connection of its own user, to receive `notifyUser` messages. */
  attachUser(sink: WatcherSink): void {
    this.byUser.add(sink.watcher.address, sink)
  }

  /** Sends a message about their own account (a watcher request, a subscription's state) to a user. */
  notifyUser(address: string, message: Record<string, unknown>): void {
    if (!this.options.noticesOnChannel) return this.deliverNotice(address, message)
    const notice = { type: 'user-notice', address, message } as const
    this.options.bus.publish(notice).catch((error: unknown) => this.options.onError?.(error))
  }

  /** Hands a user's message to that user's sessions here. */
  private deliverNotice(address: string, message: Readonly<Record<string, unknown>>): void {
    const sinks = this.byUser.get(address)
    if (sinks.length === 0) return
    const text = JSON.stringify(message)
    // The coalescing key: a newer message about the same watcher or subscription replaces an older one.
    const about = message['watcher'] ?? message['address'] ?? ''
    const key = `\u0000${String(message['type'])}:${String(about)}:${String(message['gathering'] ?? message['watch'] ?? '')}`
    for (const sink of sinks) sink.send(text, key, 0)
  }

  /** Stops everything a sink receives (its connection closed). */
  detach(sink: WatcherSink): void {
    for (const address of sink.undelivered?.() ?? []) {
      if (this.undeliveredMarks.size >= maxUndeliveredMarks) {
        this.undeliveredMarks.delete(this.undeliveredMarks.values().next().value!)
      }
      this.undeliveredMarks.add(`${sink.watcher.address}\n${address}`)
    }
    detach(this.state, sink)
    this.byUser.delete(sink.watcher.address, sink)
  }

  /**
   * Ends live delivery of `address` to every sink of `watcherAddress` (or to everyone), telling why;
   * in a cluster on every node (through the change channel).
   */
  end(address: string, watcherAddress?: string): void {
    if (!this.options.noticesOnChannel) return this.endHere(address, watcherAddress)
    const ended = {
      type: 'watch-ended',
      presentity: address,
      ...(watcherAddress === undefined ? {} : { watcher: watcherAddress }),
    } as const
    this.options.bus.publish(ended).catch((error: unknown) => this.options.onError?.(error))
  }

  private endHere(address: string, watcherAddress?: string): void {
    for (const sink of endWatches(this.state, address, watcherAddress)) {
      sink.send(unwatchedMessage(address), address, 0)
    }
  }

  /** Live (sink, presentity) pairs, for metrics. */
  get liveWatches(): number {
    return liveWatches(this.state)
  }

  /** Ends `address` as a presentity (its watchers get `unwatched`) and as a watcher (every sink). */
  private forgetUser(address: string): void {
    this.endHere(address)
    for (const sink of [...this.state.bySink.keys()])
      if (sink.watcher.address === address) this.detach(sink)
    this.byUser.deleteKey(address)
  }

  close(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe()
  }
}
