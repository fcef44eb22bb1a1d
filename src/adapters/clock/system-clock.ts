// The real clock adapter: wall time and Node timers.
import type { Clock, TimerHandle } from '../../ports/clock.js'

/** Node's largest timer delay; longer delays are re-armed in steps. */
const maxDelay = 2_147_483_647

export class SystemClock implements Clock {
  now(): number {
    return Date.now()
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const due = Date.now() + delayMs
    let timer: NodeJS.Timeout
    const arm = (delay: number) => {
      timer = setTimeout(
        () => {
          const left = due - Date.now()
          if (left > 0) arm(left)
          else callback()
        },
        Math.min(Math.max(delay, 0), maxDelay),
      )
      timer.unref()
    }
    arm(delayMs)
    return { cancel: () => clearTimeout(timer) }
  }
}
