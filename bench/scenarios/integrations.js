// Scenario integrations: call events of phone systems posted in batches (events/s, batch latency,
// server CPU, every change checked at the watchers), the burst of "off work" views when 10,000
// people's working hours end at the same minute, and the start cost of working hours and schedules.
// The reference relay has none of this: Närvaro's figures stand alone.
import { rmSync } from 'node:fs'
import process from 'node:process'
import { nowMs, sleep } from '../lib/clock.js'
import { createIntegrations, postCallEvents } from '../lib/integration-posters.js'
import { cpuMs, memoryKb } from '../lib/proc.js'
import { boundaryAfter, hoursEndingAt, seedHoursAndSchedules } from '../lib/seed-hours.js'
import {
  cpuBetween,
  cpuTrace,
  healthProbe,
  lagMaxMs,
  resumeHistoryEntries,
  writesOf,
} from '../lib/server-probes.js'
import { settledMemory, startNarvaro } from '../lib/targets.js'
import { dataDirFromTemplate } from '../lib/users.js'
import { WatchPool, mergeSettled } from '../lib/watch-pool.js'
import { mergeCounts, phaseWindows, profileDir } from './common.js'
import { integrationsTables } from './integrations-table.js'

/**
 * Session i (user i) watches k people from a contiguous block that starts past the watchers, so
 * that together the sessions cover everyone about evenly (1,000 × 20 over 10,000: two watchers
 * each), never themselves.
 */
const watchersOf = (users, { sessions, k }) =>
  users.slice(0, sessions).map((user, i) => {
    const watch = []
    for (let j = 0; j < k; j++) {
      let p = (sessions + i * k + j) % users.length
      if (p === i) p = (p + k) % users.length
      watch.push(users[p].address)
    }
    return { user, watch: [...new Set(watch)] }
  })

/** Starts Närvaro on `dataDir` (timed from spawn to listening), runs `body`, always stops it. */
const withServer = async (ctx, { dataDir, label, env }, body) => {
  const started = nowMs()
  const target = await startNarvaro({
    dataDir,
    cpu: ctx.pin.pinned ? ctx.pin.serverCpu : undefined,
    cpuProfileDir: ctx.cpuProf ? profileDir : undefined,
    env,
  }).catch((error) => {
    rmSync(dataDir, { recursive: true, force: true })
    throw error
  })
  const start = { ms: nowMs() - started, cpuMs: cpuMs(target.pid) }
  phaseWindows.push({
    pid: target.pid,
    kind: 'narvaro',
    label: `start, ${label}`,
    fromMs: started,
    toMs: started + start.ms,
  })
  try {
    start.memory = await settledMemory(target)
    return await body(target, start)
  } finally {
    const code = await target.stop()
    rmSync(dataDir, { recursive: true, force: true })
    if (code !== 0 && code !== null) process.stderr.write(`  narvaro exited with code ${code}\n`)
  }
}

const openWatchers = async (target, ctx, { watchers, options }) => {
  const pool = await WatchPool.start({
    workers: options.workers,
    cpu: ctx.pin.pinned ? ctx.pin.loadCpu : undefined,
    target: { kind: 'narvaro', url: target.url },
    watchers,
  })
  const timeoutMs = options.timeout * 1000
  const reports = await pool.all(
    'connect',
    { concurrency: options.concurrency, timeoutMs },
    timeoutMs + 60_000,
  )
  const sum = (key) => reports.reduce((n, r) => n + r[key], 0)
  const connect = {
    opened: sum('opened'),
    subscribedPairs: sum('subscribedPairs'),
    wantedPairs: sum('wantedPairs'),
    failures: mergeCounts(reports.map((r) => r.failures)),
    ms: Math.max(...reports.map((r) => r.ms)),
  }
  return { pool, connect }
}

/**
 * Memory after the events, and again once the resume window has passed: the history of recent
 * changes kept for reconnecting watchers is then forgotten (the server sweeps at most an eighth of
 * a window late).
 */
const memoryAcrossWindow = async (target, windowMs) => {
  const after = await settledMemory(target)
  const peak = memoryKb(target.pid)
  const historyAfter = await resumeHistoryEntries(target)
  await sleep(windowMs * 1.125 + 1000)
  return {
    after,
    peak,
    historyAfter,
    afterWindow: await settledMemory(target),
    historyAfterWindow: await resumeHistoryEntries(target),
  }
}

