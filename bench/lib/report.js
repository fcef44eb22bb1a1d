// Tables for the terminal (Närvaro, the reference relay, and their ratio side by side) and the JSON
// results file; bench support.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { repoRoot } from './targets.js'

/** A number for a table: thousands separated, 1–2 decimals below 1000; '-' when missing. */
export const fmt = (value, digits) => {
  if (
    value === undefined ||
    value === null ||
    (typeof value === 'number' && !Number.isFinite(value))
  )
    return '-'
  if (typeof value === 'string') return value
  if (Number.isInteger(value) && digits === undefined) return value.toLocaleString('en-US')
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US')
  return value.toFixed(digits ?? (Math.abs(value) < 10 ? 2 : 1))
}

const mb = (kb) => (kb === undefined ? undefined : kb / 1024)

/**
 * Rows comparing two results: `[label, Närvaro, relay, Närvaro ÷ relay]`. Each definition picks a
 * number from a result; `ratio: false` leaves the ratio out (counts, settings).
 * @param {{ label: string, get: (r: any) => number | string | undefined, ratio?: boolean, digits?: number }[]} definitions
 */
export const compare = (definitions, narvaro, relay) =>
  definitions.map(({ label, get, ratio = true, digits }) => {
    const a = narvaro ? safe(get, narvaro) : undefined
    const b = relay ? safe(get, relay) : undefined
    const r =
      ratio && typeof a === 'number' && typeof b === 'number' && b !== 0 ? `${fmt(a / b)}×` : ''
    return [label, fmt(a, digits), relay ? fmt(b, digits) : '', r]
  })

const safe = (get, result) => {
  try {
    return get(result)
  } catch {
    return undefined
  }
}

/** Rows for a phase result (`paced` or `burst`), under a prefix. */
export const phaseRows = (key, name) => [
  {
    label: `${name}: notifications delivered / expected`,
    get: (r) => `${fmt(r[key].notifications)} / ${fmt(r[key].expected)}`,
    ratio: false,
  },
  { label: `${name}: delivered notifications/s`, get: (r) => r[key].deliveredPerSec },
  { label: `${name}: latency p50 ms`, get: (r) => r[key].p50 },
  { label: `${name}: latency p99 ms`, get: (r) => r[key].p99 },
  { label: `${name}: latency p99.9 ms`, get: (r) => r[key].p999 },
  { label: `${name}: server CPU ms per 1,000 notifications`, get: (r) => r[key].serverCpuPer1k },
  { label: `${name}: server CPU, % of its core`, get: (r) => r[key].serverCpuPct, digits: 0 },
  { label: `${name}: load generator CPU, % of a core`, get: (r) => r[key].loadCpuPct, digits: 0 },
  { label: `${name}: which side was the limit`, get: (r) => limitOf(r[key]), ratio: false },
]

/** A core at or over this share of its time is taken as the limit of a phase. */
const busyPct = 90

/**
 * Which side bounded a phase: the server's core, the load generator's (the workers share one core
 * when pinned), both, or neither (a paced phase, or one bound by latency).
 */
export const limitOf = ({ serverCpuPct, loadCpuPct }) => {
  const server = serverCpuPct >= busyPct
  const load = loadCpuPct >= busyPct
  return server && load ? 'both' : server ? 'server' : load ? 'load generator' : 'neither'
}

export const memoryRows = (sessionsLabel) => [
  {
    label: 'server RSS idle, MB (before connections, after GC)',
    get: (r) => mb(r.memory.idle.rssKb),
  },
  {
    label: 'server RSS everyone connected, MB (after GC)',
    get: (r) => mb(r.memory.connected.rssKb),
  },
  { label: 'server RSS peak (VmHWM), MB', get: (r) => mb(r.memory.peak.hwmKb) },
  { label: `server RSS per ${sessionsLabel}, KB`, get: (r) => r.memory.perSessionKb },
  {
    label: `server JS heap per ${sessionsLabel}, KB`,
    get: (r) => (r.memory.connected.heapUsedKb - r.memory.idle.heapUsedKb) / r.sessions,
  },
]

/** The row every scenario ends with: protocol errors (and unchanged acks) the load received. */
export const errorsRow = {
  label: 'errors (and unchanged acks) received',
  get: (r) => JSON.stringify(r.errors),
  ratio: false,
}

/** Renders rows as an aligned text table with a title line. */
export const renderTable = (title, header, rows) => {
  const all = [header, ...rows]
  const widths = header.map((_, c) => Math.max(...all.map((row) => String(row[c] ?? '').length)))
  const line = (row) =>
    row
      .map((cell, c) =>
        c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]),
      )
      .join('  ')
      .trimEnd()
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  return [title, line(header), rule, ...rows.map(line)].join('\n')
}

export const comparisonHeader = (relay) =>
  relay ? ['', 'Närvaro', 'relay', 'Närvaro ÷ relay'] : ['', 'Närvaro', '', '']

/** Writes the results file and returns its path. */
export const writeResults = (results, out, scenarios) => {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const path = out ?? join(repoRoot, 'bench', 'results', `${stamp}-${scenarios.join('-')}.json`)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`)
  return path
}
