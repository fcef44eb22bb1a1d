// A periodic duty for many members (a heartbeat for every connection) spread over its period: the
// members are kept in slices, and each tick serves one slice, so every member is served once a
// period and no tick holds the event loop for all of them at once; transport layer.
import { clearInterval, setInterval } from 'node:timers'

export class StaggeredTicker<T> {
  private readonly slices: Set<T>[]
  private readonly sliceOf = new Map<T, Set<T>>()
  private next = 0
  private readonly timer: ReturnType<typeof setInterval>

  /**
   * Calls `duty` for each member once every `periodMs`: one slice a tick, ticks at least 100 ms
   * apart, at most `maxSlices` slices.
   */
  constructor(
    periodMs: number,
    private readonly duty: (member: T) => void,
    maxSlices = 30,
  ) {
    const count = Math.max(1, Math.min(maxSlices, Math.floor(periodMs / 100)))
    this.slices = Array.from({ length: count }, () => new Set<T>())
    this.timer = setInterval(() => this.tick(), Math.floor(periodMs / count))
    this.timer.unref()
  }

  /** Serves the next slice (the timer calls it; tests too). */
  tick(): void {
    const slice = this.slices[this.next]!
    this.next = (this.next + 1) % this.slices.length
    for (const member of [...slice]) this.duty(member)
  }

  /** Adds a member to the smallest slice. */
  add(member: T): void {
    if (this.sliceOf.has(member)) return
    let smallest = this.slices[0]!
    for (const slice of this.slices) if (slice.size < smallest.size) smallest = slice
    smallest.add(member)
    this.sliceOf.set(member, smallest)
  }

  delete(member: T): void {
    this.sliceOf.get(member)?.delete(member)
    this.sliceOf.delete(member)
  }

  /** Every member, in no particular order. */
  members(): IterableIterator<T> {
    return this.sliceOf.keys()
  }

  get size(): number {
    return this.sliceOf.size
  }

  stop(): void {
    clearInterval(this.timer)
  }
}
