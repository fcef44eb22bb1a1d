// Scenario who: "who is available" in a team of the whole organization (10,000 by default), asked
// over REST and held open over WebSocket while members change availability: latency, server CPU and
// memory. The reference relay has no such query: Närvaro's figures stand alone.
import process from 'node:process'
import { nowMs, sleep, waitUntil } from '../lib/clock.js'
import { cpuMs, memoryKb } from '../lib/proc.js'
import { fmt } from '../lib/report.js'
import { adminPassword, benchDomain, settledMemory } from '../lib/targets.js'
import {
  LiveAsker,
  askInLoops,
  createTeam,
  login,
  matchChanges,
  rest,
  timedPages,
  timedQueries,
} from '../lib/who-client.js'
import { Histogram } from '../lib/histogram.js'
import { mergePhase } from '../lib/load-pool.js'
import { connectLoad, mergeCounts, phaseWindows, publishInitial, withTarget } from './common.js'
import { whoTables } from './who-table.js'
import {
  collectOwnHeap,
  eventLoopLag,
  gcBetween,
  gcSoFar,
  gcSum,
  gcTotal,
  ownGc,
} from '../lib/server-probes.js'
import { sampleAllocations } from '../lib/alloc-profile.js'

/** A few smaller teams beside the big one, so that members belong to more than one group. */
const smallTeams = { count: 4, size: 100 }
/** Users who ask the snapshot queries in turn, and all at once beside the watchers. */
const snapshotAskers = 20
/** Entries per page of the paged questions. */
const pageSize = 500

/**
 * Who is online (the first users: the load's ring of watchers is theirs), who holds a live query,
 * who asks.
 */
const castOf = (users, options) => {
  const isOnline = (i) => i < Math.round(users.length * options.online)
  const online = users.filter((u) => isOnline(u.index))
  const offline = users.filter((u) => !isOnline(u.index))
  if (offline.length < options.askers + snapshotAskers)
    throw new Error(`--online ${options.online} leaves too few offline users to ask`)
  return {
    online,
    live: offline.slice(-options.askers),
    snapshot: offline.slice(-(options.askers + snapshotAskers), -options.askers),
  }
}

const setUpTeams = async (target, users) => {
  const admin = await login(target, `admin@${benchDomain}`, adminPassword)
  const addresses = users.map((u) => u.address)
  const big = await createTeam(target, admin, {
    name: `everyone-${users.length}`,
    members: addresses,
  })
  const size = Math.min(smallTeams.size, Math.floor(users.length / smallTeams.count))
  const small = []
  for (let t = 0; t < smallTeams.count; t++) {
    const members = addresses.slice(t * size, (t + 1) * size)
    small.push(await createTeam(target, admin, { name: `team-${t}`, members }))
  }
  return { big, small }
}

const snapshotQueries = ({ big, small }) => {
  const path = (team, filter = '') =>
    `/v1/availability?team=${encodeURIComponent(team.name)}${filter}`
  return [
    { label: `team of ${fmt(big.members)}, everyone`, path: path(big) },
    { label: `team of ${fmt(big.members)}, available`, path: path(big, '&availability=available') },
    {
      label: `team of ${fmt(big.members)}, available, reachable by im`,
      path: path(big, '&availability=available&reachableBy=im'),
    },
    { label: `team of ${fmt(small[0].members)}, everyone`, path: path(small[0]) },
    {
      label: `team of ${fmt(big.members)}, everyone, pages of ${pageSize}`,
      path: path(big),
      pageSize,
    },
  ]
}

/** What the askers ask beside the watchers: the available, and everyone (the first page, or all). */
const askerQueries = ({ big }, ask) => {
  const path = `/v1/availability?team=${encodeURIComponent(big.name)}`
  return [`${path}&availability=available`, ask === 'pages' ? `${path}&limit=${pageSize}` : path]
}

