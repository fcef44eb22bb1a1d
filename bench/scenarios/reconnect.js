// Scenario reconnect: every session drops at once and reconnects at once (republishing its state
// and subscribing again): the time until every session holds a correct snapshot of everything it
// watches, and the notifications that cost against the minimum (one snapshot per session and
// watched presentity).
import process from 'node:process'
import { nowMs, sleep } from '../lib/clock.js'
import { cpuMs, listenDrops, memoryKb } from '../lib/proc.js'
import { settledMemory } from '../lib/targets.js'
import { gcBetween, gcKindsMs, gcSoFar, gcSum } from '../lib/server-probes.js'
import { allocationsTable, sampleAllocations } from '../lib/alloc-profile.js'
import { compare, comparisonHeader, fmt, renderTable, errorsRow } from '../lib/report.js'
import {
  connectLoad,
  mergeCounts,
  phaseWindows,
  publishInitial,
  ringOf,
  sum,
  targetKinds,
  withTarget,
} from './common.js'

/**
 * How long after the last connection the storm comes: past the age at which a Närvaro node verifies a
 * cached token again (`defaultTokenCacheLimits.maxAgeMs`) and writes its use again (`touchEveryMs`),
 * both a minute. Sessions that drop together have mostly lived longer than that, so each of their
 * tokens is read from the store again in the storm and its use written; coming sooner, the storm
 * found a share of the tokens still cached, a share that depended on how long connecting took. The
 * relay keeps nothing that ages, but its storm comes as long after too: a load generator idle for a
 * while before the storm (V8 shrinks an idle heap) is not the one that drove the other's storm.
 */
const settledAfterMs = 61_000

const runOne = (kind, ctx, { users, k, sessionsPerUser, options }) =>
  withTarget(
    kind,
    ctx,
    async (target) => {
      const { pool, connect } = await connectLoad(target, ctx, {
        users,
        k,
        sessionsPerUser,
        options,
      })
      const connectedAt = nowMs()
      try {
        await publishInitial(pool, options)
        const expected = Object.assign({}, ...(await pool.all('lastPublished')))
        await sleep(Math.max(0, connectedAt + settledAfterMs - nowMs()))
        const before = memoryKb(target.pid)
        // The relay has no metrics: its collections are in its profile (--cpu-prof).
        const gc0 = kind === 'narvaro' ? await gcSoFar(target) : undefined
        const cpu0 = cpuMs(target.pid)
        const drops0 = listenDrops()
        const sampling =
          options.allocProf && kind === 'narvaro'
            ? await sampleAllocations(target, options)
            : undefined
        const reports = await pool.all(
          'reconnectStorm',
          { expected, concurrency: options.concurrency, timeoutMs: options.timeout * 1000 },
          options.timeout * 1000 + 60_000,
        )
        const serverCpuMs = cpuMs(target.pid) - cpu0
        const gc = gc0 && gcBetween(gc0, await gcSoFar(target))
        const allocations = sampling && (await sampling())
        const drops1 = listenDrops()
        const t0 = Math.min(...reports.map((r) => r.t0))
        const lastDone = Math.max(...reports.map((r) => r.lastDone))
        phaseWindows.push({
          pid: target.pid,
          kind,
          label: 'reconnect storm',
          fromMs: t0,
          toMs: lastDone,
        })
        const done = sum(reports, 'done')
        const sessions = sum(reports, 'sessions')
        return {
          target: kind,
          connect,
          sessions,
          done,
          complete: done === sessions,
          seconds: (lastDone - t0) / 1000,
          // CLOCK_MONOTONIC ms, as profiles count: to cut a load worker's profile to its storm.
          window: { fromMs: t0, toMs: lastDone },
          notifications: sum(reports, 'notifications'),
          minimum: sum(reports, 'minimum'),
          failures: mergeCounts(reports.map((r) => r.failures)),
          serverCpuMs,
          ...(gc ? { gc } : {}),
          listenDrops: drops1.drops - drops0.drops,
          loadCpuMs: sum(reports, 'cpuMs'),
          memory: { before, after: await settledMemory(target) },
          ...(allocations ? { allocations } : {}),
          errors: mergeCounts(await pool.all('errors')),
        }
      } finally {
        await pool.close()
      }
    },
    { NARVARO_GRACE_PERIOD: String(options.grace) },
  )

