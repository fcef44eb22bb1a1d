// The presence engine: holds the soft state of every presentity, applies publications through the core,
// arms expiry timers through the Clock port and puts every change on the bus. In a cluster, each
// publication, retraction and expiry goes on the change channel as an input, and every node applies
// the same inputs in the channel's order, at their time and sequence number, to the same result
// (state machine replication); app layer.
import type { PresentityState, StepOutcome } from '../../core/aggregation/presentity.js'
import {
  advance,
  applyPublication,
  emptyPresentity,
  nextDeadline,
  replacePublications,
  retractAll,
  retractPublication,
} from '../../core/aggregation/presentity.js'
import type { Step, StepContext } from '../../core/aggregation/presentity.js'
import type { Presence } from '../../core/aggregation/presence.js'
import { sameData } from '../../core/model/canonical-json.js'
import type { Profile, Publication } from '../../core/model/presence-model.js'
import type { ChangeBus, PresenceInput, PresenceOperation } from '../../ports/bus.js'
import type { Clock, TimerHandle } from '../../ports/clock.js'
import { ClusterSources } from './cluster-sources.js'
import { DeadlineTimers } from './deadline-timers.js'
import { PresenceHistory, type HistoryEntry } from './presence-history.js'

export interface PresenceEngineOptions {
  readonly clock: Clock
  readonly bus: ChangeBus
  readonly idleAfterMs: number
  /** How long a change stays resumable (a watcher's cursor older than this gets a snapshot). */
  readonly resumeWindowMs?: number
  /** Profiles of presentities; a change is emitted only for a presentity with a loaded profile. */
  readonly profileOf: (address: string) => Profile | undefined
  /**
   * Called with the moment a presentity was last seen: when it goes from visible to hidden, and on
   * each change while visible (so a crash loses at most what the callee chooses not to write).
   */
  readonly onLastSeen?: (address: string, lastSeen: number, wentHidden: boolean) => void
  readonly onError?: (error: unknown) => void
  /**
   * This node's id in a cluster: presence then changes only through inputs on the change channel,
   * which must give each a sequence number (the Redis bus does).
   */
  readonly node?: string
}

type Run = (state: PresentityState, ctx: StepContext) => Step

export interface PresenceSnapshot {
  readonly seq: number
  readonly presence: Presence
  readonly profile: Profile
}

/** Presentities per page of a node's sources sent again (a join, a recovery). */
const syncPage = 500

export class PresenceEngine {
  private readonly states = new Map<string, PresentityState>()
  private readonly deadlines: DeadlineTimers
  private lastSeq = 0
  readonly history: PresenceHistory
  private sweepTimer: TimerHandle | undefined
  /** In a cluster: who holds which source, and the highest sequence number a refresh took. */
  private readonly cluster: ClusterSources | undefined
  private refreshSeq = 0
  private readonly unsubscribe: (() => void) | undefined
  /** Where a publication's failure goes: one function for all of them, not one made per change. */
  private readonly reportError = (error: unknown): void => this.options.onError?.(error)

  constructor(private readonly options: PresenceEngineOptions) {
    this.history = new PresenceHistory(options.resumeWindowMs)
    this.deadlines = new DeadlineTimers(options.clock, (address) => this.deadlineCame(address))
    if (options.node === undefined) return
    this.cluster = new ClusterSources(options.node)
    this.unsubscribe = options.bus.subscribe((event) => {
      if (event.type === 'presence-input' || event.type === 'node-gone') this.apply(event)
      else if (event.type === 'sync-request' && event.node !== options.node) this.answer(event.node)
    })
  }

  /** Sequence numbers grow across the whole process and across restarts (they start at the clock). */
  private peekSeq(): number {
    return Math.max(this.lastSeq + 1, this.options.clock.now() * 1000)
  }

  private context(): StepContext {
    const now = this.options.clock.now()
    return { now, idleAfterMs: this.options.idleAfterMs, nextSeq: this.peekSeq() }
  }

  private stateOf(address: string, lastSeen?: number): PresentityState {
    return (
      this.states.get(address) ??
      emptyPresentity(address, {
        now: this.options.clock.now(),
        idleAfterMs: this.options.idleAfterMs,
        lastSeen,
      })
    )
  }

