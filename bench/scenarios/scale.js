// Scenario scale: the fanout shape over a matrix of N (users, one connection each) and K (watched
// each), paced at the same offered rate: cost per notification and memory per session as they grow.
import process from 'node:process'
import { openFileLimit } from '../lib/proc.js'
import { fmt, renderTable } from '../lib/report.js'
import { targetKinds } from './common.js'
import { runFanoutShape } from './fanout.js'

const ratio = (a, b) =>
  Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${fmt(a / b)}×` : '-'

const runCell = async (ctx, options, n, k) => {
  const m = Math.max(1, Math.round((options.rate * options.duration) / (n * k)))
  const cell = { n, k, m, pacedSeconds: (n * m * k) / options.rate }
  const files = openFileLimit().soft
  if (k >= n) return { ...cell, skipped: `K=${k} needs more than ${k} users` }
  if (n + 64 > files)
    return {
      ...cell,
      skipped: `needs ${fmt(n + 64)} open files, the limit is ${fmt(files)} (ulimit -n)`,
    }
  for (const kind of targetKinds(options)) {
    process.stderr.write(`scale: ${kind}, N=${n} K=${k} M=${m}…\n`)
    try {
      cell[kind] = await runFanoutShape(kind, ctx, {
        n,
        k,
        phases: [{ mode: 'paced', perUser: m }],
        options,
      })
    } catch (error) {
      cell[kind] = { error: String(error?.message ?? error) }
    }
  }
  return cell
}

const row = (cell) => {
  if (cell.skipped) return [fmt(cell.n), fmt(cell.k), '', `skipped: ${cell.skipped}`]
  const a = cell.narvaro
  const b = cell.relay
  if (a?.error) return [fmt(cell.n), fmt(cell.k), '', `Närvaro failed: ${a.error}`]
  const pa = a.paced
  const pb = b?.paced
  return [
    fmt(cell.n),
    fmt(cell.k),
    fmt(cell.pacedSeconds, 1),
    `${fmt(pa.notifications)}/${fmt(pa.expected)}`,
    fmt(pa.deliveredPerSec),
    fmt(pa.p50),
    fmt(pa.p99),
    fmt(pa.serverCpuPer1k),
    fmt(pb?.serverCpuPer1k),
    ratio(pa.serverCpuPer1k, pb?.serverCpuPer1k),
    fmt(a.memory.perSessionKb),
    fmt(b?.memory.perSessionKb),
    ratio(a.memory.perSessionKb, b?.memory.perSessionKb),
    fmt(a.memory.perWatchBytes, 0),
    fmt(a.connect.ms / 1000, 1),
    fmt(a.connect.subscribeRetries),
  ]
}

export const scale = async (ctx, options) => {
  const cells = []
  for (const n of options.users)
    for (const k of options.k) cells.push(await runCell(ctx, options, n, k))
  const header = [
    'N',
    'K',
    'paced s',
    'delivered/expected',
    'notif/s',
    'p50 ms',
    'p99 ms',
    'CPU ms/1k',
    'relay',
    'ratio',
    'KB/session',
    'relay',
    'ratio',
    'B/watch',
    'connect s',
    'sub. retries',
  ]
  const title =
    `scale: fanout shape, paced ${fmt(options.rate)} notifications/s offered for ~${options.duration} s per cell; ` +
    `CPU = server CPU ms per 1,000 notifications; KB/session = (RSS connected − RSS idle) / N; B/watch = the same per watch pair`
  return {
    scenario: 'scale',
    parameters: {
      users: options.users,
      k: options.k,
      rate: options.rate,
      duration: options.duration,
      workers: options.workers,
    },
    results: cells,
    table: renderTable(title, header, cells.map(row)),
  }
}
