// The default bus adapter: delivers presence changes to handlers in this process, synchronously and in order.
import type { BusEvent, BusHandler, ChangeBus } from '../../../ports/bus.js'

export class InProcessChangeBus implements ChangeBus {
  private readonly handlers = new Set<BusHandler>()

  publish(event: BusEvent): Promise<void> {
    for (const handler of this.handlers) handler(event)
    return Promise.resolve()
  }

  subscribe(handler: BusHandler): () => void {
    this.handlers.add(handler)
    return () => this.handlers.delete(handler)
  }

  close(): Promise<void> {
    this.handlers.clear()
    return Promise.resolve()
  }
}