  /** The current state of a presentity, for snapshots and the owner's own presence. */
  snapshot(address: string): PresenceSnapshot | undefined {
    const profile = this.options.profileOf(address)
    if (!profile) return undefined
    const state = this.stateOf(address)
    return { seq: state.seq, presence: state.presence, profile }
  }

  /**
   * The presentity's own availability, without building a snapshot: offline for one with no state
   * (no publication has been applied, as `emptyPresentity` would answer); undefined for an unknown one.
   */
  availabilityOf(address: string): Presence['availability'] | undefined {
    const state = this.states.get(address)
    if (state) return state.presence.availability
    return this.options.profileOf(address) ? 'offline' : undefined
  }

  /** The current publication of one source, if live. */
  publicationOf(address: string, sourceId: string): Publication | undefined {
    return this.states.get(address)?.publications.find((p) => p.source.id === sourceId)
  }

  /** Seeds a presentity's last seen (from the store) before it publishes anything. */
  seedLastSeen(address: string, lastSeen: number): void {
    if (!this.states.has(address)) this.states.set(address, this.stateOf(address, lastSeen))
  }

  publish(address: string, publication: Publication): StepOutcome {
    const run: Run = (state, ctx) => applyPublication(state, publication, ctx)
    const cluster = this.cluster
    if (!cluster) return this.step(address, run)
    const outcome = this.predict(address, run)
    const id = publication.source.id
    const same = this.publicationOf(address, id)
    const claimed = cluster.ownerOf(address, id) ?? cluster.node
    // Nothing new to say, unless the source moved to this node (a client that reconnected here).
    if (outcome === 'stale' || (same && sameData(same, publication) && claimed === cluster.node))
      return outcome
    cluster.assert(address, publication)
    this.send(address, { kind: 'publish', publication })
    return outcome
  }

  retract(address: string, sourceId: string): StepOutcome {
    const run: Run = (state, ctx) => retractPublication(state, sourceId, ctx)
    const cluster = this.cluster
    if (!cluster) return this.step(address, run)
    cluster.unassert(address, sourceId)
    const owner = cluster.ownerOf(address, sourceId)
    // A source that moved to another node is that node's to end.
    if (owner !== undefined && owner !== cluster.node) return 'unchanged'
    // Sent even when nothing seems to change: this node's publication may still be on its way.
    this.send(address, { kind: 'retract', sourceId })
    return this.predict(address, run)
  }

  /**
   * Gives `address` a new sequence number, recorded in its history, after something its views depend
   * on changed (a policy, the profile), so the change is ordered and resumable like a presence change.
   * Nothing goes on the bus: the caller fans the returned entry out. Undefined without a profile.
   */
  resequence(address: string): HistoryEntry | undefined {
    const profile = this.options.profileOf(address)
    if (!profile) return undefined
    const state = this.stateOf(address)
    const next = { ...state, seq: this.cluster ? this.lastSeq + 1 : this.peekSeq() }
    // In a cluster the next input's number is at least two above the last (the channel leaves room),
    // so a refresh orders between them without taking a number another node gives to an input.
    if (this.cluster) this.refreshSeq = next.seq
    else this.lastSeq = next.seq
    this.states.set(address, next)
    return this.record(next, state, profile)
  }

  /**
   * The highest sequence number given so far. A snapshot is "the state as of this cursor": it tells
   * a watcher nothing about when the presentity last changed (an invisible or polite-blocking
   * presentity must look exactly like one that is really offline).
   */
  get cursor(): number {
    return Math.max(this.lastSeq, this.refreshSeq)
  }

  /** Ends every publication of a presentity at once: watchers get one change to offline. */
  retractAll(address: string): StepOutcome {
    const run: Run = (state, ctx) => retractAll(state, ctx)
    if (!this.cluster) return this.step(address, run)
    this.cluster.unassertAll(address)
    this.send(address, { kind: 'retract-all' })
    return this.predict(address, run)
  }

  /** Forgets a presentity completely (its user was removed). */
  remove(address: string): void {
    this.deadlines.cancel(address)
    this.states.delete(address)
    this.history.forget(address)
  }

