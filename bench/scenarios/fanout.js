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
  mergeSlices,
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
  const side = await connectShape(target, ctx, { n, k, options })
  try {
    for (const phase of phases) await runPhase(side, phase)
    return await finishShape(side)
  } finally {
    await side.pool.close()
  }
}

/** Connects the ring's sessions to `target` and publishes each user's first state. */
const connectShape = async (target, ctx, { n, k, options }) => {
  const idle = await settledMemory(target)
  const { pool, connect } = await connectLoad(target, ctx, { users: ringOf(ctx, n), k, options })
  try {
    const initial = await publishInitial(pool, options)
    const connected = await settledMemory(target)
    const result = { target: target.kind, connect, initial, sessions: n }
    return { target, pool, options, n, k, idle, connected, result, phaseId: 1 }
  } catch (error) {
    await pool.close()
    throw error
  }
}

/** Measures one phase (or one slice of it) on one side; returns its figures. */
const runPhase = async (side, phase, { keep = true } = {}) => {
  const { target, pool, options, k, result } = side
  const sampling =
    options.allocProf && target.kind === 'narvaro'
      ? await sampleAllocations(target, options)
      : undefined
  const measured = await measurePhase(pool, target, {
    phaseId: side.phaseId++,
    k,
    rate: options.rate,
    timeoutMs: options.timeout * 1000,
    ...phase,
  })
  const name = phase.as ?? phase.mode
  if (keep) result[name] = measured
  // A slice's allocations are counted against its own notifications, not the whole phase's.
  if (sampling)
    (result.allocations ??= []).push({
      phase: keep ? name : `${name} slice`,
      notifications: measured.notifications,
      ...(await sampling()),
    })
  return measured
}

/** The side's errors and memory, once its phases are measured. */
const finishShape = async ({ target, pool, n, k, idle, connected, result }) => {
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
}

/**
 * Both targets at once, the paced phase measured in `slices` slices that alternate between them
 * (Närvaro, the relay; then the relay, Närvaro; ...), so that both see the same minutes of the
 * machine: on a machine whose speed moves within a minute, two phases measured one after the other
 * compared the minutes as much as the servers. Each target's warm-up and burst run apart, as before.
 */
const interleavedShape = (ctx, { n, k, m, warmup, slices, options }) =>
  withTarget('narvaro', ctx, (narvaro) =>
    withTarget('relay', ctx, async (relay) => {
      const sides = []
      try {
        for (const target of [narvaro, relay])
          sides.push(await connectShape(target, ctx, { n, k, options }))
        if (warmup > 0)
          for (const side of sides)
            await runPhase(side, { mode: 'paced', perUser: warmup, as: 'warmup' })
        const perSlice = m / slices
        const measured = sides.map(() => [])
        for (let i = 0; i < slices; i++) {
          const order = i % 2 === 0 ? [0, 1] : [1, 0]
          for (const j of order)
            measured[j].push(
              await runPhase(sides[j], { mode: 'paced', perUser: perSlice }, { keep: false }),
            )
        }
        sides.forEach((side, j) => (side.result.paced = mergeSlices(measured[j])))
        for (const side of sides) await runPhase(side, { mode: 'burst', perUser: m })
        const [narvaroResult, relayResult] = [
          await finishShape(sides[0]),
          await finishShape(sides[1]),
        ]
        return { narvaro: narvaroResult, relay: relayResult }
      } finally {
        for (const side of sides) await side.pool.close()
      }
    }),
  )

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
  // Slices alternate between the two servers: only over WebSocket, with the relay, at most one a change.
  const slices = gateway || !options.relay ? 1 : Math.min(options.slices ?? 1, m)
  if (m % slices !== 0) throw new Error(`--slices ${slices} must divide --m ${m}`)
  if (slices > 1) {
    process.stderr.write(
      `${scenario}: narvaro and relay, ${n} users × ${k} watched, ${m} changes each, the paced phase in ${slices} alternating slices…\n`,
    )
    Object.assign(results, await interleavedShape(ctx, { n, k, m, warmup, slices, options }))
  }
  for (const kind of slices > 1 ? [] : targetKinds(options)) {
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
      : '') +
    (slices > 1 ? `; the paced phase in ${slices} slices alternating between the two servers` : '')
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
      slices,
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
    .map((a) => allocationsTable(a, `the ${a.phase} phase`, a.notifications, 'notifications'))
    .join('\n\n')
}

export const fanout = (ctx, options) => fanoutOver('fanout', ctx, options)
