// The ChangeBus contract on the Redis bus (a real Redis at 127.0.0.1:6379, one stream per test), and
// what a cluster adds: two nodes on one stream deliver every event in the same order, whichever node
// published it.
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { RedisChangeBus } from '../../src/adapters/bus/redis/redis-change-bus.js'
import type { BusEvent, PresenceChanged } from '../../src/ports/bus.js'
import { PrivateRedis } from '../support/private-redis.js'
import { describeChangeBus } from './change-bus-contract.js'

const url = process.env['NARVARO_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379'
const streams: string[] = []
const freshStream = () => {
  const stream = `narvaro-test:${randomUUID()}`
  streams.push(stream)
  return stream
}

afterAll(async () => {
  const { createClient } = await import('redis')
  const client = createClient({ url })
  await client.connect()
  if (streams.length > 0) await client.del(streams)
  await client.close()
})

describeChangeBus('Redis', async () => {
  const errors: unknown[] = []
  const bus = await RedisChangeBus.open({
    url,
    stream: freshStream(),
    onError: (error) => errors.push(error),
  })
  return { bus, errors, settled: () => bus.delivered() }
})

const change = (address: string, seq: number): PresenceChanged =>
  ({ type: 'presence-changed', address, organizationId: 'acme', seq }) as PresenceChanged
const label = (e: BusEvent) => (e.type === 'presence-changed' ? `${e.address}:${e.seq}` : e.type)

describe('the Redis bus between nodes', () => {
  it('delivers every event once on every node, in one order, whichever node published it', async () => {
    const stream = freshStream()
    const nodes = await Promise.all([1, 2, 3].map(() => RedisChangeBus.open({ url, stream })))
    const seen = nodes.map(() => [] as string[])
    nodes.forEach((node, i) => node.subscribe((e) => seen[i]!.push(label(e))))
    await Promise.all(
      nodes.map(async (node, i) => {
        for (let seq = 1; seq <= 20; seq++) await node.publish(change(`p${i}`, seq))
      }),
    )
    await Promise.all(nodes.map((node) => node.delivered()))
    await expect.poll(() => seen.map((list) => list.length)).toEqual([60, 60, 60])
    expect(seen[1]).toEqual(seen[0])
    expect(seen[2]).toEqual(seen[0])
    for (let i = 0; i < 3; i++) {
      const own = seen[0]!.filter((l) => l.startsWith(`p${i}:`))
      expect(own).toEqual(Array.from({ length: 20 }, (_, s) => `p${i}:${s + 1}`))
    }
    await Promise.all(nodes.map((node) => node.close()))
  })

  it('a node that read too late for the stream’s trimming says it missed events', async () => {
    const stream = freshStream()
    const behind: string[] = []
    const slow = await RedisChangeBus.open({
      ...{ url, stream, maxLength: 50 },
      onBehind: () => behind.push(stream),
    })
    const other = await RedisChangeBus.open({ url, stream })
    let stalled = false
    slow.subscribe(() => {
      if (stalled) return
      stalled = true
      // While this node is stuck on its first event, another process floods and trims the stream.
      const event = JSON.stringify(change('flood', 1))
      const script = `import { createClient } from 'redis'
const c = createClient({ url: ${JSON.stringify(url)} }); await c.connect()
for (let i = 0; i < 300; i++) await c.xAdd(${JSON.stringify(stream)}, '*', { event: ${JSON.stringify(event)} }, { TRIM: { strategy: 'MAXLEN', threshold: 50 } })
await c.close()`
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script])
      expect(run.status, String(run.stderr)).toBe(0)
    })
    await other.publish(change('amy', 1))
    await other.publish(change('amy', 2))
    await expect.poll(() => behind.length).toBeGreaterThan(0)
    await Promise.all([slow.close(), other.close()])
  })

  it('a node that keeps up with a short stream never says it missed events', async () => {
    const stream = freshStream()
    const behind: string[] = []
    const bus = await RedisChangeBus.open({
      url,
      stream,
      maxLength: 10,
      onBehind: () => behind.push(stream),
    })
    for (let seq = 1; seq <= 400; seq++) {
      await bus.publish(change('amy', seq))
      await bus.delivered()
    }
    const { createClient } = await import('redis')
    const client = createClient({ url })
    await client.connect()
    // The stream was trimmed meanwhile, behind the reader.
    expect(await client.xLen(stream)).toBeLessThan(400)
    await client.close()
    expect(behind).toEqual([])
    await bus.close()
  })

  it('a node that starts later delivers only what was published after it started', async () => {
    const stream = freshStream()
    const first = await RedisChangeBus.open({ url, stream })
    await first.publish(change('amy', 1))
    const later = await RedisChangeBus.open({ url, stream })
    const seen: string[] = []
    later.subscribe((e) => seen.push(label(e)))
    await later.publish(change('amy', 2))
    await later.delivered()
    expect(seen).toEqual(['amy:2'])
    await Promise.all([first.close(), later.close()])
  })

  it('goes on after Redis restarts: publishing fails meanwhile with NRV_STORE_UNAVAILABLE', async () => {
    const redis = await PrivateRedis.start()
    const stream = freshStream()
    const nodes = [await RedisChangeBus.open({ url: redis.url, stream })]
    nodes.push(await RedisChangeBus.open({ url: redis.url, stream }))
    const seen: string[] = []
    nodes[1]!.subscribe((e) => seen.push(label(e)))
    await nodes[0]!.publish(change('amy', 1))
    await expect.poll(() => seen).toEqual(['amy:1'])
    await redis.kill()
    await expect(nodes[0]!.publish(change('amy', 2))).rejects.toMatchObject({
      code: 'NRV_STORE_UNAVAILABLE',
    })
    await redis.restart()
    await expect
      .poll(async () =>
        nodes[0]!.publish(change('amy', 3)).then(
          () => true,
          () => false,
        ),
      )
      .toBe(true)
    await expect.poll(() => seen, { timeout: 10_000 }).toContain('amy:3')
    expect(seen.filter((l) => l === 'amy:1')).toHaveLength(1)
    await Promise.all(nodes.map((node) => node.close()))
    await redis.kill()
  })

  it('refuses to open when Redis cannot be reached, with NRV_STORE_UNAVAILABLE', async () => {
    await expect(
      RedisChangeBus.open({ url: 'redis://127.0.0.1:1', stream: freshStream() }),
    ).rejects.toMatchObject({ code: 'NRV_STORE_UNAVAILABLE' })
  })
})
