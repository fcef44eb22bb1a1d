// The terminal tables of the who scenario (Närvaro alone: the reference relay has no such query);
// bench support.
import { allocationsTable } from '../lib/alloc-profile.js'
import { fmt, renderTable } from '../lib/report.js'
import { gcKindsMs } from '../lib/server-probes.js'

const mb = (kb) => kb / 1024

/** The who scenario's tables: setup, snapshot queries, live queries and memory. */
export const whoTables = (r, options) => {
  const big = fmt(r.teams.big.members)
  const head = `who: an organization of ${fmt(r.users)} users, all in one team (and ${r.teams.small.length} teams of ${fmt(r.teams.small[0].members)}); ${fmt(r.online)} online (${options.online * 100} %) through ${options.workers} load workers`
  const setup = `team of ${big} created with one POST /v1/groups in ${fmt(r.teams.big.ms / 1000)} s (body ${fmt(r.teams.big.bodyBytes / 1024, 0)} KB)`
  const snapshotRows = r.snapshot.map((s) => [
    s.label,
    s.pages ? `${fmt(s.entries)} in ${fmt(s.pages)}` : fmt(s.entries),
    fmt(s.replyBytes / 1024, 0),
    fmt(s.coldMs),
    fmt(s.p50),
    fmt(s.p99),
    fmt(s.serverCpuMsPerQuery),
    `${fmt(s.serverGc.ms)} (${fmt(s.serverGc.over10ms)})`,
    `${fmt(s.clientGc.ms)} / ${fmt(s.clientGc.maxMs)}`,
  ])
  const snapshotTable = renderTable(
    `snapshot: GET /v1/availability, ${options.repeats} times each (after one cold query; paged: every page, ${options.repeats} times), in turn by ${options.snapshotAskers} askers, one at a time`,
    [
      'query',
      'entries',
      'reply KB',
      'cold ms',
      'p50 ms',
      'p99 ms',
      'server CPU ms/request',
      'server GC ms (pauses > 10 ms)',
      'bench GC ms / longest',
    ],
    snapshotRows,
  )
  const l = r.live
  const rate = `${fmt(options.changeRate)} changes/s for ${fmt(l.wallMs / 1000, 1)} s`
  const liveRows = [
    ['live queries open (one per asker, filter available)', fmt(r.open.count)],
    ['time to ack with entries, p50 / max ms', `${fmt(r.open.p50Ms)} / ${fmt(r.open.maxMs)}`],
    ['entries in the first ack', fmt(r.open.entries[0])],
    ['changes published (busy ↔ available)', `${fmt(l.changes)} (${rate})`],
    ['who-changes delivered / expected', `${fmt(l.delivered)} / ${fmt(l.expected)}`],
    [
      'extra / out of order / wrong note',
      `${fmt(l.extra)} / ${fmt(l.outOfOrder)} / ${fmt(l.wrongNote)}`,
    ],
    ['latency publish → who-change p50 ms', fmt(l.p50)],
    ['latency p99 ms', fmt(l.p99)],
    ['latency p99.9 ms', fmt(l.p999)],
    ['latency max ms', fmt(l.max)],
    [
      'server CPU ms per change: no live query → live queries',
      `${fmt(r.baseline.serverCpuPerChange)} → ${fmt(l.serverCpuPerChange)}`,
    ],
    [
      'server CPU, % of its core: no live query → live queries',
      `${fmt(r.baseline.serverCpuPct, 0)} → ${fmt(l.serverCpuPct, 0)}`,
    ],
    [
      'server RSS idle / before live queries / with them, MB (after GC)',
      [r.memory.idle, r.memory.before, r.memory.withQueries]
        .map((m) => fmt(mb(m.rssKb)))
        .join(' / '),
    ],
    [
      'server JS heap before / with live queries, MB (after GC)',
      `${fmt(mb(r.memory.before.heapUsedKb))} / ${fmt(mb(r.memory.withQueries.heapUsedKb))}`,
    ],
    [
      'server JS heap per live query, KB',
      fmt((r.memory.withQueries.heapUsedKb - r.memory.before.heapUsedKb) / r.open.count),
    ],
    [
      'server RSS peak (VmHWM) after teams / after snapshots, MB',
      `${fmt(mb(r.memory.peaks.afterTeamsKb))} / ${fmt(mb(r.memory.peaks.afterSnapshotKb))}`,
    ],
    [
      'server RSS after the live phase / peak (VmHWM), MB',
      `${fmt(mb(r.memory.after.rssKb))} / ${fmt(mb(r.memory.peak.hwmKb))}`,
    ],
    ['errors received', JSON.stringify(r.errors)],
  ]
  const liveTable = renderTable(
    `live: ${r.open.count} askers hold \`who\` on the team of ${big} over WebSocket; ${rate}`,
    ['', 'Närvaro'],
    liveRows,
  )
  const rounds = r.rounds?.length > 1 ? ['', roundsTable(r.rounds)] : []
  return [head, setup, '', snapshotTable, '', askingTable(r, options), ...rounds, '', liveTable]
    .concat(allocationTables(r))
    .join('\n')
}

