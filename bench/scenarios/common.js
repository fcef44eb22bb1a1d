// What every scenario does against one target: start it pinned on its own core (Närvaro on a copy
// of the users' database), connect the load, measure a phase (CPU from /proc, latency from the
// workers), read memory, and always stop what it started; bench support.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { setInterval, clearInterval } from 'node:timers'
import { profileDir } from '../lib/alloc-profile.js'
import { nowMs, sleep } from '../lib/clock.js'
import { Histogram } from '../lib/histogram.js'
import { LoadPool, mergePhase } from '../lib/load-pool.js'
import { cpuMs, listenDrops, memoryKb, threadCpu, threadCpuDelta } from '../lib/proc.js'
import { startNarvaro, startRelay } from '../lib/targets.js'
import { dataDirFromTemplate, postgresUsers } from '../lib/users.js'

/**
 * @typedef {object} Context
 * @property {ReturnType<import('../lib/proc.js').pinningPlan>} pin
 * @property {{ index: number, address: string, token: string }[]} users every bench user
 * @property {boolean} cpuProf
 */

/**
 * When each measured phase ran, on the monotonic clock that V8's CPU profiles also use, so that a
 * server profile can be cut to the phases (bench/profile-summary.js).
 */
export const phaseWindows = []

export const targetKinds = (options) => (options.relay ? ['narvaro', 'relay'] : ['narvaro'])
export { profileDir }

/**
 * Starts a target, runs `body` with it, and stops it even when `body` fails; `env` adds settings
 * of Närvaro, and `prepare` changes its copy of the template database before it starts.
 */
export const withTarget = async (kind, ctx, body, env = {}, prepare = undefined) => {
  if (kind === 'narvaro' && ctx.nodes !== undefined) return withCluster(ctx, body, env)
  const dataDir = kind === 'narvaro' ? dataDirFromTemplate() : undefined
  if (dataDir && prepare) await prepare(dataDir)
  const options = {
    dataDir,
    cpu: ctx.pin.pinned ? ctx.pin.serverCpu : undefined,
    cpuProfileDir: ctx.cpuProf ? profileDir : undefined,
    env,
  }
  const target = kind === 'narvaro' ? await startNarvaro(options) : await startRelay(options)
  try {
    await sleep(1000)
    return await body(target)
  } finally {
    const code = await target.stop()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    if (code !== 0 && code !== null) process.stderr.write(`  ${kind} exited with code ${code}\n`)
  }
}

/**
 * Närvaro as `serve --workers N` on PostgreSQL and Redis, unpinned (its nodes use every core, as in
 * production), with the bench users (same tokens) and the admin seeded into a fresh schema.
 */
const withCluster = async (ctx, body, env) => {
  const databaseBase =
    process.env.NARVARO_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  const redisUrl = process.env.NARVARO_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/9'
  await flushRedis(redisUrl)
  const { databaseUrl, drop } = await postgresUsers(databaseBase, ctx.users)
  const dataDir = mkdtempSync(join(os.tmpdir(), 'narvaro-bench-cluster-'))
  const clusterEnv = { ...env, NARVARO_DATABASE_URL: databaseUrl, NARVARO_REDIS_URL: redisUrl }
  process.stderr.write(
    `  Närvaro: ${ctx.nodes} node(s) behind one port on PostgreSQL and Redis, not pinned\n`,
  )
  const target = await startNarvaro({ dataDir, workers: ctx.nodes, env: clusterEnv })
  try {
    await sleep(1000)
    return await body(target)
  } finally {
    await target.stop()
    rmSync(dataDir, { recursive: true, force: true })
    await drop()
    await flushRedis(redisUrl)
  }
}

const flushRedis = async (url) => {
  const { createClient } = await import('redis')
  const client = createClient({ url })
  await client.connect()
  await client.flushDb()
  await client.close()
}

