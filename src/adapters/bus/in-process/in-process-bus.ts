// The default bus adapter: delivers every event to the handlers of this process, synchronously and in
// order. An event published by a handler waits until the current one has reached every handler, and
// a handler's error is reported, never thrown into the publisher or kept from the other handlers.
import type { BusEvent, BusHandler, ChangeBus } from '../../../ports/bus.js'
import { BusHandlers, rethrowLater } from '../bus-handlers.js'

/** What `publish` returns: every event has reached the handlers by then (one promise for all). */
const delivered: Promise<void> = Promise.resolve()

export class InProcessChangeBus implements ChangeBus {
  private readonly handlers: BusHandlers
  private readonly queue: BusEvent[] = []
  private delivering = false

  /** `onError` receives what a handler threw; by default it is rethrown on a later turn (a crash). */
  constructor(onError: (error: unknown) => void = rethrowLater) {
    this.handlers = new BusHandlers(onError)
  }

  publish(event: BusEvent): Promise<void> {
    this.queue.push(event)
    if (this.delivering) return delivered
    this.delivering = true
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift())
        this.handlers.deliver(next)
    } finally {
      this.delivering = false
    }
    return delivered
  }

  subscribe(handler: BusHandler): () => void {
    return this.handlers.subscribe(handler)
  }

  ping(): Promise<void> {
    return Promise.resolve()
  }

  close(): Promise<void> {
    this.handlers.clear()
    this.queue.length = 0
    return Promise.resolve()
  }
}
