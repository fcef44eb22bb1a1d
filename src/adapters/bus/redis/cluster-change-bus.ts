// A cluster node's change channel: everything decided anywhere goes through the Redis stream, in one
// order for all nodes, and reaches this node's handlers from there; the presence changes this node's
// engine derives from that stream are delivered here only (every node derives the same ones). Adapter
// layer.
import type { BusEvent, BusHandler, ChangeBus } from '../../../ports/bus.js'
import { InProcessChangeBus } from '../in-process/in-process-bus.js'
import type { RedisChangeBus } from './redis-change-bus.js'

export class ClusterChangeBus implements ChangeBus {
  private readonly local: InProcessChangeBus

  constructor(
    private readonly remote: RedisChangeBus,
    /** Stamped on policy changes, so other nodes know it was not theirs. */
    private readonly node: string,
    onError?: (error: unknown) => void,
  ) {
    this.local = new InProcessChangeBus(onError)
    remote.subscribe((event) => void this.local.publish(event))
  }

  publish(event: BusEvent): Promise<void> {
    if (event.type === 'presence-changed') return this.local.publish(event)
    if (event.type === 'policy-changed') return this.remote.publish({ ...event, origin: this.node })
    return this.remote.publish(event)
  }

  subscribe(handler: BusHandler): () => void {
    return this.local.subscribe(handler)
  }

  /** Resolves once what this node published so far came back from the stream and was delivered. */
  delivered(): Promise<void> {
    return this.remote.delivered()
  }

  ping(): Promise<void> {
    return this.remote.ping()
  }

  async close(): Promise<void> {
    await this.remote.close()
    await this.local.close()
  }
}
