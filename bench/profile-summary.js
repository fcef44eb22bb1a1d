#!/usr/bin/env node
// Summarizes V8 CPU profiles (.cpuprofile, from node --cpu-prof): the functions with the most self
// time, over the whole run or only over the measured phases (profile sample times and the bench's
// phase windows are both CLOCK_MONOTONIC). `node bench/profile-summary.js FILE...`, or run.js.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { longTasks, parentsOf, whereOf } from './lib/long-tasks.js'
import { renderTable } from './lib/report.js'

/** Self time (µs) per sampled node id, for samples taken between `fromMs` and `toMs`. */
const selfTimes = (profile, fromMs = -Infinity, toMs = Infinity) => {
  const selfUs = new Map()
  const deltas = profile.timeDeltas ?? []
  let at = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    at += deltas[i] ?? 0
    const ms = at / 1000
    if (ms < fromMs || ms > toMs) continue
    const next = deltas[i + 1] ?? 0
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + next)
  }
  return selfUs
}

/**
 * Inclusive ("total") time of Närvaro's own functions (dist/), the flame graph's widest frames:
 * a function counts once per sample however deep it recurses.
 */
export const topInclusive = (profile, { fromMs, toMs, limit = 20 } = {}) => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = parentsOf(profile)
  const totals = new Map()
  let busy = 0
  for (const [id, us] of selfTimes(profile, fromMs, toMs)) {
    if (byId.get(id).callFrame.functionName === '(idle)') continue
    busy += us
    const seen = new Set()
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at).callFrame
      const place = whereOf(frame)
      if (!place.startsWith('dist/')) continue
      const key = `${frame.functionName || '(anonymous)'}\t${place}`
      if (seen.has(key)) continue
      seen.add(key)
      totals.set(key, (totals.get(key) ?? 0) + us)
    }
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, us]) => {
      const [name, place] = key.split('\t')
      return { name, place, totalMs: us / 1000, percentOfBusy: (us / busy) * 100 }
    })
}

/** The functions with the most self time, and busy/idle totals, in one window of a profile. */
export const topFunctions = (profile, { fromMs, toMs, limit = 20 } = {}) => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const totals = new Map()
  for (const [id, us] of selfTimes(profile, fromMs, toMs)) {
    const frame = byId.get(id).callFrame
    const key = `${frame.functionName || '(anonymous)'}\t${whereOf(frame)}`
    totals.set(key, (totals.get(key) ?? 0) + us)
  }
  const idle = totals.get('(idle)\t') ?? 0
  totals.delete('(idle)\t')
  const busy = [...totals.values()].reduce((a, b) => a + b, 0)
  const top = [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, us]) => {
      const [name, place] = key.split('\t')
      return { name, place, selfMs: us / 1000, percentOfBusy: (us / busy) * 100 }
    })
  return { busyMs: busy / 1000, idleMs: idle / 1000, top }
}

const table = (title, summary) =>
  [
    renderTable(
      `${title}: ${summary.busyMs.toFixed(0)} ms busy, ${summary.idleMs.toFixed(0)} ms idle; top self time`,
      ['function', 'where', 'self ms', 'of busy'],
      summary.top.map((f) => [
        f.name,
        f.place,
        f.selfMs.toFixed(0),
        `${f.percentOfBusy.toFixed(1)} %`,
      ]),
    ),
    renderTable(
      `${title}: Närvaro's functions by total time (self and callees)`,
      ['function', 'where', 'total ms', 'of busy'],
      summary.inclusive.map((f) => [
        f.name,
        f.place,
        f.totalMs.toFixed(0),
        `${f.percentOfBusy.toFixed(1)} %`,
      ]),
    ),
  ].join('\n\n')

/** The window's busy runs of 20 ms or more, the longest 15, in order of time. */
const longTable = (file, w, tasks) =>
  renderTable(
    `${basename(file)}, ${w.label}: ${tasks.length} busy runs of 20 ms or more (the longest 15)`,
    ['at s', 'ms', 'longest gap ms', 'GC ms', 'top self ms', "Närvaro's frames ms"],
    [...tasks]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15)
      .sort((a, b) => a.atMs - b.atMs)
      .map((t) => [
        ((t.atMs - (w.fromMs ?? tasks[0]?.atMs ?? 0)) / 1000).toFixed(2),
        t.ms.toFixed(1),
        t.maxGapMs.toFixed(1),
        t.gcMs.toFixed(1),
        t.topSelf.join('; '),
        t.topOurs.join('; '),
      ]),
  )

/** One profile: the whole run, and each window `{ label, fromMs, toMs }` given. */
export const summarizeFile = (file, windows = [], limit = 20) => {
  const profile = JSON.parse(readFileSync(file, 'utf8'))
  const parts = [{ label: 'whole run' }, ...windows].map((w) => {
    const summary = {
      ...topFunctions(profile, { fromMs: w.fromMs, toMs: w.toMs, limit }),
      inclusive: topInclusive(profile, { fromMs: w.fromMs, toMs: w.toMs, limit }),
    }
    const long = longTasks(profile, { fromMs: w.fromMs, toMs: w.toMs, minMs: 20 })
    const tables = [table(`${basename(file)}, ${w.label}`, summary), longTable(file, w, long)]
    return { window: w.label, ...summary, longTasks: long, table: tables.join('\n\n') }
  })
  return { file, parts, table: parts.map((p) => p.table).join('\n\n') }
}

/** Summaries of the profiles written in `dir` since `sinceMs`, cut to the phases of their process. */
export const summarizeProfiles = (dir, sinceMs, windows = [], limit = 20) => {
  let files = []
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
  } catch {
    return []
  }
  return files
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).mtimeMs >= sinceMs)
    .map((f) => {
      const pid = Number(basename(f).split('.')[3])
      const mine = windows
        .filter((w) => w.pid === pid)
        .map((w) => ({ ...w, label: `${w.kind}, ${w.label}` }))
      return summarizeFile(f, mine, limit)
    })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of process.argv.slice(2))
    process.stdout.write(`${summarizeFile(file, [], 25).table}\n\n`)
}