/** Each query once cold, then `repeats` times warm: latency, and server CPU per warm query. */
const measureSnapshots = async (target, queries, { askers, repeats }) => {
  const results = []
  for (const { label, path, pageSize: limit } of queries) {
    const cold = await rest(target, {
      path: limit ? `${path}&limit=${limit}` : path,
      token: askers[0],
    })
    collectOwnHeap()
    const gc0 = await gcSoFar(target)
    const cpu0 = cpuMs(target.pid)
    const fromMs = nowMs()
    const benchGc = ownGc()
    const warm = limit
      ? await timedPages(target, { path, askers, repeats, limit })
      : await timedQueries(target, { path, askers, repeats })
    const requests = limit ? repeats * warm.pages : repeats
    const serverCpuMs = cpuMs(target.pid) - cpu0
    const clientGc = await benchGc()
    const serverGc = gcTotal(gcBetween(gc0, await gcSoFar(target)))
    phaseWindows.push({ pid: target.pid, kind: target.kind, label, fromMs, toMs: nowMs() })
    results.push({
      label,
      path,
      coldMs: cold.ms,
      entries: warm.entries,
      replyBytes: warm.bytes,
      p50: warm.hist.percentile(50),
      p99: warm.hist.percentile(99),
      max: warm.hist.max,
      mean: warm.hist.mean,
      serverCpuMsPerQuery: serverCpuMs / requests,
      // Whose collections could have made the tail: the server's, or the measuring process's own.
      serverGc,
      clientGc,
      ...(limit ? { pages: warm.pages } : {}),
    })
  }
  return results
}

/**
 * Every online user publishes `perUser` changes (busy and available alternate), paced at
 * `changeRate` per second in all; with `askers`, waits until their `who-change`s have arrived.
 */
const changePhase = async (pool, target, { phaseId, perUser, askers = [], options }) => {
  const timeoutMs = options.timeout * 1000
  const totalUsers = pool.slices.reduce((n, s) => n + s.length, 0)
  await pool.all('arm', { phaseId, perUser })
  await eventLoopLag(target)
  const gc0 = await gcSoFar(target)
  // --alloc-prof: what the server allocates in the phases beside the watchers (1: alone, 3: askers).
  const sampling =
    options.allocProf && phaseId !== 2 ? await sampleAllocations(target, options) : undefined
  const benchCpu0 = process.cpuUsage()
  const cpu0 = cpuMs(target.pid)
  const start = nowMs()
  const reports = await pool.each(
    (w) => ({
      command: 'phase',
      args: {
        phaseId,
        mode: 'paced',
        ratePerSec: (options.changeRate * pool.usersOf(w)) / totalUsers,
        perUser,
        timeoutMs,
        logSends: true,
      },
    }),
    timeoutMs + 60_000,
  )
  const sends = reports.flatMap((r) => r.sends)
  const watched = mergePhase(reports)
  const expected = sends.length * askers.length
  const received = () => askers.reduce((n, a) => n + a.receipts.length, 0)
  const complete = await waitUntil(() => received() >= expected, timeoutMs, 5)
  const end = nowMs()
  const serverCpuMs = cpuMs(target.pid) - cpu0
  const benchCpu = process.cpuUsage(benchCpu0)
  const allocations = sampling ? await sampling() : undefined
  const lag = await eventLoopLag(target)
  const gc = gcBetween(gc0, await gcSoFar(target))
  phaseWindows.push({
    pid: target.pid,
    kind: target.kind,
    label: `who changes ${phaseId}`,
    fromMs: start,
    toMs: end,
  })
  if (askers.length > 0) await sleep(500) // a late duplicate would count as extra
  return {
    changes: sends.length,
    sends,
    complete,
    wallMs: end - start,
    serverCpuMs,
    serverCpuPerChange: serverCpuMs / Math.max(1, sends.length),
    serverCpuPct: (serverCpuMs / (end - start)) * 100,
    lag,
    gc,
    ...(allocations ? { allocations } : {}),
    // The load core: the workers and this process (the askers, the live queries' clients).
    loadCpuMs: watched.loadCpuMs + (benchCpu.user + benchCpu.system) / 1000,
    loadCpuPct:
      ((watched.loadCpuMs + (benchCpu.user + benchCpu.system) / 1000) / (end - start)) * 100,
    // The watchers' latencies, for pooling rounds (`pooledPhase`); left out of the results file.
    hist: watched.hist,
    watchers: {
      notifications: watched.received,
      expected: watched.expected,
      p50: watched.hist.percentile(50),
      p99: watched.hist.percentile(99),
      p999: watched.hist.percentile(99.9),
      max: watched.hist.max,
    },
  }
}