  /**
   * Applies one step now. `ctx` and `decidedHere` differ in a cluster, where the step is an input's:
   * only the node that sent it writes the last seen.
   */
  private step(address: string, run: Run, ctx = this.context(), decidedHere = true): StepOutcome {
    const before = this.stateOf(address)
    const { state, outcome } = run(before, ctx)
    if (outcome === 'stale') return outcome
    if (outcome === 'changed') this.lastSeq = state.seq
    this.store(state)
    if (outcome === 'changed') {
      const visible =
        state.presence.availability !== 'offline' && state.presence.availability !== 'invisible'
      const onLastSeen = decidedHere ? this.options.onLastSeen : undefined
      if (visible) onLastSeen?.(address, ctx.now, false)
      else if (state.lastSeen !== before.lastSeen && state.lastSeen !== undefined) {
        onLastSeen?.(address, state.lastSeen, true)
      }
      this.emit(state, before)
    }
    return outcome
  }

  /** What a step would do now, without doing it (a cluster node answering before the input is back). */
  private predict(address: string, run: Run): StepOutcome {
    return run(this.stateOf(address), this.context()).outcome
  }

  /** Puts an input on the change channel; every node, this one too, applies it in the channel's order. */
  private send(address: string, operation: PresenceOperation): void {
    const input: PresenceInput = {
      type: 'presence-input',
      node: this.cluster!.node,
      address,
      at: this.options.clock.now(),
      operation,
    }
    this.options.bus.publish(input).catch(this.reportError)
  }

  /** Applies an input of the change channel, as every node does. */
  private apply(input: PresenceInput & { type: 'presence-input' | 'node-gone' }): void {
    const seq = input.seq ?? this.peekSeq()
    const ctx: StepContext = {
      now: input.at,
      idleAfterMs: this.options.idleAfterMs,
      nextSeq: Math.max(seq, this.lastSeq + 1),
    }
    const here = input.node === this.cluster!.node
    if (input.type === 'node-gone') this.applyNodeGone(input, ctx)
    else this.step(input.address, this.operationRun(input), ctx, here)
    // Every node's next refresh orders after this input, whether or not it changed anything.
    this.lastSeq = Math.max(this.lastSeq, ctx.nextSeq)
  }

  /** The step of one operation, and what it changes about who holds which source. */
  private operationRun(input: PresenceInput & { type: 'presence-input' }): Run {
    const cluster = this.cluster!
    const { address, node, operation: op } = input
    switch (op.kind) {
      case 'publish':
        return (state, ctx) => {
          const step = applyPublication(state, op.publication, ctx)
          if (step.outcome !== 'stale') cluster.claim(address, op.publication, node)
          return step
        }
      case 'retract':
        return (state, ctx) => {
          const owner = cluster.ownerOf(address, op.sourceId)
          if (owner !== undefined && owner !== node) return { state, outcome: 'unchanged' }
          cluster.release(address, op.sourceId)
          return retractPublication(state, op.sourceId, ctx)
        }
      case 'retract-all':
        return (state, ctx) => {
          cluster.releaseAll(address)
          return retractAll(state, ctx)
        }
      case 'advance':
        return (state, ctx) => advance(state, ctx)
      case 'sync':
        return (state, ctx) => this.syncStep(state, ctx, node, op.publications)
    }
  }

  /** Replaces the sources `node` holds of a presentity by `publications` (one step). */
  private syncStep(
    state: PresentityState,
    ctx: StepContext,
    node: string,
    publications: readonly Publication[],
  ): Step {
    const cluster = this.cluster!
    const { address } = state
    const held = cluster.heldBy(address, node)
    for (const sourceId of held) cluster.release(address, sourceId)
    // A source another node holds now (its client moved there) stays that node's.
    const taken = (p: Publication) => cluster.ownerOf(address, p.source.id) !== undefined
    const sent = publications.filter((p) => !taken(p))
    const sentIds = new Set(sent.map((p) => p.source.id))
    const kept = state.publications.filter(
      (p) => !held.has(p.source.id) && !sentIds.has(p.source.id),
    )
    for (const p of sent) cluster.claim(address, p, node)
    return replacePublications(state, [...kept, ...sent], ctx)
  }

  /**
   * A dead node's sources end on every node. A node another one took for dead (it was cut off from
   * Redis for a lease) says what it holds again; one that left in order does not.
   */
  private applyNodeGone(input: PresenceInput & { type: 'node-gone' }, ctx: StepContext): void {
    const { node, gone } = input
    const cluster = this.cluster!
    const here = node === cluster.node
    for (const address of cluster.addressesOf(gone)) {
      this.step(address, (state, c) => this.syncStep(state, c, gone, []), ctx, here)
    }
    if (gone === cluster.node && !here) void this.resync().catch(this.reportError)
  }

