// Many timed jobs on one Clock timer: a binary min-heap by due time, jobs replaced or cancelled by
// key (lazily: a stale heap node is skipped when it comes up); app layer.
import type { Clock, TimerHandle } from '../../ports/clock.js'

interface Node {
  readonly at: number
  readonly key: string
  readonly version: number
}

/** The longest one turn of the event loop spends on due jobs. */
const sliceMs = 10

/** Earlier first; at the same time, in the order they were scheduled. */
const before = (a: Node, b: Node): boolean =>
  a.at < b.at || (a.at === b.at && a.version < b.version)

export class TimerQueue {
  private readonly heap: Node[] = []
  /** The live job of each key: its version and what it runs. */
  private readonly jobs = new Map<string, { version: number; at: number; run: () => void }>()
  private version = 0
  private timer: { at: number; handle: TimerHandle } | undefined
  private stopped = false

  constructor(
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Runs `run` at `at` (at once if it is past), replacing the job of the same key. */
  schedule(key: string, at: number, run: () => void): void {
    if (this.stopped) return
    const version = ++this.version
    this.jobs.set(key, { version, at, run })
    this.push({ at, key, version })
    this.arm()
  }

  cancel(key: string): void {
    this.jobs.delete(key)
  }

  has(key: string): boolean {
    return this.jobs.has(key)
  }

  get size(): number {
    return this.jobs.size
  }

  stop(): void {
    this.stopped = true
    this.timer?.handle.cancel()
    this.timer = undefined
    this.jobs.clear()
    this.heap.length = 0
  }

  private arm(): void {
    this.dropStale()
    const head = this.heap[0]
    if (this.timer && head && this.timer.at === head.at) return
    this.timer?.handle.cancel()
    this.timer = undefined
    if (!head) return
    const handle = this.clock.setTimer(Math.max(head.at - this.clock.now(), 0), () => {
      this.timer = undefined
      this.runDue()
    })
    this.timer = { at: head.at, handle }
  }

  /**
   * Runs what is due, for at most a slice of time: when thousands of jobs fall due at once (everyone's
   * working hours end at 17:00), the rest runs in the next turns of the event loop, so sockets flush
   * and other requests are served in between.
   */
  private runDue(): void {
    const now = this.clock.now()
    const started = performance.now()
    for (let head = this.heap[0]; head && head.at <= now; head = this.heap[0]) {
      if (performance.now() - started > sliceMs) break
      this.pop()
      const job = this.jobs.get(head.key)
      if (!job || job.version !== head.version) continue
      this.jobs.delete(head.key)
      try {
        job.run()
      } catch (error) {
        this.onError(error)
      }
    }
    if (!this.stopped) this.arm()
  }

  private dropStale(): void {
    for (let head = this.heap[0]; head; head = this.heap[0]) {
      if (this.jobs.get(head.key)?.version === head.version) return
      this.pop()
    }
  }

  private push(node: Node): void {
    const heap = this.heap
    heap.push(node)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(node, heap[parent]!)) break
      heap[i] = heap[parent]!
      i = parent
    }
    heap[i] = node
  }

  private pop(): void {
    const heap = this.heap
    const last = heap.pop()
    if (!last || heap.length === 0) return
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= heap.length) break
      const right = left + 1
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left
      if (!before(heap[child]!, last)) break
      heap[i] = heap[child]!
      i = child
    }
    heap[i] = last
  }
}
