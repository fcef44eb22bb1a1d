// A cluster for tests: several Närvaro nodes as child processes (so one can be killed -9) on one fresh
// PostgreSQL schema and a Redis of the test's own (so it can be restarted); test support.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { freePort, spawnServer, type ChildServer } from './child-server.js'
import { usePostgresSchemas } from './postgres-schemas.js'
import { PrivateRedis } from './private-redis.js'
import { adminPassword, domain } from './server-harness.js'

export interface TestCluster {
  readonly redis: PrivateRedis
  readonly nodes: ChildServer[]
  /** Starts one more node (on a new port and data directory). */
  add(): Promise<ChildServer>
}

/** Registers cleanup for the file; each call of the returned function starts a new cluster. */
export const useCluster = () => {
  const { freshUrl } = usePostgresSchemas()
  const started: { redis: PrivateRedis; nodes: ChildServer[]; dirs: string[] }[] = []
  afterAll(async () => {
    for (const { redis, nodes, dirs } of started) {
      for (const node of nodes)
        if (node.process.exitCode === null && !node.process.killed) await node.kill9()
      await redis.kill()
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
    }
  })
  /** `viaPort` sends the nodes' PostgreSQL connections through that port (a test's proxy). */
  return async (
    size: number,
    options: { leaseSeconds?: number; viaPort?: number } = {},
  ): Promise<TestCluster> => {
    const redis = await PrivateRedis.start()
    const url = new URL(await freshUrl())
    if (options.viaPort !== undefined) url.port = String(options.viaPort)
    const databaseUrl = url.toString()
    const entry = { redis, nodes: [] as ChildServer[], dirs: [] as string[] }
    started.push(entry)
    const add = async () => {
      const dir = mkdtempSync(join(tmpdir(), 'narvaro-node-'))
      entry.dirs.push(dir)
      const node = await spawnServer({
        NARVARO_DATA_DIR: dir,
        NARVARO_PORT: String(await freePort()),
        NARVARO_DOMAIN: domain,
        NARVARO_ADMIN_PASSWORD: adminPassword,
        NARVARO_DATABASE_URL: databaseUrl,
        NARVARO_REDIS_URL: redis.url,
        NARVARO_NODE_LEASE: String(options.leaseSeconds ?? 10),
        NARVARO_GRACE_PERIOD: '0',
      })
      entry.nodes.push(node)
      return node
    }
    // The first node creates the organization alone; the others join it.
    await add()
    for (let i = 1; i < size; i++) await add()
    return { redis, nodes: entry.nodes, add }
  }
}

/** The webhook endpoints the nodes at `urls` deliver, summed (their /metrics). */
export const delivering = async (urls: readonly string[]): Promise<number> => {
  let sum = 0
  for (const url of urls) {
    const text = await fetch(`${url}/metrics`).then((r) => r.text())
    sum += Number(/^narvaro_webhook_endpoints_delivering (\d+)/m.exec(text)?.[1] ?? NaN)
  }
  return sum
}