  /** Another node joined: it gets this node's sources, then word that they are all sent. */
  private answer(requester: string): void {
    const done = { type: 'sync-done', node: this.cluster!.node, requester } as const
    this.resync()
      .then(() => this.options.bus.publish(done))
      .catch(this.reportError)
  }

  /** Nodes that hold a source of some presentity, as every node's copy says. */
  holders(): Set<string> {
    return this.cluster?.holders() ?? new Set()
  }

  /**
   * Sends every source this node holds again, and ends those the cluster still thinks it holds: after
   * the change channel lost inputs (Redis restarted or was away), or when a node asks (it joined).
   */
  async resync(): Promise<void> {
    if (!this.cluster) return
    let sent = 0
    for (const address of [...this.cluster.assertions().keys()]) {
      // What it holds when its page goes: a publication made meanwhile is not undone.
      this.send(address, { kind: 'sync', publications: this.cluster.assertionOf(address) })
      // In pages, each read back before the next: a million people never flood the channel.
      if (++sent % syncPage === 0) await this.options.bus.delivered?.()
    }
  }

  private store(state: PresentityState): void {
    if (state.publications.length === 0 && state.lastSeen === undefined && state.seq === 0) {
      this.states.delete(state.address)
    } else {
      this.states.set(state.address, state)
    }
    this.arm(state)
  }

  private arm(state: PresentityState): void {
    const due = this.armsHere(state.address)
      ? nextDeadline(state, {
          now: this.options.clock.now(),
          idleAfterMs: this.options.idleAfterMs,
        })
      : undefined
    this.deadlines.set(state.address, due)
  }

  /** `address`'s deadline came: its expired sources end, it goes idle. */
  private deadlineCame(address: string): void {
    if (this.cluster) this.send(address, { kind: 'advance' })
    else this.step(address, (s, ctx) => advance(s, ctx))
  }

  /**
   * In a cluster, the nodes holding a connection's source of a presentity send its expiries (all
   * nodes, when none holds one): an expiry sent twice changes nothing the second time.
   */
  private armsHere(address: string): boolean {
    const cluster = this.cluster
    return !cluster || cluster.holds(address) || !cluster.anyHolds(address)
  }

  private emit(state: PresentityState, before: PresentityState): void {
    const profile = this.options.profileOf(state.address)
    // Without a profile nothing is recorded: the history no longer tells what changed before.
    if (!profile) return this.history.forget(state.address)
    this.record(state, before, profile)
    this.options.bus
      .publish({
        type: 'presence-changed',
        address: state.address,
        organizationId: profile.organizationId,
        seq: state.seq,
        presence: state.presence,
        profile,
      })
      .catch(this.reportError)
  }

  private record(state: PresentityState, before: PresentityState, profile: Profile): HistoryEntry {
    const entry: HistoryEntry = { seq: state.seq, presence: state.presence, profile }
    this.history.record(state.address, entry, this.options.clock.now(), before)
    this.armSweep()
    return entry
  }

  /** Number of presentities with live state, and of their publications, for metrics. */
  counts(): { presentities: number; publications: number } {
    let publications = 0
    for (const state of this.states.values()) publications += state.publications.length
    return { presentities: this.states.size, publications }
  }

  /**
   * While anything is kept, forgets the history of presentities quiet for a whole resume window; at
   * most eight sweeps a window, each costing only what it forgets.
   */
  private armSweep(): void {
    const windowMs = this.options.resumeWindowMs
    if (this.sweepTimer || windowMs === undefined) return
    const due = this.history.nextSweepAt()
    if (due === undefined) return
    const delay = Math.max(due - this.options.clock.now(), windowMs / 8)
    this.sweepTimer = this.options.clock.setTimer(delay, () => {
      this.sweepTimer = undefined
      this.history.sweep(this.options.clock.now())
      this.armSweep()
    })
  }

  stop(): void {
    this.unsubscribe?.()
    this.deadlines.clear()
    this.sweepTimer?.cancel()
    this.sweepTimer = undefined
  }
}
