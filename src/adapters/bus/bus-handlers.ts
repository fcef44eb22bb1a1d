// The handlers of a bus adapter, in the order they subscribed: each event reaches every one, and a
// handler's error is reported, never thrown into the publisher or kept from the other handlers.
// Shared by the in-process and the Redis bus; adapter layer.
import type { BusEvent, BusHandler } from '../../ports/bus.js'

/** By default a handler's error is rethrown on a later turn (a crash), never swallowed. */
export const rethrowLater = (error: unknown): void =>
  queueMicrotask(() => {
    throw error
  })

export class BusHandlers {
  private readonly handlers = new Set<BusHandler>()

  constructor(private readonly onError: (error: unknown) => void = rethrowLater) {}

  /** Adds a handler; returns how to remove it. One added twice is two subscriptions. */
  subscribe(handler: BusHandler): () => void {
    const own: BusHandler = (event) => handler(event)
    this.handlers.add(own)
    return () => this.handlers.delete(own)
  }

  /** Delivers `event` to every handler (those cleared meanwhile get nothing more). */
  deliver(event: BusEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(event)
      } catch (error) {
        this.onError(error)
      }
    }
  }

  /** Reports an error of the bus itself (an event it could not read) as a handler's would be. */
  reportError(error: unknown): void {
    this.onError(error)
  }

  clear(): void {
    this.handlers.clear()
  }
}
