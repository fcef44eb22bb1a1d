// Scenario fanout, the comparable shape: N users on a ring, each watching its K neighbours, each
// publishing M changes, paced (rate notifications/s offered) and then all at once (burst).
import process from 'node:process'
import { memoryKb } from '../lib/proc.js'
import { allocationsTable, sampleAllocations } from '../lib/alloc-profile.js'
import { settledMemory } from '../lib/targets.js'
import {
  compare,
  comparisonHeader,
  fmt,
  memoryRows,
  phaseRows,
  renderTable,
  errorsRow,
} from '../lib/report.js'
import {
  connectLoad,
  mergeCounts,
  measurePhase,
  publishInitial,
  ringOf,
  targetKinds,
  withTarget,
} from './common.js'

/**
 * Runs the fanout shape against one target; scale reuses it with other phases, xmpp-fanout and
 * sip-fanout with `gateway` (the protocol its load speaks to Närvaro, how Närvaro is started and
 * its ring seeded).
 */
export const runFanoutShape = (kind, ctx, { n, k, phases, options, gateway }) =>
  withTarget(
    kind,
    ctx,
    async (target) => {
      if (gateway && kind === 'narvaro') target.load = gateway.load
      return measureShape(target, ctx, { n, k, phases, options })
    },
    gateway?.env,
    gateway?.prepare,
  )

const measureShape = async (target, ctx, { n, k, phases, options }) => {
  const kind = target.kind
  const idle = await settledMemory(target)
  const { pool, connect } = await connectLoad(target, ctx, { users: ringOf(ctx, n), k, options })
  try {
    const initial = await publishInitial(pool, options)
    const connected = await settledMemory(target)
    const result = { target: kind, connect, initial, sessions: n }
    let phaseId = 1
    for (const phase of phases) {
      const sampling =
        options.allocProf && kind === 'narvaro'
          ? await sampleAllocations(target, options)
          : undefined
      result[phase.as ?? phase.mode] = await measurePhase(pool, target, {
        phaseId: phaseId++,
        k,
        rate: options.rate,
        timeoutMs: options.timeout * 1000,
        ...phase,
      })
      if (sampling)
        (result.allocations ??= []).push({ phase: phase.as ?? phase.mode, ...(await sampling()) })
    }
    const peak = memoryKb(target.pid)
    result.errors = mergeCounts(await pool.all('errors'))
    result.memory = {
      idle,
      connected,
      peak,
      perSessionKb: (connected.rssKb - idle.rssKb) / n,
      perWatchBytes: ((connected.rssKb - idle.rssKb) * 1024) / (n * k),
    }
    return result
  } finally {
    await pool.close()
  }
}

const protocolNames = { xmpp: 'XMPP', sip: 'SIP' }

/**
 * The fanout scenario, over narvaro.v1 (WebSocket) or, with `gateway`, over that gateway's
 * protocol (XMPP, SIP); the relay always over WebSocket.
 */
export const fanoutOver = async (scenario, ctx, options, gateway) => {
  const n = options.users[0]
  const k = options.k[0]
  const m = options.m
  const durationS = (n * m * k) / options.rate
  // The warm-up runs the paced load before the measured phases: the code paths are optimized once
  // in a process's life, and compiling them is not a cost of each notification.
  const warmup = options.warmup ?? 0
  const phases = [
    ...(warmup > 0 ? [{ mode: 'paced', perUser: warmup, as: 'warmup' }] : []),
    { mode: 'paced', perUser: m },
    { mode: 'burst', perUser: m },
  ]
  const results = {}
  let protocol
  for (const kind of targetKinds(options)) {
    process.stderr.write(`${scenario}: ${kind}, ${n} users × ${k} watched, ${m} changes each…\n`)
    const over = gateway && kind === 'narvaro' ? await gateway(n, k) : undefined
    protocol ??= over && protocolNames[over.load.protocol]
    results[kind] = await runFanoutShape(kind, ctx, { n, k, phases, options, gateway: over })
  }
  const title =
    `${scenario}${protocol ? ` (Närvaro over ${protocol}, the relay over WebSocket)` : ''}: N=${fmt(n)} users, K=${k} watched each, M=${m} changes each; paced ${fmt(options.rate)} ` +
    `notifications/s offered for ${fmt(durationS, 1)} s, then all ${fmt(n * m)} changes at once; ${options.workers} load workers` +
    (warmup > 0
      ? `; after a warm-up of ${fmt(warmup)} change${warmup === 1 ? '' : 's'} each at the paced rate`
      : '')
  const rows = compare(
    [
      {
        label: 'sessions connected / watch pairs',
        get: (r) => `${fmt(r.connect.opened)} / ${fmt(r.connect.subscribedPairs)}`,
        ratio: false,
      },
      ...warmupRows(results),
      ...phaseRows('paced', 'paced'),
      ...phaseRows('burst', 'burst'),
      { label: 'bytes per notification', get: (r) => r.paced.bytesPerNotification, digits: 0 },
      ...memoryRows('connected user'),
      errorsRow,
    ],
    results.narvaro,
    results.relay,
  )
  return {
    scenario,
    parameters: {
      n,
      k,
      m,
      warmup,
      rate: options.rate,
      pacedSeconds: durationS,
      workers: options.workers,
    },
    results,
    table: [renderTable(title, comparisonHeader(results.relay), rows), allocationTable(results)]
      .filter(Boolean)
      .join('\n\n'),
  }
}

/** The warm-up's figures, apart from the measured phases (none without a warm-up). */
const warmupRows = (results) =>
  results.narvaro?.warmup || results.relay?.warmup
    ? [
        {
          label: 'warm-up (not measured): notifications delivered / expected',
          get: (r) => `${fmt(r.warmup.notifications)} / ${fmt(r.warmup.expected)}`,
          ratio: false,
        },
        {
          label: 'warm-up (not measured): server CPU ms per 1,000 notifications',
          get: (r) => r.warmup.serverCpuPer1k,
        },
      ]
    : []

/** What Närvaro allocated in each phase, by function (`--alloc-prof`). */
const allocationTable = (results) => {
  const phases = results.narvaro?.allocations
  if (!phases) return undefined
  return phases
    .map((a) =>
      allocationsTable(
        a,
        `the ${a.phase} phase`,
        results.narvaro[a.phase].notifications,
        'notifications',
      ),
    )
    .join('\n\n')
}

export const fanout = (ctx, options) => fanoutOver('fanout', ctx, options)
