// Values written to the store behind the work that produced them: gathered for a moment (the latest
// per key) and written in one transaction, one batch after another, so that thousands of sessions
// coming and going cost a few commits instead of one each and nobody waits for the store. A
// failing write is reported, never thrown at the work; app layer.
import type { Clock, TimerHandle } from '../../ports/clock.js'

export class WriteBehind {
  private pending = new Map<string, number>()
  private timer: TimerHandle | undefined
  /** The writes under way, one after another. */
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly deps: {
      readonly clock: Clock
      /** How long values gather before they are written together. */
      readonly afterMs: number
      /** Writes one batch, in one transaction. */
      readonly write: (batch: ReadonlyMap<string, number>) => Promise<void>
      readonly onError?: (error: unknown) => void
    },
  ) {}

  /** `key` takes `value`: written with the others within `afterMs`. */
  set(key: string, value: number): void {
    this.pending.set(key, value)
    this.timer ??= this.deps.clock.setTimer(this.deps.afterMs, () => void this.flush())
  }

  /** What is still gathering for `key` is not written. */
  delete(key: string): void {
    this.pending.delete(key)
  }

  /** Writes what gathered, after the writes before it; resolves when all are done. */
  flush(): Promise<void> {
    this.timer?.cancel()
    this.timer = undefined
    if (this.pending.size === 0) return this.writing
    const batch = this.pending
    this.pending = new Map()
    this.writing = this.writing.then(() =>
      this.deps.write(batch).catch((error: unknown) => this.deps.onError?.(error)),
    )
    return this.writing
  }
}
