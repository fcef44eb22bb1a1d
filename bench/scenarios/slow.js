// Scenario slow: some watchers stop reading (their sockets paused) while the others go on. Server
// memory must stay bounded (coalescing per presentity), the others' latency must not suffer, and a
// paused watcher that reads again must end with the latest state of everything it watches.
import process from 'node:process'
import { memoryKb } from '../lib/proc.js'
import { compare, comparisonHeader, fmt, renderTable, errorsRow } from '../lib/report.js'
import {
  connectLoad,
  measurePhase,
  memorySampler,
  mergeCounts,
  publishInitial,
  ringOf,
  sum,
  targetKinds,
  withTarget,
} from './common.js'

const mb = (kb) => kb / 1024

/** Memory over a phase: start, highest, end, and the growth over its second half. */
const memoryTrend = (samples) => {
  const half = samples.filter((s) => s.s >= samples.at(-1).s / 2)
  return {
    startKb: samples[0].rssKb,
    maxKb: Math.max(...samples.map((s) => s.rssKb)),
    endKb: samples.at(-1).rssKb,
    secondHalfGrowthKb: half.at(-1).rssKb - half[0].rssKb,
    samples,
  }
}

const runOne = (kind, ctx, { users, k, m, options }) =>
  withTarget(
    kind,
    ctx,
    async (target) => {
      const { pool, connect } = await connectLoad(target, ctx, { users, k, options })
      try {
        await publishInitial(pool, options)
        const phase = {
          mode: 'paced',
          k,
          rate: options.rate,
          perUser: m,
          timeoutMs: options.timeout * 1000,
          padBytes: options.noteBytes,
        }
        let stop = memorySampler(target.pid)
        const baseline = await measurePhase(pool, target, { ...phase, phaseId: 1 })
        const baselineMemory = memoryTrend(stop())
        const paused = sum(
          await pool.all('pause', { every: Math.round(1 / options.slowFraction) }),
          'paused',
        )
        stop = memorySampler(target.pid)
        const slowPhase = await measurePhase(pool, target, { ...phase, phaseId: 2 })
        const slowMemory = memoryTrend(stop())
        const expected = Object.assign({}, ...(await pool.all('lastPublished')))
        const verify = await pool.all(
          'resumeAndVerify',
          { expected, timeoutMs: options.timeout * 1000 },
          options.timeout * 1000 + 60_000,
        )
        return {
          target: kind,
          connect,
          paused,
          baseline,
          slow: slowPhase,
          memory: { baseline: baselineMemory, slow: slowMemory, peak: memoryKb(target.pid) },
          afterResume: {
            checked: sum(verify, 'checked'),
            consistent: sum(verify, 'consistent'),
            closed: sum(verify, 'closed'),
            ms: Math.max(...verify.map((v) => v.ms)),
          },
          errors: mergeCounts(await pool.all('errors')),
        }
      } finally {
        await pool.close()
      }
    },
    { NARVARO_HEARTBEAT: String(options.heartbeat) },
  )

const everyFiveSeconds = (samples) =>
  samples
    .filter((s, i) => i === 0 || Math.round(s.s) % 5 === 0)
    .map((s) => fmt(mb(s.rssKb), 0))
    .join(' ')

export const slow = async (ctx, options) => {
  const n = options.users[0]
  const k = options.k[0]
  const m = Math.max(1, Math.round((options.rate * options.duration) / (n * k)))
  const results = {}
  for (const kind of targetKinds(options)) {
    process.stderr.write(
      `slow: ${kind}, ${n} users × ${k} watched, ${options.slowFraction * 100} % stop reading…\n`,
    )
    results[kind] = await runOne(kind, ctx, { users: ringOf(ctx, n), k, m, options })
  }
  const rows = compare(
    [
      { label: 'watchers that stop reading', get: (r) => r.paused, ratio: false },
      {
        label: 'others: notifications delivered / expected',
        get: (r) => `${fmt(r.slow.notifications)} / ${fmt(r.slow.expected)}`,
        ratio: false,
      },
      {
        label: 'others: latency p50 ms, all reading → some paused',
        get: (r) => `${fmt(r.baseline.p50)} → ${fmt(r.slow.p50)}`,
        ratio: false,
      },
      {
        label: 'others: latency p99 ms, all reading → some paused',
        get: (r) => `${fmt(r.baseline.p99)} → ${fmt(r.slow.p99)}`,
        ratio: false,
      },
      {
        label: 'others: latency p99.9 ms, all reading → some paused',
        get: (r) => `${fmt(r.baseline.p999)} → ${fmt(r.slow.p999)}`,
        ratio: false,
      },
      {
        label: 'others: p99 with paused watchers ÷ without',
        get: (r) => r.slow.p99 / r.baseline.p99,
      },
      {
        label: 'server CPU ms per 1,000 notifications, paused run',
        get: (r) => r.slow.serverCpuPer1k,
      },
      { label: 'server RSS at start of paused run, MB', get: (r) => mb(r.memory.slow.startKb) },
      { label: 'server RSS highest in paused run, MB', get: (r) => mb(r.memory.slow.maxKb) },
      {
        label: 'server RSS growth over 2nd half of paused run, MB',
        get: (r) => mb(r.memory.slow.secondHalfGrowthKb),
      },
      {
        label: 'same, run without paused watchers, MB',
        get: (r) => mb(r.memory.baseline.secondHalfGrowthKb),
      },
      {
        label: 'server RSS every 5 s of paused run, MB',
        get: (r) => everyFiveSeconds(r.memory.slow.samples),
        ratio: false,
      },
      {
        label: 'paused watchers closed by the server',
        get: (r) => `${fmt(r.afterResume.closed)} / ${fmt(r.afterResume.checked)}`,
        ratio: false,
      },
      {
        label: 'paused watchers with the latest state after reading again',
        get: (r) => `${fmt(r.afterResume.consistent)} / ${fmt(r.afterResume.checked)}`,
        ratio: false,
      },
      errorsRow,
    ],
    results.narvaro,
    results.relay,
  )
  const title =
    `slow: N=${n} users, K=${k}, notes padded to ${options.noteBytes} characters, ${fmt(options.rate)} notifications/s ` +
    `offered for ~${options.duration} s twice: all reading, then ${options.slowFraction * 100} % of watchers paused (socket.pause()); NARVARO_HEARTBEAT=${options.heartbeat}`
  return {
    scenario: 'slow',
    parameters: {
      heartbeat: options.heartbeat,
      n,
      k,
      m,
      rate: options.rate,
      duration: options.duration,
      slowFraction: options.slowFraction,
      noteBytes: options.noteBytes,
      workers: options.workers,
    },
    results,
    table: renderTable(title, comparisonHeader(results.relay), rows),
  }
}