/** The watchers' p99 alone and beside the askers in each round (they alternate). */
const roundsTable = (rounds) =>
  renderTable(
    'beside the watchers, each round (alone, then with the askers)',
    ['round', 'watchers p99 alone, ms', 'beside the askers, ms', 'growth, ms', 'askers p99, ms'],
    rounds.map((round, i) => [
      String(i + 1),
      fmt(round.alone),
      fmt(round.asking),
      fmt(round.asking - round.alone),
      fmt(round.askersP99),
    ]),
  )

/** What Närvaro allocated beside the watchers, alone and with the askers (`--alloc-prof`). */
const allocationTables = (r) =>
  [
    ['the watchers alone', r.baseline],
    ['the watchers beside the askers', r.asking],
  ]
    .filter(([, phase]) => phase.allocations)
    .flatMap(([during, phase]) => [
      '',
      allocationsTable(phase.allocations, during, phase.changes, 'changes'),
    ])

const gcMs = (phase) => gcKindsMs(phase.gc)
const gcLong = (phase) => {
  const all = Object.values(phase.gc)
  const count = (key) => all.reduce((n, k) => n + k[key], 0)
  return `${fmt(count('over10ms'))} / ${fmt(count('over100ms'))}`
}

/** The watchers' latency with and without the askers beside them. */
const askingTable = (r, options) => {
  const b = r.baseline
  const a = r.asking
  const w = (phase, key) => fmt(phase.watchers[key])
  const rows = [
    [
      'notifications delivered / expected',
      ...[b, a].map((p) => `${fmt(p.watchers.notifications)} / ${fmt(p.watchers.expected)}`),
    ],
    ['watchers: latency p50 ms', w(b, 'p50'), w(a, 'p50')],
    ['watchers: latency p99 ms', w(b, 'p99'), w(a, 'p99')],
    ['watchers: latency p99.9 ms', w(b, 'p999'), w(a, 'p999')],
    ['watchers: latency max ms', w(b, 'max'), w(a, 'max')],
    ['askers: questions answered (failed)', '', `${fmt(a.questions)} (${fmt(a.failures)})`],
    ['askers: latency p50 / p99 / max ms', '', `${fmt(a.p50)} / ${fmt(a.p99)} / ${fmt(a.max)}`],
    [
      'server event loop delay p50 / p99 / max ms (sampled every 50 ms)',
      ...[b, a].map((p) => [p.lag.p50, p.lag.p99, p.lag.max].map((v) => fmt(v)).join(' / ')),
    ],
    ['server CPU, % of its core', fmt(b.serverCpuPct, 0), fmt(a.serverCpuPct, 0)],
    ['load CPU (workers and askers), % of its core', fmt(b.loadCpuPct, 0), fmt(a.loadCpuPct, 0)],
    ['server GC ms: major / minor / incremental', ...[b, a].map(gcMs)],
    ['server GC pauses over 10 / 100 ms', ...[b, a].map(gcLong)],
  ]
  return renderTable(
    `beside the watchers: ${fmt(r.online)} online users each watch ${options.k[0]} others; ${fmt(options.changeRate)} changes/s; then ${a.askers} askers each ask every ${a.intervalMs} ms (available, or ${a.ask === 'pages' ? `the first page of ${options.pageSize} of everyone` : 'everyone at once'})${r.rounds?.length > 1 ? `; ${r.rounds.length} rounds of each, in turn, pooled (event loop delay: the worst round)` : ''}`,
    ['', 'watchers alone', 'with the askers'],
    rows,
  )
}
