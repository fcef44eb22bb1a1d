// `narvaro serve --workers 2`: two node processes of one cluster behind one port (on PostgreSQL and a
// Redis of the test's own); both serve, people on either see each other live, a worker killed -9 is
// replaced, and SIGTERM stops everything in order.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { get } from 'node:http'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../support/child-server.js'
import { usePostgresSchemas } from '../support/postgres-schemas.js'
import { PrivateRedis } from '../support/private-redis.js'
import {
  TestSocket,
  addUsers,
  adminPassword,
  api,
  domain,
  eventually,
  testPasswordCost,
} from '../support/server-harness.js'

const { freshUrl } = usePostgresSchemas()
const dataDir = mkdtempSync(join(tmpdir(), 'narvaro-workers-'))
let redis: PrivateRedis | undefined
let running: ChildProcess | undefined
afterAll(async () => {
  // A failed run leaves nothing behind: the primary's workers first, then the primary.
  if (running?.exitCode === null) {
    for (const pid of workersOf(running.pid!)) process.kill(pid, 'SIGKILL')
    running.kill('SIGKILL')
  }
  await redis?.kill()
  rmSync(dataDir, { recursive: true, force: true })
})

/** The node answering /readyz on a new connection of its own (one handed to a worker as it died fails). */
const readyNode = (url: string): Promise<string | undefined> =>
  new Promise((resolve, reject) => {
    const request = get(`${url}/readyz`, { agent: false, timeout: 2000 }, (response) => {
      let text = ''
      response.on('data', (chunk: Buffer) => (text += chunk.toString()))
      response.on('end', () => resolve((JSON.parse(text) as { node?: string }).node))
    })
    request.on('timeout', () => request.destroy(new Error('no answer')))
    request.on('error', reject)
  })

/** The node ids that answer over new connections (the primary spreads them over the workers). */
const nodesAnswering = async (url: string, tries: number): Promise<Set<string>> => {
  const nodes = new Set<string>()
  for (let i = 0; i < tries; i++) {
    const node = await readyNode(url).catch(() => undefined)
    if (node) nodes.add(node)
  }
  return nodes
}

function workersOf(pid: number): number[] {
  try {
    const out = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
    return out.trim().split('\n').map(Number)
  } catch {
    return []
  }
}

describe('serve --workers', { timeout: 90_000 }, () => {
  it('runs two nodes behind one port, replaces one that dies, and stops in order', async () => {
    redis = await PrivateRedis.start()
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const primary = spawn(
      process.execPath,
      ['bin/narvaro.js', 'serve', '--workers', '2', '--port', String(port), '--data-dir', dataDir],
      {
        env: {
          ...process.env,
          ...testPasswordCost,
          NARVARO_DOMAIN: domain,
          NARVARO_ADMIN_PASSWORD: adminPassword,
          NARVARO_DATABASE_URL: await freshUrl(),
          NARVARO_REDIS_URL: redis.url,
          NARVARO_NODE_LEASE: '2',
          NARVARO_LOG_LEVEL: 'silent',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    running = primary
    let terminal = ''
    primary.stderr.on('data', (chunk: Buffer) => (terminal += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => primary.once('exit', resolve))
    await eventually(() => terminal.includes('2 workers share the port'), 30_000)
    expect(terminal).toContain(`Närvaro is listening on ${url}`)
    // The data directory belongs to the primary while it runs.
    expect(existsSync(join(dataDir, 'narvaro.lock'))).toBe(true)
    expect((await nodesAnswering(url, 20)).size).toBe(2)

    const { tokens } = await addUsers(url, ['amy', 'bo'])
    await api(url, {
      path: '/v1/subscriptions',
      token: tokens['bo'],
      body: { address: `amy@${domain}` },
    })
    const watch = async () => {
      const bo = await TestSocket.open(url, tokens['bo']!)
      await bo.request({ type: 'subscribe', addresses: [`amy@${domain}`] })
      await bo.next((m) => m.type === 'snapshot')
      return bo
    }
    const amy = await TestSocket.open(url, tokens['amy']!)
    const watchers = [await watch(), await watch(), await watch()]
    await amy.request({ type: 'publish', source: 'laptop', availability: 'busy' })
    for (const bo of watchers) {
      const change = await bo.next((m) => m.type === 'change')
      expect(change['view']).toMatchObject({ availability: 'busy' })
    }

    // A worker killed -9 is replaced by a new node; the service goes on.
    const [victim] = workersOf(primary.pid!)
    const before = await nodesAnswering(url, 10)
    process.kill(victim!, 'SIGKILL')
    await eventually(async () => {
      const now = await nodesAnswering(url, 10)
      return now.size === 2 && [...now].some((node) => !before.has(node))
    }, 30_000)
    expect(terminal).toContain('a worker stopped')

    primary.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(terminal).toContain('SIGTERM: stopping 2 workers')
    expect(existsSync(join(dataDir, 'narvaro.lock'))).toBe(false)
  })
})