/**
 * The change phase again, while every snapshot asker asks (`askerQueries`, one every
 * `--ask-interval` ms each): the watchers' latency beside theirs.
 */
const askingPhase = async (pool, target, { teams, tokens, perUser, phaseId, options }) => {
  const stop = askInLoops(target, {
    askers: tokens,
    queries: askerQueries(teams, options.ask),
    intervalMs: options.askInterval,
  })
  const phase = await changePhase(pool, target, { phaseId, perUser, options })
  const { hist, failures } = await stop()
  const { sends: _sends, ...result } = phase
  return {
    ...result,
    askers: tokens.length,
    intervalMs: options.askInterval,
    ask: options.ask,
    askersHist: hist,
    questions: hist.total,
    failures,
    p50: hist.percentile(50),
    p99: hist.percentile(99),
    max: hist.max,
  }
}

/**
 * The watchers alone, then beside the askers, `--rounds` times in turn (phase ids 1 and 3, then 11
 * and 13, …): the machine's speed drifts from minute to minute here, and one pair of phases may
 * compare a fast minute with a slow one. Each condition's rounds are pooled (`pooledPhase`).
 */
const besideTheWatchers = async (pool, target, { teams, tokens, perUser, options }) => {
  const alone = []
  const asking = []
  for (let round = 0; round < options.rounds; round++) {
    const { sends: _sends, ...baseline } = await changePhase(pool, target, {
      phaseId: 1 + 10 * round,
      perUser,
      options,
    })
    alone.push(baseline)
    asking.push(
      await askingPhase(pool, target, { teams, tokens, perUser, phaseId: 3 + 10 * round, options }),
    )
  }
  const rounds = alone.map((a, i) => ({
    alone: a.watchers.p99,
    asking: asking[i].watchers.p99,
    askersP99: asking[i].p99,
  }))
  return { baseline: pooledPhase(alone), asking: pooledPhase(asking), rounds }
}

/**
 * The rounds of one condition as one phase: latencies from the merged histograms, counts, CPU and
 * collections summed, the worst of the event loop delays; the first round's allocations.
 */
const pooledPhase = (list) => {
  const [first] = list
  const sum = (get) => list.reduce((n, p) => n + get(p), 0)
  const watchers = new Histogram()
  for (const p of list) watchers.merge(p.hist)
  const wallMs = sum((p) => p.wallMs)
  const serverCpuMs = sum((p) => p.serverCpuMs)
  const changes = sum((p) => p.changes)
  const gc = gcSum(list.map((p) => p.gc))
  const worst = (key) => Math.max(...list.map((p) => p.lag[key] ?? 0))
  const { hist: _hist, askersHist: _askersHist, ...rest } = first
  const pooled = {
    ...rest,
    changes,
    complete: list.every((p) => p.complete),
    wallMs,
    serverCpuMs,
    serverCpuPerChange: serverCpuMs / Math.max(1, changes),
    serverCpuPct: (serverCpuMs / wallMs) * 100,
    loadCpuMs: sum((p) => p.loadCpuMs),
    loadCpuPct: (sum((p) => p.loadCpuMs) / wallMs) * 100,
    lag: { p50: worst('p50'), p99: worst('p99'), max: worst('max') },
    gc,
    watchers: {
      notifications: sum((p) => p.watchers.notifications),
      expected: sum((p) => p.watchers.expected),
      p50: watchers.percentile(50),
      p99: watchers.percentile(99),
      p999: watchers.percentile(99.9),
      max: watchers.max,
    },
  }
  if (!first.askersHist) return pooled
  const askers = new Histogram()
  for (const p of list) askers.merge(p.askersHist)
  return {
    ...pooled,
    questions: askers.total,
    failures: sum((p) => p.failures),
    p50: askers.percentile(50),
    p99: askers.percentile(99),
    max: askers.max,
  }
}