/** Batches of call events at saturation while the watchers count every change. */
const runEvents = (ctx, options, watchers) =>
  withServer(
    ctx,
    {
      dataDir: dataDirFromTemplate(),
      label: 'plain template',
      env: { NARVARO_RESUME_WINDOW: String(options.resumeWindow) },
    },
    async (target, start) => {
      const tokens = await createIntegrations(target, options.posters)
      const { pool, connect } = await openWatchers(target, ctx, { watchers, options })
      try {
        await sleep(500)
        await pool.all('arm', {})
        const cpu0 = cpuMs(target.pid)
        const writes0 = writesOf(target.pid)
        const people = ctx.users.slice(0, options.users[0]).map((u) => u.address)
        const posted = await postCallEvents(target, {
          tokens,
          people,
          batch: options.batch,
          durationMs: options.duration * 1000,
          timeoutMs: options.timeout * 1000,
        })
        const postCpuMs = cpuMs(target.pid) - cpu0
        const writes1 = writesOf(target.pid)
        const timeoutMs = options.timeout * 1000
        const reports = await pool.all(
          'settle',
          { expected: posted.appliedByPerson, availability: 'offline', timeoutMs },
          timeoutMs + 60_000,
        )
        const serverCpuMs = cpuMs(target.pid) - cpu0
        const delivered = mergeSettled(reports)
        phaseWindows.push({
          pid: target.pid,
          kind: 'narvaro',
          label: 'integration events',
          fromMs: posted.start,
          toMs: Math.max(delivered.last, posted.lastReply),
        })
        const { appliedByPerson: _a, hist, ...rest } = posted
        return {
          start,
          connect,
          posted: { ...rest, p50: hist.percentile(50), p99: hist.percentile(99), max: hist.max },
          delivered: { ...delivered, hist: undefined },
          drainMs: delivered.last - posted.lastReply,
          serverCpuMs,
          postCpuMs,
          writes: {
            syscalls: writes1.syscalls - writes0.syscalls,
            bytes: writes1.bytes - writes0.bytes,
          },
          errors: mergeCounts(await pool.all('errors')),
          memory: await memoryAcrossWindow(target, options.resumeWindow * 1000),
        }
      } finally {
        await pool.close()
      }
    },
  )

/** Waits for the working-hours boundary and measures the burst of "off work" views it causes. */
const runBurst = (ctx, options, { watchers, dataDir, boundary }) =>
  withServer(ctx, { dataDir, label: 'with hours and schedules' }, async (target, start) => {
    const { pool, connect } = await openWatchers(target, ctx, { watchers, options })
    try {
      const zeroAt = boundary - (Date.now() - nowMs())
      const leftMs = zeroAt - nowMs()
      if (leftMs < 3000)
        return {
          start,
          connect,
          error: `the boundary was ${fmtS(leftMs)} s away after connecting: raise --lead`,
        }
      const connected = await settledMemory(target)
      connect.secondsLeft = leftMs / 1000
      await sleep(zeroAt - nowMs() - 2000)
      await lagMaxMs(target)
      await pool.all('arm', { zeroAt })
      const stopTrace = cpuTrace(target.pid, 20)
      const stopProbe = healthProbe(target, zeroAt, 20)
      const expected = Object.fromEntries(
        ctx.users.slice(0, options.users[0]).map((u) => [u.address, 1]),
      )
      const timeoutMs = options.timeout * 1000
      const reports = await pool.all(
        'settle',
        { expected, availability: 'away', timeoutMs },
        timeoutMs + 60_000,
      )
      const lagMax = await lagMaxMs(target)
      const probes = await stopProbe()
      const delivered = mergeSettled(reports)
      const cpu = cpuBetween(stopTrace(), zeroAt, delivered.last)
      phaseWindows.push({
        pid: target.pid,
        kind: 'narvaro',
        label: 'working-hours boundary',
        fromMs: zeroAt - 100,
        toMs: delivered.last + 100,
      })
      const during = probes.filter((p) => p.atMs + p.ms >= 0 && p.atMs <= delivered.last - zeroAt)
      const { hist, ...counts } = delivered
      return {
        start,
        connect,
        connected,
        delivered: counts,
        firstMs: delivered.first - zeroAt,
        p50: hist.percentile(50),
        p99: hist.percentile(99),
        lastMs: delivered.last - zeroAt,
        cpu,
        lagMaxMs: lagMax,
        probes: { count: during.length, maxMs: Math.max(0, ...during.map((p) => p.ms)) },
        errors: mergeCounts(await pool.all('errors')),
      }
    } finally {
      await pool.close()
    }
  })

const fmtS = (ms) => (ms / 1000).toFixed(1)

export const integrations = async (ctx, options) => {
  const n = options.users[0]
  const k = options.k[0]
  if (options.sessions > n)
    throw new Error(`--sessions ${options.sessions} is more than --users ${n}`)
  if (options.batch > 500) throw new Error('--batch: the server takes at most 500 events a request')
  const users = ctx.users.slice(0, n)
  const watchers = watchersOf(users, { sessions: options.sessions, k })
  // The boundary is chosen first and written into the copy the second server starts on; the first
  // server's phase runs meanwhile.
  const boundary = boundaryAfter(options.lead * 1000)
  const dataDir = dataDirFromTemplate()
  const hours = hoursEndingAt(boundary)
  const seed = await seedHoursAndSchedules(dataDir, { hours, schedules: options.schedules })
  const at = new Date(boundary).toISOString().slice(11, 16)
  process.stderr.write(
    `integrations: ${n} people, ${watchers.length} watchers × ${k}; ${options.posters} posters for ${options.duration} s, then working hours end at ${at} UTC (in ${fmtS(boundary - Date.now())} s)…\n`,
  )
  let events
  try {
    events = await runEvents(ctx, options, watchers)
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
  const burst = await runBurst(ctx, options, { watchers, dataDir, boundary })
  const parameters = {
    users: n,
    watchers: watchers.length,
    k,
    posters: options.posters,
    batch: options.batch,
    duration: options.duration,
    schedules: options.schedules,
    lead: options.lead,
    resumeWindow: options.resumeWindow,
    boundary: new Date(boundary).toISOString(),
    hours,
    workers: options.workers,
  }
  const results = { seed, events, burst }
  return {
    scenario: 'integrations',
    parameters,
    results,
    table: integrationsTables(results, parameters),
    // A boundary that passed before the watchers were ready fails the run (exit code 1).
    ...(burst.error ? { error: burst.error } : {}),
  }
}
