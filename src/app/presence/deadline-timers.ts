// One timer per presentity for its next deadline (an expiry, going idle), moved with its changes
// without making a new timer each time; app layer.
import type { Clock, TimerHandle } from '../../ports/clock.js'

interface Deadline {
  /** When the presentity's next deadline is now. */
  at: number
  /** When the timer armed for it fires (at most `at`). */
  armed: number
  handle: TimerHandle
}

/**
 * Each presentity's next deadline, on the clock. A change that moves a deadline later (a new
 * publication pushes going idle back) only writes the new time: the armed timer fires at the old
 * one, finds the deadline later and arms again for it. Only a deadline moved earlier replaces the
 * timer. (A timer made per change outlived the young generation until the next change: a tenth of
 * what a steady stream of changes promoted to the old generation.)
 */
export class DeadlineTimers {
  private readonly deadlines = new Map<string, Deadline>()

  constructor(
    private readonly clock: Clock,
    private readonly due: (address: string) => void,
  ) {}

  /** `address`'s next deadline is `at` (none when undefined). */
  set(address: string, at: number | undefined): void {
    const current = this.deadlines.get(address)
    if (at === undefined) return this.cancel(address)
    if (current) {
      current.at = at
      if (current.armed <= at) return
      current.handle.cancel()
      return this.arm(address, current)
    }
    const deadline: Deadline = { at, armed: at, handle: noTimer }
    this.deadlines.set(address, deadline)
    this.arm(address, deadline)
  }

  cancel(address: string): void {
    this.deadlines.get(address)?.handle.cancel()
    this.deadlines.delete(address)
  }

  clear(): void {
    for (const { handle } of this.deadlines.values()) handle.cancel()
    this.deadlines.clear()
  }

  private arm(address: string, deadline: Deadline): void {
    deadline.armed = deadline.at
    deadline.handle = this.clock.setTimer(deadline.at - this.clock.now(), () =>
      this.fired(address, deadline),
    )
  }

  private fired(address: string, deadline: Deadline): void {
    if (this.deadlines.get(address) !== deadline) return
    if (deadline.at > this.clock.now()) return this.arm(address, deadline)
    this.deadlines.delete(address)
    this.due(address)
  }
}

const noTimer: TimerHandle = { cancel: () => undefined }
