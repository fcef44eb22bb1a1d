// A cluster node's parts (NARVARO_REDIS_URL): the change channel through Redis, the node leases, this
// node's id and the cluster's epoch; composition root.
import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { ClusterChangeBus } from '../adapters/bus/redis/cluster-change-bus.js'
import { RedisChangeBus } from '../adapters/bus/redis/redis-change-bus.js'
import { RedisNodeLeases } from '../adapters/bus/redis/redis-node-leases.js'
import { NodeMembership } from '../app/presence/index.js'
import type { NarvaroServices } from '../app/services.js'

export interface ClusterNode {
  readonly node: string
  readonly epoch: string
  readonly bus: ClusterChangeBus
  /** Takes the lease and gets the other nodes' sources; after the services are built. */
  join(services: NarvaroServices, leaseMs: number): Promise<void>
  /** Leaves in order: the others drop this node's sources at once. */
  leave(): Promise<void>
  close(): Promise<void>
}

/** The leases' own connection; without it, the bus's is closed again. */
const openLeases = (redisUrl: string, remote: RedisChangeBus): Promise<RedisNodeLeases> =>
  RedisNodeLeases.open(redisUrl).catch(async (error: unknown) => {
    await remote.close()
    throw error
  })

/**
 * A node that fell behind the change channel missed events it cannot know (a policy, a revoked token,
 * presence): it stops in order and exits with a failure, to be started again by its supervisor
 * (systemd, `serve --workers`) and rejoin whole; its clients resume on the other nodes meanwhile.
 */
const stopBehind = (logger: Logger): void => {
  logger.fatal('this node fell behind the change channel and missed events: stopping to rejoin')
  process.exitCode = 1
  process.kill(process.pid, 'SIGTERM')
}

/** The Redis change channel, telling this node's membership when Redis is back. */
const openChannel = (
  redisUrl: string,
  logger: Logger,
  recovered: () => void,
): Promise<RedisChangeBus> =>
  RedisChangeBus.open({
    url: redisUrl,
    onError: (error: unknown) => logger.error({ err: error }, 'background task failed'),
    onRecovered: () => {
      logger.warn('Redis is back: sending this node’s sources again')
      recovered()
    },
    onBehind: () => stopBehind(logger),
  })

export const openCluster = async (redisUrl: string, logger: Logger): Promise<ClusterNode> => {
  const node = randomUUID()
  const onError = (error: unknown) => logger.error({ err: error }, 'background task failed')
  let membership: NodeMembership | undefined
  const remote = await openChannel(redisUrl, logger, () => {
    membership?.recovered()
    // Redis may have come back empty: the epoch stays the one the nodes already use.
    leases.epoch(epoch).catch(onError)
  })
  const leases: RedisNodeLeases = await openLeases(redisUrl, remote)
  const epoch = (await leases.epoch(randomUUID().slice(0, 8))).slice(0, 8)
  const bus = new ClusterChangeBus(remote, node, onError)
  return {
    node,
    epoch,
    bus,
    join: async (services, leaseMs) => {
      const { engine, clock, webhooks } = services
      membership = new NodeMembership({
        ...{ node, leaseMs, leases, bus, clock, engine, onError },
        // Each webhook endpoint is delivered by one live node.
        onLiveNodes: (nodes) => void webhooks.nodesChanged(nodes),
      })
      await membership.start()
      logger.info({ node, epoch }, 'joined the cluster')
    },
    leave: async () => {
      await membership?.stop().catch(onError)
      await bus.delivered()
    },
    close: async () => {
      await bus.close()
      await leases.close()
    },
  }
}
