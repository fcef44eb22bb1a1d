// Failed sign-ins per key (an address, a client address): a few are free, then each further one
// waits twice as long; attempts in flight count, so a parallel flood gets no more guesses than a
// serial one. In memory and bounded; app layer.
import type { Clock } from '../../ports/clock.js'

export interface LoginThrottleLimits {
  /** Failures (and attempts in flight) allowed before the back-off starts. */
  readonly freeFailures: number
  /** The wait after the first failure beyond the free ones; it doubles with each further one. */
  readonly baseDelayMs: number
  /** The longest wait; a key with no failure for twice this long is forgotten. */
  readonly maxDelayMs: number
  /** Keys kept at most; the least recently failed are forgotten first. */
  readonly maxKeys: number
}

interface Entry {
  failures: number
  inFlight: number
  lastFailureAt: number
  lockedUntil: number
}

/** One attempt that passed the throttle; settle it exactly once (later calls do nothing). */
export interface LoginAttempt {
  /** The password was right: the key's failures are forgotten. */
  succeeded(): void
  /** The password was wrong: one more failure. */
  failed(): void
  /** Not checked (refused for load) or not to be counted: only no longer in flight. */
  abandoned(): void
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly clock: Clock,
    private readonly limits: LoginThrottleLimits,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may now. */
  waitMs(key: string): number {
    const now = this.clock.now()
    const entry = this.fresh(key, now)
    if (!entry) return 0
    if (entry.lockedUntil > now) return entry.lockedUntil - now
    const beyondFree = entry.failures >= this.limits.freeFailures
    // Past the free failures, one attempt at a time: the others wait for its outcome.
    if (
      beyondFree ? entry.inFlight > 0 : entry.failures + entry.inFlight >= this.limits.freeFailures
    ) {
      return this.limits.baseDelayMs
    }
    return 0
  }

  /** Starts an attempt on `key` (call only when `waitMs` was 0). */
  begin(key: string): LoginAttempt {
    const entry = this.entryOf(key, this.clock.now())
    entry.inFlight += 1
    let settled = false
    const settle = (outcome: 'success' | 'failure' | 'none') => {
      if (settled) return
      settled = true
      entry.inFlight -= 1
      if (outcome === 'success') {
        entry.failures = 0
        entry.lockedUntil = 0
      }
      if (outcome === 'failure') this.fail(key, entry)
      else if (outcome === 'success' || entry.failures === 0) this.forget(key, entry)
    }
    return {
      succeeded: () => settle('success'),
      failed: () => settle('failure'),
      abandoned: () => settle('none'),
    }
  }

  private forget(key: string, entry: Entry): void {
    if (entry.inFlight === 0 && this.entries.get(key) === entry) this.entries.delete(key)
  }

  /** Keys with a record, for tests and metrics. */
  get size(): number {
    return this.entries.size
  }

  private fail(key: string, entry: Entry): void {
    const now = this.clock.now()
    entry.failures += 1
    entry.lastFailureAt = now
    const beyond = entry.failures - this.limits.freeFailures
    if (beyond >= 0) {
      const delay = this.limits.baseDelayMs * 2 ** Math.min(beyond, 30)
      entry.lockedUntil = now + Math.min(this.limits.maxDelayMs, delay)
    }
    // Re-inserted, so the map's order is the order of the last failure.
    this.entries.delete(key)
    this.entries.set(key, entry)
    this.evict()
  }

  private fresh(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key)
    if (entry && entry.inFlight === 0 && now - entry.lastFailureAt > 2 * this.limits.maxDelayMs) {
      this.entries.delete(key)
      return undefined
    }
    return entry
  }

  private entryOf(key: string, now: number): Entry {
    const existing = this.fresh(key, now)
    if (existing) return existing
    const entry = { failures: 0, inFlight: 0, lastFailureAt: now, lockedUntil: 0 }
    this.entries.set(key, entry)
    this.evict()
    return entry
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.limits.maxKeys) return
      if (entry.inFlight === 0) this.entries.delete(key)
    }
  }
}