/** Opens one live query per asker, one after another: time to each ack, and its entries. */
const openLiveQueries = async (target, users, { team, options, onError }) => {
  const askers = []
  const opened = []
  for (const user of users) {
    const asker = new LiveAsker({ user, target: { kind: target.kind, url: target.url }, onError })
    await asker.open(options.timeout * 1000)
    opened.push(await asker.ask({ team, availability: ['available'] }, options.timeout * 1000))
    askers.push(asker)
  }
  const ms = opened.map((o) => o.ms).sort((a, b) => a - b)
  return {
    askers,
    open: {
      count: askers.length,
      p50Ms: ms[Math.floor(ms.length / 2)],
      maxMs: ms.at(-1),
      entries: opened.map((o) => o.entries),
    },
  }
}

const liveResult = (phase, askers) => {
  const { hist, ...counts } = matchChanges(phase.sends, askers)
  const { sends: _sends, hist: _hist, ...rest } = phase
  return {
    ...rest,
    ...counts,
    p50: hist.percentile(50),
    p99: hist.percentile(99),
    p999: hist.percentile(99.9),
    max: hist.max,
    serverCpuPerDelivered: phase.serverCpuMs / Math.max(1, counts.delivered),
  }
}

const runWho = (ctx, options) =>
  withTarget('narvaro', ctx, async (target) => {
    const users = ctx.users.slice(0, options.users[0])
    const cast = castOf(users, options)
    const idle = await settledMemory(target)
    const teams = await setUpTeams(target, users)
    // Peak RSS so far after each step, to tell which step raised it (no GC: a plain /proc read).
    const peaks = { afterTeamsKb: memoryKb(target.pid).hwmKb }
    const { pool, connect } = await connectLoad(target, ctx, {
      users: cast.online,
      k: options.k[0],
      options,
    })
    const errors = {}
    const onError = (code) => (errors[code] = (errors[code] ?? 0) + 1)
    let askers = []
    try {
      const initial = await publishInitial(pool, options)
      const tokens = cast.snapshot.map((u) => u.token)
      const snapshot = await measureSnapshots(target, snapshotQueries(teams), {
        askers: tokens,
        repeats: options.repeats,
      })
      peaks.afterSnapshotKb = memoryKb(target.pid).hwmKb
      const perUser = Math.max(
        1,
        Math.round((options.changeRate * options.duration) / cast.online.length),
      )
      const { baseline, asking, rounds } = await besideTheWatchers(pool, target, {
        teams,
        tokens,
        perUser,
        options,
      })
      const before = await settledMemory(target)
      const live = await openLiveQueries(target, cast.live, {
        team: teams.big.name,
        options,
        onError,
      })
      askers = live.askers
      const withQueries = await settledMemory(target)
      const phase = await changePhase(pool, target, { phaseId: 2, perUser, askers, options })
      const after = await settledMemory(target)
      return {
        target: 'narvaro',
        users: users.length,
        online: cast.online.length,
        teams,
        connect,
        initial,
        snapshot,
        perUser,
        baseline,
        asking,
        rounds,
        open: live.open,
        live: liveResult(phase, askers),
        memory: { idle, before, withQueries, after, peak: memoryKb(target.pid), peaks },
        errors: mergeCounts([errors, ...(await pool.all('errors'))]),
      }
    } finally {
      for (const asker of askers) asker.close()
      await pool.close()
    }
  })

export const who = async (ctx, options) => {
  if (options.online > 1) throw new Error('--online is a share of the users, at most 1')
  const n = options.users[0]
  process.stderr.write(
    `who: narvaro, ${n} users in one team, ${options.online * 100} % online, ${options.askers} live queries…\n`,
  )
  const narvaro = await runWho(ctx, options)
  return {
    scenario: 'who',
    parameters: {
      users: n,
      online: options.online,
      askers: options.askers,
      snapshotAskers,
      pageSize,
      k: options.k[0],
      askInterval: options.askInterval,
      smallTeams,
      repeats: options.repeats,
      changeRate: options.changeRate,
      duration: options.duration,
      perUser: narvaro.perUser,
      workers: options.workers,
    },
    results: { narvaro },
    table: whoTables(narvaro, { ...options, snapshotAskers, pageSize }),
  }
}
