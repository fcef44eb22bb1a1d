// The fan-out of presence changes to live watchers: one view computed and serialized per distinct
// set of permissions, not per watcher; snapshots and resumption after a reconnect; app layer.
import type { Party } from '../core/policy/decide-permissions.js'
import { decidePermissions } from '../core/policy/decide-permissions.js'
import type { Permissions } from '../core/policy/permissions.js'
import { permissionsKey } from '../core/policy/permissions.js'
import { computeView } from '../core/policy/compute-view.js'
import type { ChangeBus, PresenceChanged } from '../ports/bus.js'
import type { Clock } from '../ports/clock.js'
import type { PresenceEngine } from './presence-engine.js'
import type { HistoryEntry } from './presence-history.js'
import { changeMessage, snapshotMessage, unwatchedMessage } from './watch-messages.js'

/** A live watcher connection, as transports implement it. */
export interface WatcherSink {
  readonly watcher: Party
  /** Delivers one serialized message; the same string is shared by every watcher of a view. */
  send(message: string, address: string, seq: number): void
}

/**
 * Where a watch starts: a snapshot; a snapshot marked `resync` (the watcher's cursor belongs to an
 * earlier server run); or only the changes after `cursor`, the highest sequence number it saw.
 */
export type WatchFrom =
  | { readonly kind: 'snapshot' }
  | { readonly kind: 'resync' }
  | { readonly kind: 'resume'; readonly cursor: number }

interface Group {
  readonly permissions: Permissions
  readonly sinks: Set<WatcherSink>
  lastViewJson?: string
}

export interface WatchHubOptions {
  readonly engine: PresenceEngine
  readonly bus: ChangeBus
  readonly clock: Clock
  /** Counts notifications handed to transports, and the distinct views computed for them. */
  readonly onDelivered?: (notifications: number, views: number) => void
}

export class WatchHub {
  private readonly byPresentity = new Map<string, Map<string, Group>>()
  private readonly bySink = new Map<WatcherSink, Map<string, string>>()
  private readonly unsubscribe: () => void

  constructor(private readonly options: WatchHubOptions) {
    this.unsubscribe = options.bus.subscribe((event) => this.onChange(event))
  }

  private permissionsOf(watcher: Party, entry: HistoryEntry): Permissions {
    const presentity = { address: entry.presence.address, organizationId: entry.profile.organizationId }
    return decidePermissions({ watcher, presentity, now: this.options.clock.now() })
  }

  private viewJson(entry: HistoryEntry, permissions: Permissions): string {
    const view = computeView({ ...entry, permissions, now: this.options.clock.now() })
    return JSON.stringify(view)
  }

  /**
   * Starts live delivery of `address` to `sink`. When resuming, only what the watcher missed is sent,
   * or a snapshot marked `resync` when the history no longer reaches back. The caller has checked the
   * subscription and loaded the profile.
   */
  watch(sink: WatcherSink, address: string, from: WatchFrom = { kind: 'snapshot' }): boolean {
    const current = this.options.engine.snapshot(address)
    if (!current) return false
    const permissions = this.permissionsOf(sink.watcher, current)
    const key = permissionsKey(permissions)
    this.leave(sink, address)
    const group = this.groupFor(address, key, permissions, current)
    group.sinks.add(sink)
    let keys = this.bySink.get(sink)
    if (!keys) this.bySink.set(sink, (keys = new Map()))
    keys.set(address, key)
    if (from.kind === 'resume') {
      this.replay(sink, { address, cursor: from.cursor, permissions, current })
    } else {
      const message = snapshotMessage(address, current.seq, group.lastViewJson!, from.kind === 'resync')
      sink.send(message, address, current.seq)
    }
    return true
  }

  private groupFor(address: string, key: string, permissions: Permissions, current: HistoryEntry): Group {
    let groups = this.byPresentity.get(address)
    if (!groups) this.byPresentity.set(address, (groups = new Map()))
    let group = groups.get(key)
    if (!group) {
      group = { permissions, sinks: new Set(), lastViewJson: this.viewJson(current, permissions) }
      groups.set(key, group)
    }
    return group
  }

  private replay(
    sink: WatcherSink,
    args: { address: string; cursor: number; permissions: Permissions; current: HistoryEntry },
  ): void {
    const { address, cursor, permissions, current } = args
    if (current.seq <= cursor) return
    const missed = this.options.engine.history.since(address, cursor)
    if (!missed?.base) {
      const json = this.viewJson(current, permissions)
      sink.send(snapshotMessage(address, current.seq, json, true), address, current.seq)
      return
    }
    let previous = this.viewJson(missed.base, permissions)
    for (const entry of missed.changes) {
      const json = this.viewJson(entry, permissions)
      if (json !== previous) sink.send(changeMessage(address, entry.seq, json), address, entry.seq)
      previous = json
    }
  }

  /** Stops live delivery of one presentity to one sink. */
  unwatch(sink: WatcherSink, address: string): void {
    this.leave(sink, address)
    this.bySink.get(sink)?.delete(address)
  }

  /** Stops everything a sink receives (its connection closed). */
  detach(sink: WatcherSink): void {
    for (const address of this.bySink.get(sink)?.keys() ?? []) this.leave(sink, address)
    this.bySink.delete(sink)
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
    const key = this.bySink.get(sink)?.get(address)
    if (key === undefined) return
    const groups = this.byPresentity.get(address)
    const group = groups?.get(key)
    group?.sinks.delete(sink)
    if (group?.sinks.size === 0) groups!.delete(key)
    if (groups?.size === 0) this.byPresentity.delete(address)
  }

  private onChange(event: PresenceChanged): void {
    const groups = this.byPresentity.get(event.address)
    if (!groups) return
    let notifications = 0
    let views = 0
    for (const group of groups.values()) {
      const json = this.viewJson(event, group.permissions)
      views++
      if (json === group.lastViewJson) continue
      group.lastViewJson = json
      const message = changeMessage(event.address, event.seq, json)
      for (const sink of group.sinks) sink.send(message, event.address, event.seq)
      notifications += group.sinks.size
    }
    this.options.onDelivered?.(notifications, views)
  }

  /** Live (sink, presentity) pairs, for metrics. */
  get liveWatches(): number {
    let count = 0
    for (const keys of this.bySink.values()) count += keys.size
    return count
  }

  close(): void {
    this.unsubscribe()
  }
}
