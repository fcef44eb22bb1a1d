// Runs jobs one at a time with a turn of the event loop before each, so one costly calendar
// expansion never blocks the others for long, and bounds how many jobs run at once; app layer.

/** One job at a time, in the order they came, each after a turn of the event loop. */
export class SerialWork {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => new Promise((resolve) => setImmediate(resolve))).then(job)
    this.tail = result.catch(() => undefined)
    return result
  }
}

/** At most `limit` jobs at once; the others wait in order. */
export class ConcurrencyLimit {
  private running = 0
  private readonly waiting: (() => void)[] = []

  constructor(private readonly limit: number) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    // A finished job hands its place to the next waiting one, so no newcomer can take it between.
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve))
    else this.running += 1
    try {
      return await job()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.running -= 1
    }
  }
}
