// The presence engine: holds the soft state of every presentity, applies publications through the core,
// arms expiry timers through the Clock port and puts every change on the bus; app layer.
import type { PresentityState, StepOutcome } from '../../core/aggregation/presentity.js'
import {
  advance,
  applyPublication,
  emptyPresentity,
  nextDeadline,
  retractAll,
  retractPublication,
} from '../../core/aggregation/presentity.js'
import type { Presence } from '../../core/aggregation/presence.js'
import type { Profile, Publication } from '../../core/model/presence-model.js'
import type { ChangeBus } from '../../ports/bus.js'
import type { Clock, TimerHandle } from '../../ports/clock.js'
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
}

export interface PresenceSnapshot {
  readonly seq: number
  readonly presence: Presence
  readonly profile: Profile
}

export class PresenceEngine {
  private readonly states = new Map<string, PresentityState>()
  private readonly timers = new Map<string, { at: number; handle: TimerHandle }>()
  private lastSeq = 0
  readonly history: PresenceHistory
  private sweepTimer: TimerHandle | undefined

  constructor(private readonly options: PresenceEngineOptions) {
    this.history = new PresenceHistory(options.resumeWindowMs)
  }

  /** Sequence numbers grow across the whole process and across restarts (they start at the clock). */
  private peekSeq(): number {
    return Math.max(this.lastSeq + 1, this.options.clock.now() * 1000)
  }

  private context() {
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

  /** The current publication of one source, if live. */
  publicationOf(address: string, sourceId: string): Publication | undefined {
    return this.states.get(address)?.publications.find((p) => p.source.id === sourceId)
  }

  /** Seeds a presentity's last seen (from the store) before it publishes anything. */
  seedLastSeen(address: string, lastSeen: number): void {
    if (!this.states.has(address)) this.states.set(address, this.stateOf(address, lastSeen))
  }

  publish(address: string, publication: Publication): StepOutcome {
    return this.step(address, (state, ctx) => applyPublication(state, publication, ctx))
  }

  retract(address: string, sourceId: string): StepOutcome {
    return this.step(address, (state, ctx) => retractPublication(state, sourceId, ctx))
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
    const next = { ...state, seq: this.peekSeq() }
    this.lastSeq = next.seq
    this.states.set(address, next)
    return this.record(next, state.presence, profile)
  }

  /**
   * The highest sequence number given so far. A snapshot is "the state as of this cursor": it tells
   * a watcher nothing about when the presentity last changed (an invisible or polite-blocking
   * presentity must look exactly like one that is really offline).
   */
  get cursor(): number {
    return this.lastSeq
  }

  /** Ends every publication of a presentity at once: watchers get one change to offline. */
  retractAll(address: string): StepOutcome {
    return this.step(address, (state, ctx) => retractAll(state, ctx))
  }

  /** Forgets a presentity completely (its user was removed). */
  remove(address: string): void {
    this.timers.get(address)?.handle.cancel()
    this.timers.delete(address)
    this.states.delete(address)
    this.history.forget(address)
  }

  private step(
    address: string,
    run: (
      state: PresentityState,
      ctx: ReturnType<PresenceEngine['context']>,
    ) => {
      state: PresentityState
      outcome: StepOutcome
    },
  ): StepOutcome {
    const before = this.stateOf(address)
    const { state, outcome } = run(before, this.context())
    if (outcome === 'stale') return outcome
    if (outcome === 'changed') this.lastSeq = state.seq
    this.store(state)
    if (outcome === 'changed') {
      const visible =
        state.presence.availability !== 'offline' && state.presence.availability !== 'invisible'
      if (visible) this.options.onLastSeen?.(address, this.options.clock.now(), false)
      else if (state.lastSeen !== before.lastSeen && state.lastSeen !== undefined) {
        this.options.onLastSeen?.(address, state.lastSeen, true)
      }
      this.emit(state, before.presence)
    }
    return outcome
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
    const due = nextDeadline(state, {
      now: this.options.clock.now(),
      idleAfterMs: this.options.idleAfterMs,
    })
    const current = this.timers.get(state.address)
    if (current && current.at === due) return
    current?.handle.cancel()
    this.timers.delete(state.address)
    if (due === undefined) return
    const handle = this.options.clock.setTimer(due - this.options.clock.now(), () => {
      this.timers.delete(state.address)
      this.step(state.address, (s, ctx) => advance(s, ctx))
    })
    this.timers.set(state.address, { at: due, handle })
  }

  private emit(state: PresentityState, before: Presence): void {
    const profile = this.options.profileOf(state.address)
    if (!profile) return
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
      .catch((error: unknown) => this.options.onError?.(error))
  }

  private record(state: PresentityState, before: Presence, profile: Profile): HistoryEntry {
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
    for (const { handle } of this.timers.values()) handle.cancel()
    this.timers.clear()
    this.sweepTimer?.cancel()
    this.sweepTimer = undefined
  }
}