/** Forks the workers and opens every connection (subscribed, snapshots received). */
export const connectLoad = async (target, ctx, { users, k, sessionsPerUser = 1, options }) => {
  const sessions = users.length * sessionsPerUser
  // XMPP and SIP connections: one source address has ~28,000 ephemeral ports (32768–60999). Past
  // that, several 127.0.0.x are used; only then, because binding a source address makes the kernel
  // search for a free port at bind(), which grows slow with thousands of ports in use or in
  // TIME-WAIT. WebSocket connections pick their own address and port (bench/lib/source-ports.js).
  const sources = sessions > 25_000 ? Math.ceil(sessions / 25_000) : 0
  const localAddresses =
    sources === 0 ? [undefined] : Array.from({ length: sources }, (_, i) => `127.0.0.${i + 1}`)
  const pool = await LoadPool.start({
    workers: options.workers,
    cpu: ctx.pin.pinned ? ctx.pin.loadCpu : undefined,
    users,
    target: { kind: target.kind, url: target.url, ...target.load },
    k,
    sessionsPerUser,
    localAddresses,
  })
  const cpu0 = cpuMs(target.pid)
  const drops0 = listenDrops().drops
  const connectMs = options.timeout * 1000 * 3
  const reports = await pool.all(
    'connect',
    { concurrency: options.concurrency, timeoutMs: connectMs },
    connectMs + 60_000,
  )
  const connect = {
    sessions,
    opened: sum(reports, 'opened'),
    subscribedPairs: sum(reports, 'subscribedPairs'),
    wantedPairs: sum(reports, 'wantedPairs'),
    subscribeRetries: sum(reports, 'retries'),
    failures: mergeCounts(reports.map((r) => r.failures)),
    ms: Math.max(...reports.map((r) => r.ms)),
    loadCpuMs: sum(reports, 'cpuMs'),
    serverCpuMs: cpuMs(target.pid) - cpu0,
    listenDrops: listenDrops().drops - drops0,
  }
  return { pool, connect }
}

/** Every user publishes once (not measured), then the server is left to settle. */
export const publishInitial = async (pool, options) => {
  const timeoutMs = options.timeout * 1000
  const reports = await pool.all('publishInitial', { timeoutMs }, timeoutMs + 60_000)
  await sleep(2000)
  return { acks: sum(reports, 'acks'), publishers: sum(reports, 'publishers') }
}

/**
 * NARVARO_BENCH_PHASE_MARKS=FILE appends a line there as each phase starts and ends (target, pid,
 * phase, start or end, the wall clock in ms), for a profiler attached from outside (perf) or a GC
 * trace to follow (the launch is marked too: `--trace-gc` counts from the process's start).
 */
const markPhase = (target, mode, edge) => {
  const file = process.env.NARVARO_BENCH_PHASE_MARKS
  if (file) appendFileSync(file, `${target.kind} ${target.pid} ${mode} ${edge} ${Date.now()}\n`)
}

/**
 * One measured phase: every user publishes `perUser` changes, paced so that `rate` notifications per
 * second are offered (publications/s = rate / k), or all at once (`burst`).
 */
export const measurePhase = async (
  pool,
  target,
  { phaseId, mode, as = mode, rate, k, perUser, timeoutMs, padBytes = 0 },
) => {
  const totalUsers = pool.slices.reduce((n, s) => n + s.length, 0)
  await pool.all('arm', { phaseId, perUser })
  markPhase(target, as, 'start')
  const threads0 = threadCpu(target.pid)
  const cpu0 = cpuMs(target.pid)
  const reports = await pool.each(
    (w) => ({
      command: 'phase',
      args: {
        phaseId,
        mode,
        ratePerSec: ((rate / k) * pool.usersOf(w)) / totalUsers,
        perUser,
        timeoutMs,
        padBytes,
      },
    }),
    timeoutMs + 60_000,
  )
  const serverThreads = threadCpuDelta(threads0, threadCpu(target.pid))
  const serverCpuMs = cpuMs(target.pid) - cpu0
  markPhase(target, as, 'end')
  const merged = mergePhase(reports)
  phaseWindows.push({
    pid: target.pid,
    kind: target.kind,
    label: `${as} phase ${phaseId}`,
    fromMs: merged.start,
    toMs: merged.start + merged.wallMs,
  })
  const result = {
    mode,
    offeredPerSec: mode === 'paced' ? rate : undefined,
    ...phaseFigures(merged, { serverCpuMs, serverThreads, wallMs: merged.wallMs }),
  }
  // Kept for `mergeSlices`, out of the results file.
  Object.defineProperty(result, 'merged', { value: merged, enumerable: false })
  return result
}

