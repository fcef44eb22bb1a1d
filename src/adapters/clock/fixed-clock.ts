// A test double of the clock: time moves only when told, and due timers run in order.
import type { Clock, TimerHandle } from '../../ports/clock.js'

interface Pending {
  readonly due: number
  readonly order: number
  readonly callback: () => void
  cancelled: boolean
}

export class FixedClock implements Clock {
  private current: number
  private order = 0
  private pending: Pending[] = []

  constructor(start = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.current = start
  }

  now(): number {
    return this.current
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const entry: Pending = {
      due: this.current + Math.max(0, delayMs),
      order: this.order++,
      callback,
      cancelled: false,
    }
    this.pending.push(entry)
    return { cancel: () => (entry.cancelled = true) }
  }

  /** Moves time forward by `ms`, running every timer that falls due, at its own due time. */
  advance(ms: number): void {
    const target = this.current + ms
    for (;;) {
      this.pending = this.pending.filter((p) => !p.cancelled)
      const next = this.pending
        .filter((p) => p.due <= target)
        .sort((a, b) => a.due - b.due || a.order - b.order)[0]
      if (!next) break
      this.pending = this.pending.filter((p) => p !== next)
      this.current = Math.max(this.current, next.due)
      next.callback()
    }
    this.current = target
  }

  /** Timers not yet run or cancelled. */
  get pendingTimers(): number {
    return this.pending.filter((p) => !p.cancelled).length
  }
}
