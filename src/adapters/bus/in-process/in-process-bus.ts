// The default bus adapter: delivers every event to the handlers of this process, synchronously and in
// order. An event published by a handler waits until the current one has reached every handler, and
// a handler's error is reported, never thrown into the publisher or kept from the other handlers.
import type { BusEvent, BusHandler, ChangeBus } from '../../../ports/bus.js'

export class InProcessChangeBus implements ChangeBus {
  private readonly handlers = new Set<BusHandler>()
  private readonly queue: BusEvent[] = []
  private delivering = false

  /** `onError` receives what a handler threw; by default it is rethrown on a later turn (a crash). */
  constructor(
    private readonly onError: (error: unknown) => void = (error) =>
      queueMicrotask(() => {
        throw error
      }),
  ) {}

  publish(event: BusEvent): Promise<void> {
    this.queue.push(event)
    if (this.delivering) return Promise.resolve()
    this.delivering = true
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) this.deliver(next)
    } finally {
      this.delivering = false
    }
    return Promise.resolve()
  }

  private deliver(event: BusEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(event)
      } catch (error) {
        this.onError(error)
      }
    }
  }

  subscribe(handler: BusHandler): () => void {
    // A handler added twice is two subscriptions: wrap it so each has its own identity.
    const own: BusHandler = (event) => handler(event)
    this.handlers.add(own)
    return () => this.handlers.delete(own)
  }

  close(): Promise<void> {
    this.handlers.clear()
    this.queue.length = 0
    return Promise.resolve()
  }
}
