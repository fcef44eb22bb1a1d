// Scenario connections: many authenticated WebSocket sessions (several per user, each from one of
// a few 127.0.0.x source addresses), each watching K presentities: server memory per session at
// steady state, and what connecting them cost.
import process from 'node:process'
import { sleep } from '../lib/clock.js'
import { openFileLimit } from '../lib/proc.js'
import { settledMemory } from '../lib/targets.js'
import { growthPer, heapCensus } from '../lib/heap-census.js'
import { compare, comparisonHeader, fmt, renderTable, errorsRow } from '../lib/report.js'
import { connectLoad, mergeCounts, ringOf, targetKinds, withTarget } from './common.js'

const mb = (kb) => kb / 1024

const runOne = (kind, ctx, { users, k, sessionsPerUser, options }) =>
  withTarget(kind, ctx, async (target) => {
    const idle = await settledMemory(target)
    const census = options.heapCensus && kind === 'narvaro' ? await heapCensus(target) : undefined
    const { pool, connect } = await connectLoad(target, ctx, { users, k, sessionsPerUser, options })
    try {
      await sleep(options.settle * 1000)
      const steady = await settledMemory(target)
      const sessions = connect.opened
      return {
        target: kind,
        connect,
        ...(census ? { heapGrowth: growthPer(census, await heapCensus(target), sessions) } : {}),
        memory: {
          idle,
          steady,
          perSessionKb: (steady.rssKb - idle.rssKb) / sessions,
          heapPerSessionKb: (steady.heapUsedKb - idle.heapUsedKb) / sessions,
          perWatchBytes:
            ((steady.rssKb - idle.rssKb) * 1024) / Math.max(1, connect.subscribedPairs),
        },
        errors: mergeCounts(await pool.all('errors')),
      }
    } finally {
      await pool.close()
    }
  })

export const connections = async (ctx, options) => {
  const n = Math.min(options.users[0], options.sessions)
  const k = options.k[0]
  const sessionsPerUser = Math.ceil(options.sessions / n)
  const sessions = n * sessionsPerUser
  const files = openFileLimit().soft
  if (sessions + 64 > files) {
    throw new Error(
      `${fmt(sessions)} sessions need ${fmt(sessions + 64)} open files in the server, and this shell allows ` +
        `${fmt(files)} (hard limit ${fmt(openFileLimit().hard)}): the bench could not raise it (prlimit needs root with CAP_SYS_RESOURCE past the hard limit); run fewer sessions or raise the hard limit (ulimit -Hn)`,
    )
  }
  const results = {}
  for (const kind of targetKinds(options)) {
    process.stderr.write(
      `connections: ${kind}, ${sessions} sessions (${n} users × ${sessionsPerUser}), ${k} watched each…\n`,
    )
    results[kind] = await runOne(kind, ctx, { users: ringOf(ctx, n), k, sessionsPerUser, options })
  }
  const rows = compare(
    [
      {
        label: 'sessions open / wanted',
        get: (r) => `${fmt(r.connect.opened)} / ${fmt(r.connect.sessions)}`,
        ratio: false,
      },
      {
        label: 'watch pairs subscribed / wanted',
        get: (r) => `${fmt(r.connect.subscribedPairs)} / ${fmt(r.connect.wantedPairs)}`,
        ratio: false,
      },
      { label: 'connect + subscribe all, s', get: (r) => r.connect.ms / 1000 },
      {
        label: 'sessions connected per second',
        get: (r) => r.connect.opened / (r.connect.ms / 1000),
      },
      {
        label: 'load generator CPU while connecting, % of a core',
        get: (r) => (r.connect.loadCpuMs / r.connect.ms) * 100,
        digits: 0,
      },
      {
        label: 'server CPU per session connected, ms',
        get: (r) => r.connect.serverCpuMs / r.connect.opened,
      },
      { label: 'server RSS idle, MB', get: (r) => mb(r.memory.idle.rssKb) },
      {
        label: `server RSS at steady state (${options.settle} s settled, after GC), MB`,
        get: (r) => mb(r.memory.steady.rssKb),
      },
      { label: 'server RSS peak (VmHWM), MB', get: (r) => mb(r.memory.steady.hwmKb) },
      {
        label: 'server V8 heap held / young generation held, MB',
        get: (r) =>
          `${mb(r.memory.steady.heapTotalKb).toFixed(1)} / ${mb(r.memory.steady.newSpaceKb).toFixed(1)}`,
        ratio: false,
      },
      { label: 'server RSS per session, KB', get: (r) => r.memory.perSessionKb },
      { label: 'server JS heap per session, KB', get: (r) => r.memory.heapPerSessionKb },
      { label: 'server RSS per watch pair, bytes', get: (r) => r.memory.perWatchBytes, digits: 0 },
      {
        label: 'connection failures',
        get: (r) => JSON.stringify(r.connect.failures),
        ratio: false,
      },
      errorsRow,
    ],
    results.narvaro,
    results.relay,
  )
  const title =
    `connections: ${fmt(sessions)} WebSocket sessions (${fmt(n)} users × ${sessionsPerUser}), each watching ${k}; ` +
    `memory after ${options.settle} s at rest and a full GC`
  return {
    scenario: 'connections',
    parameters: {
      sessions,
      users: n,
      sessionsPerUser,
      k,
      settle: options.settle,
      workers: options.workers,
    },
    results,
    table: [renderTable(title, comparisonHeader(results.relay), rows), censusTable(results.narvaro)]
      .filter(Boolean)
      .join('\n\n'),
  }
}

/** What each session added to Närvaro's heap, by kind of object (`--heap-census`). */
const censusTable = (r) =>
  r?.heapGrowth &&
  renderTable(
    'Närvaro heap per session, by kind of object (heap snapshots before and after connecting)',
    ['kind', 'bytes per session', 'objects per session'],
    r.heapGrowth.map((g) => [g.kind, fmt(g.bytes, 0), fmt(g.count, 1)]),
  )
