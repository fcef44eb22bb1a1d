// A change channel with another node's lag: what is published is delivered to the handlers (through a
// real in-process bus) only when `flush` is called.
import { InProcessChangeBus } from '../../src/adapters/bus/in-process/in-process-bus.js'
import type { BusEvent, BusHandler, ChangeBus } from '../../src/ports/bus.js'

export class LaggingBus implements ChangeBus {
  readonly held: BusEvent[] = []
  readonly inner = new InProcessChangeBus()
  publish(event: BusEvent): Promise<void> {
    this.held.push(event)
    return Promise.resolve()
  }
  subscribe(handler: BusHandler): () => void {
    return this.inner.subscribe(handler)
  }
  async flush(): Promise<void> {
    for (const event of this.held.splice(0)) await this.inner.publish(event)
  }
  ping(): Promise<void> {
    return this.inner.ping()
  }
  close(): Promise<void> {
    return this.inner.close()
  }
}
