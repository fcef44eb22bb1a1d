// Node leases in Redis: one sorted set of node ids scored by when each lease runs out, by Redis's own
// clock (so the machines' clocks may differ); a claim on a dead node is a key set only if absent, so
// one survivor ends what it held. Adapter layer.
import type { NodeLeases } from '../../../ports/node-leases.js'
import { redisClient, unavailable, type Client } from './redis-client.js'

/** Redis's time in ms, for the scripts. */
const redisNow = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`

/**
 * Renews; answers how long ago the leases began (a marker set when missing: Redis started empty, or
 * the cluster is new).
 */
const renewScript = `${redisNow}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('SET', KEYS[2], now, 'NX')
return now - tonumber(redis.call('GET', KEYS[2]))`

const rangeScript = `${redisNow}
if ARGV[1] == 'live' then return redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf') end
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)`

/**
 * Claims a node once per lease: the node leaves the set, and the claim lasts a lease, so the nodes
 * checking in the same round do not claim it twice. A node taken for dead that renews comes back into
 * the set, and can be claimed again when it really dies.
 */
const claimScript = `if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0`

export class RedisNodeLeases implements NodeLeases {
  private readonly nodes: string

  private constructor(
    private readonly client: Client,
    private readonly prefix: string,
  ) {
    this.nodes = `${prefix}:nodes`
  }

  /** `prefix` namespaces the keys: every node of one cluster uses the same one. */
  static async open(url: string, prefix = 'narvaro'): Promise<RedisNodeLeases> {
    const client = redisClient(url)
    client.on('error', () => undefined)
    await client.connect().catch((error: unknown) => {
      client.destroy()
      throw unavailable(error)
    })
    return new RedisNodeLeases(client, prefix)
  }

  private async run<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action()
    } catch (error) {
      throw unavailable(error)
    }
  }

  renew(node: string, ttlMs: number): Promise<number> {
    return this.run(async () => {
      const keys = [this.nodes, `${this.prefix}:leases-since`]
      return Number(await this.client.eval(renewScript, { keys, arguments: [node, String(ttlMs)] }))
    })
  }

  private range(which: 'live' | 'expired'): Promise<string[]> {
    return this.run(
      async () =>
        (await this.client.eval(rangeScript, {
          keys: [this.nodes],
          arguments: [which],
        })) as string[],
    )
  }

  live(): Promise<string[]> {
    return this.range('live')
  }

  expired(): Promise<string[]> {
    return this.range('expired')
  }

  claim(node: string, ttlMs: number): Promise<boolean> {
    return this.run(async () => {
      const keys = [this.nodes, `${this.prefix}:gone:${node}`]
      const claimed = await this.client.eval(claimScript, {
        keys,
        arguments: [node, String(ttlMs)],
      })
      return claimed === 1
    })
  }

  release(node: string): Promise<void> {
    return this.run(async () => {
      await this.client.zRem(this.nodes, node)
    })
  }

  epoch(proposed: string): Promise<string> {
    return this.run(async () => {
      const key = `${this.prefix}:epoch`
      await this.client.set(key, proposed, { condition: 'NX' })
      return (await this.client.get(key)) ?? proposed
    })
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined)
  }
}
