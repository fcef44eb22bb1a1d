// The fan-out of presence changes to live watchers: one view computed and serialized per distinct
// set of permissions, not per watcher; snapshots and resumption after a reconnect; app layer.
import type { Party } from '../../core/policy/decide-permissions.js'
import type { Permissions } from '../../core/policy/permissions.js'
import { permissionsKey } from '../../core/policy/permissions.js'
import { computeView } from '../../core/policy/compute-view.js'
import { viewMayHaveChanged } from '../../core/policy/view-parts.js'
import type { ChangeBus, PresenceChanged } from '../../ports/bus.js'
import type { Clock } from '../../ports/clock.js'
import type { AuditLog } from '../policy/index.js'
import { disclosedDetails } from '../policy/index.js'
import type { PolicyDirectory } from '../policy/index.js'
import type { PresenceEngine } from '../presence/index.js'
import type { HistoryEntry } from '../presence/index.js'
import { changeMessage, snapshotMessage, unwatchedMessage } from './watch-messages.js'
import { onAccessEnded, onPolicyChanged, onPresenceChanged } from '../shared/index.js'
import { PendingRefresh } from './pending-refresh.js'

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

interface Group {
  /** `permissionsKey(permissions)`: the group's key among the groups of its presentity. */
  readonly key: string
  readonly permissions: Permissions
  readonly sinks: Set<WatcherSink>
  /** Undefined only for a group a policy refresh just made, until the re-emitted presence reaches it. */
  lastViewJson?: string
  /** Audited details (contact methods, location) of the last view. */
  details: readonly string[]
  /** Sinks a policy refresh moved here, with what they had: they get their own message next. */
  moved?: Map<WatcherSink, Moved>
}

/** What a sink moved by a policy refresh had before: its view, and whether it was hidden. */
interface Moved {
  readonly previousJson: string | undefined
  readonly wasHidden: boolean
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
}

