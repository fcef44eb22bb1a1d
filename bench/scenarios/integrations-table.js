// The terminal tables of the integrations scenario (Närvaro alone: the reference relay has no
// integrations, working hours or schedules); bench support.
import { fmt, renderTable } from '../lib/report.js'

const mb = (kb) => kb / 1024
const s = (ms) => fmt(ms / 1000, 1)

const eventsTable = (e, p) => {
  const per1k = (ms, count) => (ms / Math.max(1, count)) * 1000
  const d = e.delivered
  const wall = e.posted.wallMs
  return renderTable(
    `integration events: ${p.posters} integrations posting batches of ${p.batch} call events (one request in flight each) for ${p.duration} s; ${fmt(p.watchers)} watchers × ${p.k} over ${fmt(p.users)} people`,
    ['', 'Närvaro'],
    [
      [
        'watchers connected / watch pairs',
        `${fmt(e.connect.opened)} / ${fmt(e.connect.subscribedPairs)}`,
      ],
      [
        'events sent / applied (batches)',
        `${fmt(e.posted.sent)} / ${fmt(e.posted.applied)} (${fmt(e.posted.batches)})`,
      ],
      ['events not applied', JSON.stringify(e.posted.refused)],
      ['events/s accepted', fmt(e.posted.applied / (wall / 1000), 0)],
      [
        'batch latency p50 / p99 / max ms',
        `${fmt(e.posted.p50)} / ${fmt(e.posted.p99)} / ${fmt(e.posted.max)}`,
      ],
      [
        'server CPU ms per 1,000 events (with their fan-out)',
        fmt(per1k(e.serverCpuMs, e.posted.applied)),
      ],
      ['server CPU, % of its core while posting', fmt((e.postCpuMs / wall) * 100, 0)],
      [
        'server per event: write system calls / KB written to storage',
        `${fmt(e.writes.syscalls / e.posted.applied, 1)} / ${fmt(e.writes.bytes / 1024 / e.posted.applied, 1)}`,
      ],
      ['notifications delivered / expected', `${fmt(d.received)} / ${fmt(d.expected)}`],
      ['notifications/s delivered', fmt(d.received / (wall / 1000), 0)],
      [
        'pairs with every change / short / extra',
        `${fmt(d.exact)} / ${fmt(d.short)} / ${fmt(d.extra)}`,
      ],
      ['pairs not offline at the end (every call ended)', fmt(d.wrongFinal)],
      ['last notification after the last batch reply, ms', fmt(e.drainMs)],
      [
        'server RSS after GC / peak (VmHWM), MB',
        `${fmt(mb(e.memory.after.rssKb))} / ${fmt(mb(e.memory.peak.hwmKb))}`,
      ],
      [
        'server JS heap after GC, MB: start / after the events / resume window later',
        `${fmt(mb(e.start.memory.heapUsedKb))} / ${fmt(mb(e.memory.after.heapUsedKb))} / ${fmt(mb(e.memory.afterWindow.heapUsedKb))}`,
      ],
      [
        `changes kept for resuming: after the events / ${p.resumeWindow} s window later`,
        `${fmt(e.memory.historyAfter)} / ${fmt(e.memory.historyAfterWindow)}`,
      ],
      ['errors received', JSON.stringify(e.errors)],
    ],
  )
}

const burstTable = (b, p, people) => {
  if (b.error) return `working-hours boundary: not measured: ${b.error}`
  const d = b.delivered
  return renderTable(
    `working-hours boundary: ${fmt(people)} people's working hours end at ${p.boundary.slice(11, 16)} UTC; ${fmt(p.watchers)} colleagues watch ${p.k} each (${fmt(b.connect.subscribedPairs)} pairs) and get "off work"`,
    ['', 'Närvaro'],
    [
      ['notifications delivered / expected', `${fmt(d.received)} / ${fmt(d.expected)}`],
      [
        'pairs with one change / short / extra',
        `${fmt(d.exact)} / ${fmt(d.short)} / ${fmt(d.extra)}`,
      ],
      ['pairs not "away" at the end', fmt(d.wrongFinal)],
      ['boundary → first notification, ms', fmt(b.firstMs)],
      ['boundary → notification p50 / p99 ms', `${fmt(b.p50)} / ${fmt(b.p99)}`],
      ['boundary → last notification, ms', fmt(b.lastMs)],
      [
        'server CPU in the burst, ms (per 1,000 people)',
        `${fmt(b.cpu.cpuMs)} (${fmt((b.cpu.cpuMs / people) * 1000)})`,
      ],
      [
        'event loop delay max, ms (nodejs_eventloop_lag_max_seconds, sampled every 50 ms)',
        fmt(b.lagMaxMs),
      ],
      [
        'longest GET /healthz during the burst, ms (probes)',
        `${fmt(b.probes.maxMs)} (${fmt(b.probes.count)})`,
      ],
      ['errors received', JSON.stringify(b.errors)],
    ],
  )
}

const startTable = (r, p) => {
  const plain = r.events.start
  const seeded = r.burst.start
  const row = (label, get, digits) => {
    const a = get(plain)
    const b = seeded ? get(seeded) : undefined
    return [label, fmt(a, digits), fmt(b, digits), typeof b === 'number' ? `${fmt(b / a)}×` : '']
  }
  return renderTable(
    `start: ${fmt(p.users)} people; seeded: working hours for all, ${fmt(p.schedules)} weekly schedule entries (${fmt(r.seed.scheduledPublications)} scheduled publications)`,
    ['', 'plain template', 'hours + schedules', 'ratio'],
    [
      row('spawn → listening, ms', (x) => x.ms, 0),
      row('server CPU until listening, ms', (x) => x.cpuMs, 0),
      row('server RSS after start, MB (after GC)', (x) => mb(x.memory.rssKb)),
      row('server JS heap after start, MB (after GC)', (x) => mb(x.memory.heapUsedKb)),
    ],
  )
}

/** The integrations scenario's tables: events, the working-hours boundary, start cost. */
export const integrationsTables = (r, p) =>
  [
    `integrations: Närvaro alone (the reference relay has no integrations, working hours or schedules); setup wrote hours for ${fmt(r.seed.people)} people and ${fmt(r.seed.schedules)} schedule entries in ${s(r.seed.ms)} s (not measured)`,
    '',
    eventsTable(r.events, p),
    '',
    burstTable(r.burst, p, r.seed.people),
    '',
    startTable(r, p),
  ].join('\n')
