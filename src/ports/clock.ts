// The clock port: the time and the timers of everything outside the core.

/** A scheduled callback that can be cancelled. */
export interface TimerHandle {
  cancel(): void
}

/** Time and timers. Tests use `FixedClock`, which moves only when told, so nothing sleeps. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number
  /** Runs `callback` once, `delayMs` from now. */
  setTimer(delayMs: number, callback: () => void): TimerHandle
}