export const reconnect = async (ctx, options) => {
  const n = Math.min(options.users[0], options.sessions)
  const k = options.k[0]
  const sessionsPerUser = Math.ceil(options.sessions / n)
  // Rounds alternate the targets (Närvaro, the relay, Närvaro, …): the machine's speed drifts by a
  // quarter from minute to minute here, and a storm is one shot, so one pair of storms may compare
  // a fast minute with a slow one.
  const rounds = {}
  for (let round = 1; round <= options.rounds; round++) {
    for (const kind of targetKinds(options)) {
      process.stderr.write(
        `reconnect: ${kind}, ${n * sessionsPerUser} sessions, ${k} watched each` +
          `${options.rounds > 1 ? `, round ${round} of ${options.rounds}` : ''}…\n`,
      )
      const result = await runOne(kind, ctx, { users: ringOf(ctx, n), k, sessionsPerUser, options })
      ;(rounds[kind] ??= []).push(result)
    }
  }
  const results = Object.fromEntries(
    Object.entries(rounds).map(([kind, list]) => [kind, pooled(list)]),
  )
  const rows = compare(
    [
      {
        label: 'sessions with correct snapshots / sessions',
        get: (r) => `${fmt(r.done)} / ${fmt(r.sessions)}`,
        ratio: false,
      },
      { label: 'seconds from the drop until all correct', get: (r) => r.seconds },
      { label: 'snapshots + changes received', get: (r) => r.notifications },
      { label: 'minimum (sessions × watched)', get: (r) => r.minimum, ratio: false },
      { label: 'received ÷ minimum', get: (r) => r.notifications / r.minimum },
      { label: 'server CPU during the storm, ms', get: (r) => r.serverCpuMs },
      { label: 'server CPU per session, ms', get: (r) => r.serverCpuMs / r.sessions },
      {
        label: 'server CPU, % of its core over the storm',
        get: (r) => (r.serverCpuMs / ((r.busySeconds ?? r.seconds) * 1000)) * 100,
        digits: 0,
      },
      {
        label: 'server GC ms during the storm: major / minor / incremental',
        get: (r) => (r.gc ? gcKindsMs(r.gc) : ''),
        ratio: false,
      },
      {
        // What a reconnecting session costs its client: the storm's time is bound by this when the
        // load generator is the limit (95–99 % of its core), so the time's ratio follows it.
        label: 'load generator CPU per session, ms',
        get: (r) => r.loadCpuMs / r.sessions,
      },
      {
        label: 'load generator CPU, % of a core over the storm',
        get: (r) => (r.loadCpuMs / ((r.busySeconds ?? r.seconds) * 1000)) * 100,
        digits: 0,
      },
      { label: 'server RSS after the storm and a GC, MB', get: (r) => r.memory.after.rssKb / 1024 },
      {
        label: 'SYNs dropped, listen queue full (TcpExt ListenDrops)',
        get: (r) => r.listenDrops,
        ratio: false,
      },
      { label: 'reconnect failures', get: (r) => JSON.stringify(r.failures), ratio: false },
      errorsRow,
    ],
    results.narvaro,
    results.relay,
  )
  const title =
    `reconnect: ${fmt(n * sessionsPerUser)} sessions watching ${k} each drop at once and reconnect ` +
    `(${options.concurrency} connecting at a time per worker), republish (active: false) and subscribe again; ` +
    `Närvaro's grace period ${fmt(options.grace)} s`
  return {
    scenario: 'reconnect',
    parameters: {
      sessions: n * sessionsPerUser,
      users: n,
      k,
      concurrency: options.concurrency,
      workers: options.workers,
      graceS: options.grace,
    },
    results,
    ...(options.rounds > 1 ? { rounds } : {}),
    table: [
      renderTable(
        options.rounds > 1 ? `${title}; ${options.rounds} rounds, ${pooledNote}` : title,
        comparisonHeader(results.relay),
        rows,
      ),
      options.rounds > 1 && roundsTable(rounds),
      results.narvaro?.allocations &&
        allocationsTable(
          results.narvaro.allocations,
          'the storm',
          results.narvaro.sessions,
          'sessions',
        ),
    ]
      .filter(Boolean)
      .join('\n\n'),
  }
}

const pooledNote = 'seconds: the median storm; counts, CPU and GC: summed over the storms'

/** The rounds of one target as one result: the median storm's time, and counts and CPU summed. */
const pooled = (list) => {
  if (list.length === 1) return list[0]
  const last = list.at(-1)
  const sumOf = (key) => sum(list, key)
  const times = list.map((r) => r.seconds).sort((a, b) => a - b)
  return {
    ...last,
    sessions: sumOf('sessions'),
    done: sumOf('done'),
    complete: list.every((r) => r.complete),
    seconds: times[Math.floor(times.length / 2)],
    notifications: sumOf('notifications'),
    minimum: sumOf('minimum'),
    failures: mergeCounts(list.map((r) => r.failures)),
    serverCpuMs: sumOf('serverCpuMs'),
    // CPU over the storms' summed time, as each storm's share weighs.
    busySeconds: sumOf('seconds'),
    listenDrops: sumOf('listenDrops'),
    loadCpuMs: sumOf('loadCpuMs'),
    ...(last.gc ? { gc: gcSum(list.map((r) => r.gc)) } : {}),
    errors: mergeCounts(list.map((r) => r.errors)),
  }
}

/** Each round's storm side by side: the ratios move with the machine from minute to minute. */
const roundsTable = (rounds) => {
  const narvaro = rounds.narvaro ?? []
  const relay = rounds.relay ?? []
  const ratio = (a, b) => (a !== undefined && b ? `${fmt(a / b)}×` : '')
  const perSession = (r, key) => (r ? r[key] / r.sessions : undefined)
  return renderTable(
    'reconnect, each round (Närvaro, then the relay)',
    [
      'round',
      'Närvaro s',
      'relay s',
      'time ratio',
      'server CPU per session, ms (Närvaro / relay)',
      'CPU ratio',
      'load CPU per session, ms (Närvaro / relay)',
    ],
    narvaro.map((a, i) => {
      const b = relay[i]
      return [
        String(i + 1),
        fmt(a.seconds),
        fmt(b?.seconds),
        ratio(a.seconds, b?.seconds),
        `${fmt(perSession(a, 'serverCpuMs'))} / ${fmt(perSession(b, 'serverCpuMs'))}`,
        ratio(perSession(a, 'serverCpuMs'), perSession(b, 'serverCpuMs')),
        `${fmt(perSession(a, 'loadCpuMs'))} / ${fmt(perSession(b, 'loadCpuMs'))}`,
      ]
    }),
  )
}