export class WatchHub {
  private readonly byPresentity = new Map<string, Map<string, Group>>()
  /** The group each sink is in, per presentity it watches (the group, not its key: no string per pair). */
  private readonly bySink = new Map<WatcherSink, Map<string, Group>>()
  /** Every live sink of each user, for messages about the user's own account (watcher info). */
  private readonly byUser = new Map<string, Set<WatcherSink>>()
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
      watched: () => this.byPresentity.keys(),
      watchedBy: (watchers) => this.watchedBy(watchers),
      organizationOf: (address) => this.options.engine.snapshot(address)?.profile.organizationId,
    })
    this.unsubscribe = [
      onPresenceChanged(options.bus, (event) => {
        this.pending.flush()
        this.onChange(event)
      }),
      // Every policy change reaches live watchers from the change channel; no service refreshes.
      onPolicyChanged(options.bus, (scope) => this.pending.add(scope)),
      // A removed user's address is nobody's: its watchers are told so, and it watches nothing.
      onAccessEnded(options.bus, (event) => {
        if (event.reason === 'user-removed') this.forgetUser(event.address)
      }),
    ]
  }

  private permissionsOf(watcher: Party, entry: HistoryEntry): Permissions {
    return this.options.policies.permissionsFor(watcher, entry.profile, this.options.clock.now())
  }

  private viewJson(entry: HistoryEntry, permissions: Permissions): string {
    return this.viewOf(entry, permissions).json
  }

  private viewOf(
    entry: HistoryEntry,
    permissions: Permissions,
  ): { json: string; details: readonly string[] } {
    const view = computeView({ ...entry, permissions, now: this.options.clock.now() })
    return { json: JSON.stringify(view), details: disclosedDetails(view) }
  }

  /** Audits what a sink was just sent, unless it is the owner looking at themselves. */
  private audited(sink: WatcherSink, address: string, group: Group, organizationId: string): void {
    const audit = this.options.audit
    if (!audit || sink.watcher.address === address) return
    audit.disclosure(organizationId, sink.watcher.address, address, group.details)
  }

  /**
   * Starts live delivery of `address` to `sink`. When resuming, only what the watcher missed is sent,
   * or a snapshot marked `resync` when the history no longer reaches back. The caller has checked the
   * subscription and loaded the profile.
   */
  watch(sink: WatcherSink, requested: string, from: WatchFrom = { kind: 'snapshot' }): boolean {
    const current = this.options.engine.snapshot(requested)
    if (!current) return false
    // The profile's own string is the key everywhere, so a watch pair does not hold a copy of it.
    const address = current.profile.address
    const permissions = this.permissionsOf(sink.watcher, current)
    if (permissions.subscription === 'block') return false
    const key = permissionsKey(permissions)
    this.leave(sink, address)
    const group = this.groupFor(address, key, permissions, current)
    group.sinks.add(sink)
    let keys = this.bySink.get(sink)
    if (!keys) this.bySink.set(sink, (keys = new Map()))
    keys.set(address, group)
    if (from.kind === 'resume') {
      this.replay(sink, { address, cursor: from.cursor, permissions, current })
    } else {
      const cursor = this.options.engine.cursor
      const message = snapshotMessage(address, cursor, group.lastViewJson!, from.kind === 'resync')
      sink.send(message, address, cursor)
    }
    this.audited(sink, address, group, current.profile.organizationId)
    return true
  }

  /** The group of `key`, made when missing; its view is computed from `current` when given. */
  private groupFor(
    address: string,
    key: string,
    permissions: Permissions,
    current?: HistoryEntry,
  ): Group {
    let groups = this.byPresentity.get(address)
    if (!groups) this.byPresentity.set(address, (groups = new Map()))
    let group = groups.get(key)
    if (!group) groups.set(key, (group = { key, permissions, sinks: new Set(), details: [] }))
    if (group.lastViewJson === undefined && current) {
      const { json, details } = this.viewOf(current, permissions)
      group.lastViewJson = json
      group.details = details
    }
    return group
  }

  /**
   * What a resume sends: nothing where the watcher's view cannot have changed since `cursor`, so a
   * hidden change looks like none; the views that changed while the history reaches back; else a
   * snapshot marked `resync`, only when a part the view shows changed after the cursor (the view
   * parts' stamps, which hidden changes do not move). A cursor this server never gave resyncs.
   */
  private replay(
    sink: WatcherSink,
    args: { address: string; cursor: number; permissions: Permissions; current: HistoryEntry },
  ): void {
    const { address, cursor, permissions, current } = args
    const marked = this.undeliveredMarks.delete(`${sink.watcher.address}\n${address}`)
    const resync = marked || cursor > this.options.engine.cursor
    if (current.seq <= cursor && !resync) return
    if (!resync) {
      const history = this.options.engine.history
      const missed = history.since(address, cursor)
      if (missed?.base) {
        const { base, changes } = missed
        this.replayChanges(sink, { address, permissions, base, changes })
        return
      }
      const stamps = history.stamps(address)
      const presence = current.presence
      if (stamps && !viewMayHaveChanged({ stamps, permissions, presence, cursor })) return
    }
    const json = this.viewJson(current, permissions)
    const at = this.options.engine.cursor
    sink.send(snapshotMessage(address, at, json, true), address, at)
  }

  /** The changes of the watcher's view after `base`, each with its sequence number. */
  private replayChanges(
    sink: WatcherSink,
    args: {
      address: string
      permissions: Permissions
      base: HistoryEntry
      changes: readonly HistoryEntry[]
    },
  ): void {
    const { address, permissions, base, changes } = args
    let previous = this.viewJson(base, permissions)
    for (const entry of changes) {
      const json = this.viewJson(entry, permissions)
      if (json !== previous) sink.send(changeMessage(address, entry.seq, json), address, entry.seq)
      previous = json
    }
  }

  /**
   * Applies a policy change to live subscriptions of `address` at once: a watcher whose permissions
   * changed gets the new view (fields that became hidden are gone from it); one that became blocked
   * is told `unwatched` and receives nothing more; one that became allowed gets a snapshot.
   * True when it re-emitted the presence on the bus (someone watches), which every listener sees.
   */
  refresh(address: string): boolean {
    const groups = this.byPresentity.get(address)
    if (!groups) return false
    const current = this.options.engine.snapshot(address)
    // Watchers move to the groups of their new permissions before the presence is re-emitted, so
    // each view is computed once, and only under the permissions in force now: nobody gets a last
    // message computed under a grant that has just ended.
    if (current) {
      for (const group of [...groups.values()]) {
        for (const sink of [...group.sinks]) this.regroup(sink, { address, group, current })
      }
    }
    // A new sequence number orders the policy change like a presence change (resumable); the bus
    // brings it to onChange, which sends what each group's and each moved watcher's view became.
    this.options.engine.touch(address)
    return true
  }

  private regroup(
    sink: WatcherSink,
    args: { address: string; group: Group; current: HistoryEntry },
  ): void {
    const { address, group, current } = args
    const permissions = this.permissionsOf(sink.watcher, current)
    const key = permissionsKey(permissions)
    if (key === group.key) return
    this.leave(sink, address)
    if (permissions.subscription === 'block') {
      this.bySink.get(sink)?.delete(address)
      sink.send(unwatchedMessage(address), address, 0)
      return
    }
    const next = this.groupFor(address, key, permissions)
    next.sinks.add(sink)
    this.bySink.get(sink)?.set(address, next)
    const wasHidden = group.permissions.subscription !== 'allow'
    ;(next.moved ??= new Map()).set(sink, { previousJson: group.lastViewJson, wasHidden })
  }

  /** Stops live delivery of one presentity to one sink. */
  unwatch(sink: WatcherSink, address: string): void {
    this.leave(sink, address)
    this.bySink.get(sink)?.delete(address)
  }

  /** Registers a connection of its own user, to receive `notifyUser` messages. */
  attachUser(sink: WatcherSink): void {
    let sinks = this.byUser.get(sink.watcher.address)
    if (!sinks) this.byUser.set(sink.watcher.address, (sinks = new Set()))
    sinks.add(sink)
  }

  /** Sends a message about their own account (a watcher request, a subscription's state) to a user. */
  notifyUser(address: string, message: Record<string, unknown>): void {
    const sinks = this.byUser.get(address)
    if (!sinks) return
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
    for (const address of this.bySink.get(sink)?.keys() ?? []) this.leave(sink, address)
    this.bySink.delete(sink)
    const own = this.byUser.get(sink.watcher.address)
    own?.delete(sink)
    if (own?.size === 0) this.byUser.delete(sink.watcher.address)
  }

  /** Ends live delivery of `address` to every sink of `watcherAddress` (or to everyone), telling why. */
  end(address: string, watcherAddress?: string): void {
    for (const group of this.byPresentity.get(address)?.values() ?? []) {
      for (const sink of [...group.sinks]) {
        if (watcherAddress !== undefined && sink.watcher.address !== watcherAddress) continue
        this.unwatch(sink, address)
        sink.send(unwatchedMessage(address), address, 0)
      }
    }
  }

  private leave(sink: WatcherSink, address: string): void {
    const group = this.bySink.get(sink)?.get(address)
    if (group === undefined) return
    group.sinks.delete(sink)
    if (group.sinks.size > 0) return
    const groups = this.byPresentity.get(address)
    if (groups?.get(group.key) === group) groups.delete(group.key)
    if (groups?.size === 0) this.byPresentity.delete(address)
  }

  private onChange(event: PresenceChanged): void {
    const groups = this.byPresentity.get(event.address)
    if (!groups) return
    let notifications = 0
    let views = 0
    for (const group of groups.values()) {
      const { json, details } = this.viewOf(event, group.permissions)
      views++
      const moved = group.moved
      group.moved = undefined
      const changed = json !== group.lastViewJson
      // Disclosures are audited when the disclosed details change, not per notification.
      const disclosed = details.length > 0 && details.join(',') !== group.details.join(',')
      group.lastViewJson = json
      group.details = details
      if (moved) notifications += this.deliverMoved(group, moved, { event, json })
      if (!changed) continue
      const message = changeMessage(event.address, event.seq, json)
      for (const sink of group.sinks) {
        if (moved?.has(sink)) continue
        sink.send(message, event.address, event.seq)
        notifications++
        if (disclosed) this.audited(sink, event.address, group, event.organizationId)
      }
    }
    this.options.onDelivered?.(notifications, views)
  }

  /**
   * The message of each sink a policy refresh moved into `group`: a snapshot when it could not see
   * the presentity before, else a change when its view differs from what it had. Returns how many.
   */
  private deliverMoved(
    group: Group,
    moved: ReadonlyMap<WatcherSink, Moved>,
    args: { event: PresenceChanged; json: string },
  ): number {
    const { event, json } = args
    const { address, seq } = event
    const shown = group.permissions.subscription === 'allow'
    let sent = 0
    for (const [sink, before] of moved) {
      if (!group.sinks.has(sink)) continue
      if (before.wasHidden && shown)
        sink.send(snapshotMessage(address, seq, json, false), address, seq)
      else if (json !== before.previousJson)
        sink.send(changeMessage(address, seq, json), address, seq)
      else continue
      sent++
      this.audited(sink, address, group, event.organizationId)
    }
    return sent
  }

  /** Live (sink, presentity) pairs, for metrics. */
  get liveWatches(): number {
    let count = 0
    for (const keys of this.bySink.values()) count += keys.size
    return count
  }

  private watchedBy(watchers: ReadonlySet<string>): Set<string> {
    const addresses = new Set<string>()
    for (const [sink, groups] of this.bySink) {
      if (watchers.has(sink.watcher.address)) for (const address of groups.keys()) addresses.add(address)
    }
    return addresses
  }

  /** Ends `address` as a presentity (its watchers get `unwatched`) and as a watcher (every sink). */
  private forgetUser(address: string): void {
    this.end(address)
    for (const sink of [...this.bySink.keys()]) if (sink.watcher.address === address) this.detach(sink)
    this.byUser.delete(address)
  }

  close(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe()
  }
}
