// A cluster node's lease and its watch over the others' (NARVARO_NODE_LEASE): it renews its own lease,
// and when another node's runs out, the one survivor that claims it puts `node-gone` on the change
// channel, so that node's people go offline everywhere instead of staying online as ghosts. At start
// it asks the others for their sources and waits until each live node has sent them. It tells which
// nodes are live, so that work done by one node at a time (a webhook endpoint) has one owner. App layer.
import { createHash } from 'node:crypto'
import type { ChangeBus } from '../../ports/bus.js'
import type { Clock, TimerHandle } from '../../ports/clock.js'
import type { NodeLeases } from '../../ports/node-leases.js'
import type { PresenceEngine } from './presence-engine.js'

export interface NodeMembershipOptions {
  readonly node: string
  readonly leaseMs: number
  readonly leases: NodeLeases
  readonly bus: ChangeBus
  readonly clock: Clock
  readonly engine: PresenceEngine
  readonly onError: (error: unknown) => void
  /** The live nodes, sorted: at start, and whenever the set changes. */
  readonly onLiveNodes?: (nodes: readonly string[]) => void
}

/**
 * The one node of `nodes` that does the work named `key` (rendezvous hashing): every node that knows
 * the same live nodes picks the same one, and a node joining or leaving moves only its share.
 */
export const ownerAmong = (key: string, nodes: readonly string[]): string | undefined => {
  let owner: string | undefined
  let best = ''
  for (const node of nodes) {
    const score = createHash('sha256').update(`${node}\n${key}`).digest('hex')
    if (owner === undefined || score > best) [owner, best] = [node, score]
  }
  return owner
}

export class NodeMembership {
  private timer: TimerHandle | undefined
  /** No node is declared dead before this moment (after this node's start or its own outage). */
  private quietUntil = 0
  private stopped = false
  private checking = false
  /** The live nodes last told to `onLiveNodes`, joined. */
  private liveKnown = ''

  constructor(private readonly options: NodeMembershipOptions) {}

  /** How often the lease is renewed and the others' are checked: three times a lease. */
  private get intervalMs(): number {
    return Math.max(Math.floor(this.options.leaseMs / 3), 50)
  }

  /** Takes the lease, then gets every live node's sources (or waits a lease at most). */
  async start(): Promise<void> {
    const { leases, node, leaseMs, bus, clock } = this.options
    await leases.renew(node, leaseMs)
    this.quietUntil = clock.now() + leaseMs
    const others = (await leases.live()).filter((n) => n !== node)
    const answered = this.answers(new Set(others))
    await bus.publish({ type: 'sync-request', node })
    this.tell([...others, node])
    this.schedule()
    await Promise.race([answered, new Promise((resolve) => setTimeout(resolve, leaseMs))])
  }

  /** Resolves when each of `waiting` said it sent this node all its sources. */
  private answers(waiting: Set<string>): Promise<void> {
    if (waiting.size === 0) return Promise.resolve()
    return new Promise((resolve) => {
      const stop = this.options.bus.subscribe((event) => {
        if (event.type !== 'sync-done' || event.requester !== this.options.node) return
        waiting.delete(event.node)
        if (waiting.size > 0) return
        stop()
        resolve()
      })
      setTimeout(() => {
        stop()
        resolve()
      }, this.options.leaseMs).unref()
    })
  }

  /**
   * The change channel came back after an outage (Redis restarted, maybe empty): the lease is renewed,
   * this node's sources are sent again, and nobody is declared dead for a lease, while the others renew.
   */
  recovered(): void {
    const { leases, node, leaseMs, clock, engine, onError } = this.options
    this.quietUntil = clock.now() + leaseMs
    leases.renew(node, leaseMs).catch(onError)
    engine.resync().catch(onError)
  }

  private schedule(): void {
    if (this.stopped) return
    this.timer = this.options.clock.setTimer(this.intervalMs, () => {
      this.tick()
        .catch(this.options.onError)
        .finally(() => this.schedule())
    })
  }

  private async tick(): Promise<void> {
    const { leases, node, leaseMs, clock } = this.options
    // Within a lease of Redis starting empty, the others may not have renewed their leases yet.
    const since = await leases.renew(node, leaseMs)
    if (since < leaseMs) this.quietUntil = Math.max(this.quietUntil, clock.now() + leaseMs - since)
    if (this.options.onLiveNodes) this.tell(await leases.live())
    if (this.checking || clock.now() < this.quietUntil) return
    this.checking = true
    try {
      for (const gone of await this.dead()) await this.end(gone)
    } finally {
      this.checking = false
    }
  }

  /**
   * Nodes whose lease ran out, and nodes that hold sources without any lease (it was lost with Redis
   * and they never came back to renew it).
   */
  private async dead(): Promise<string[]> {
    const { leases, engine, node } = this.options
    const dead = new Set(await leases.expired())
    const live = new Set(await leases.live())
    for (const holder of engine.holders()) if (!live.has(holder)) dead.add(holder)
    dead.delete(node)
    return [...dead]
  }

  /** Tells `onLiveNodes` the live nodes when they changed. */
  private tell(nodes: readonly string[]): void {
    const sorted = [...new Set(nodes)].sort()
    const joined = sorted.join(' ')
    if (joined === this.liveKnown || this.stopped) return
    this.liveKnown = joined
    this.options.onLiveNodes?.(sorted)
  }

  private async end(gone: string): Promise<void> {
    const { leases, node, bus, clock, leaseMs } = this.options
    if (!(await leases.claim(gone, leaseMs))) return
    await bus.publish({ type: 'node-gone', node, gone, at: clock.now() })
  }

  /** Stops in order: the lease ends and the others drop this node's sources at once. */
  async stop(): Promise<void> {
    const { leases, node, bus, clock } = this.options
    this.stopped = true
    this.timer?.cancel()
    await bus.publish({ type: 'node-gone', node, gone: node, at: clock.now() })
    await leases.release(node)
  }
}