/** A phase's figures from the load's merged reports and the server's CPU over the phase. */
const phaseFigures = (merged, { serverCpuMs, serverThreads, wallMs }) => ({
  publications: merged.sent,
  notifications: merged.received,
  expected: merged.expected,
  complete: merged.complete,
  missing: merged.missing,
  deliveredPerSec: merged.received / (merged.spanMs / 1000),
  p50: merged.hist.percentile(50),
  p99: merged.hist.percentile(99),
  p999: merged.hist.percentile(99.9),
  max: merged.hist.max,
  bytesPerNotification: merged.bytes / Math.max(1, merged.received),
  serverCpuMs,
  serverThreads,
  serverCpuPer1k: serverCpuMs / Math.max(1e-9, merged.received / 1000),
  serverCpuPct: (serverCpuMs / wallMs) * 100,
  loadCpuPct: (merged.loadCpuMs / wallMs) * 100,
  wallMs,
})

/** Each server thread's user and system CPU over several slices. */
const mergeThreads = (list) => {
  const merged = {}
  for (const threads of list)
    for (const [name, { userMs, systemMs }] of Object.entries(threads)) {
      const into = (merged[name] ??= { userMs: 0, systemMs: 0 })
      into.userMs += userMs
      into.systemMs += systemMs
    }
  return merged
}

/**
 * One phase measured in slices (the paced phase alternating between the targets): the slices'
 * notifications, latencies, CPU and wall time together, as `measurePhase` reports one phase.
 */
export const mergeSlices = (slices) => {
  const sum = (key) => slices.reduce((total, slice) => total + slice[key], 0)
  const sumMerged = (key) => slices.reduce((total, slice) => total + slice.merged[key], 0)
  const hist = new Histogram()
  for (const slice of slices) hist.merge(slice.merged.hist)
  const merged = {
    sent: sumMerged('sent'),
    received: sumMerged('received'),
    expected: sumMerged('expected'),
    complete: slices.every((slice) => slice.merged.complete),
    missing: slices.flatMap((slice) => slice.merged.missing).slice(0, 20),
    bytes: sumMerged('bytes'),
    loadCpuMs: sumMerged('loadCpuMs'),
    spanMs: sumMerged('spanMs'),
    hist,
  }
  return {
    mode: slices[0].mode,
    offeredPerSec: slices[0].offeredPerSec,
    slices: slices.length,
    ...phaseFigures(merged, {
      serverCpuMs: sum('serverCpuMs'),
      serverThreads: mergeThreads(slices.map((slice) => slice.serverThreads)),
      wallMs: sum('wallMs'),
    }),
    perSlice: slices.map((slice) => ({
      serverCpuPer1k: slice.serverCpuPer1k,
      p99: slice.p99,
      wallMs: slice.wallMs,
    })),
  }
}

/** Samples a process's RSS every `everyMs` until stopped. */
export const memorySampler = (pid, everyMs = 1000) => {
  const start = nowMs()
  const samples = [{ s: 0, rssKb: memoryKb(pid).rssKb }]
  const timer = setInterval(() => {
    try {
      samples.push({ s: Math.round((nowMs() - start) / 100) / 10, rssKb: memoryKb(pid).rssKb })
    } catch {
      clearInterval(timer)
    }
  }, everyMs)
  return () => (clearInterval(timer), samples)
}

export const mergeCounts = (list) => {
  const merged = {}
  for (const counts of list)
    for (const [key, n] of Object.entries(counts)) merged[key] = (merged[key] ?? 0) + n
  return merged
}

export const sum = (reports, key) => reports.reduce((total, r) => total + r[key], 0)

/** The ring of the first `n` bench users. */
export const ringOf = (ctx, n) => {
  if (n > ctx.users.length) throw new Error(`need ${n} users, have ${ctx.users.length}`)
  return ctx.users.slice(0, n)
}
