// What the integrations scenario reads from the server besides CPU and memory: bytes written to
// storage, CPU over time, and how long the event loop made requests wait; bench support.
import { readFileSync } from 'node:fs'
import { PerformanceObserver } from 'node:perf_hooks'
import v8 from 'node:v8'
import vm from 'node:vm'
import { clearInterval, setInterval } from 'node:timers'
import { nowMs, sleep } from './clock.js'
import { cpuMs } from './proc.js'
import { fmt } from './report.js'

const { fetch } = globalThis

/** Write system calls and bytes a process has written to storage so far (/proc/<pid>/io). */
export const writesOf = (pid) => {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8')
    const field = (name) => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(io)?.[1] ?? NaN)
    return { syscalls: field('syscw'), bytes: field('write_bytes') }
  } catch {
    return { syscalls: NaN, bytes: NaN }
  }
}

/** Samples the server's CPU time every `everyMs` (bench clock, ms) until stopped. */
export const cpuTrace = (pid, everyMs) => {
  const samples = [[nowMs(), cpuMs(pid)]]
  const timer = setInterval(() => samples.push([nowMs(), cpuMs(pid)]), everyMs)
  return () => (clearInterval(timer), samples.push([nowMs(), cpuMs(pid)]), samples)
}

/** CPU between the last sample at or before `from` and the first at or after `to`. */
export const cpuBetween = (samples, from, to) => {
  const before = samples.filter(([t]) => t <= from).at(-1) ?? samples[0]
  const after = samples.find(([t]) => t >= to) ?? samples.at(-1)
  return { cpuMs: after[1] - before[1], wallMs: after[0] - before[0] }
}

/** `GET /healthz` one after another, `everyMs` apart: how long each waited for the event loop. */
export const healthProbe = (target, zeroAt, everyMs) => {
  const probes = []
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      const sent = nowMs()
      await (await fetch(`${target.url}/healthz`)).text()
      probes.push({ atMs: sent - zeroAt, ms: nowMs() - sent })
      await sleep(everyMs)
    }
  })()
  return async () => ((stopped = true), await loop, probes)
}

/** The event loop's longest delay (ms) since the previous reading of /metrics (prom-client resets it). */
export const lagMaxMs = async (target) => {
  const text = await (await fetch(`${target.url}/metrics`)).text()
  const value = /^narvaro_nodejs_eventloop_lag_max_seconds (\S+)/m.exec(text)?.[1]
  return value === undefined ? undefined : Number(value) * 1000
}

/**
 * The event loop's delay since the previous reading of /metrics (prom-client resets it), in ms:
 * its p50, p99 and longest, as the server's own `monitorEventLoopDelay` measured it.
 */
export const eventLoopLag = async (target) => {
  const text = await (await fetch(`${target.url}/metrics`)).text()
  const read = (name) => {
    const value = new RegExp(`^narvaro_nodejs_eventloop_lag_${name}_seconds (\\S+)`, 'm').exec(
      text,
    )?.[1]
    return value === undefined ? undefined : Number(value) * 1000
  }
  return { p50: read('p50'), p99: read('p99'), max: read('max') }
}

/**
 * The server's garbage collection so far, from its `nodejs_gc_duration_seconds` (every collection:
 * the server's own histogram, not prom-client's, which counted only the first of each batch): per
 * kind (major, minor, incremental, weakcb), its total ms, pauses, and pauses over 10 and 100 ms.
 */
export const gcSoFar = async (target) => {
  const text = await (await fetch(`${target.url}/metrics`)).text()
  const kinds = {}
  const kindOf = (name) => (kinds[name] ??= { ms: 0, pauses: 0, over10ms: 0, over100ms: 0 })
  const re = /^narvaro_nodejs_gc_duration_seconds_(sum|count|bucket)\{([^}]*)\} (\S+)/gm
  for (const [, field, labels, value] of text.matchAll(re)) {
    const kind = kindOf(/kind="([^"]+)"/.exec(labels)?.[1] ?? '?')
    const le = /le="([^"]+)"/.exec(labels)?.[1]
    if (field === 'sum') kind.ms = Number(value) * 1000
    else if (field === 'count') kind.pauses = Number(value)
    else if (le === '0.01') kind.over10ms = -Number(value)
    else if (le === '0.1') kind.over100ms = -Number(value)
  }
  for (const kind of Object.values(kinds)) {
    kind.over10ms += kind.pauses
    kind.over100ms += kind.pauses
  }
  return kinds
}

/** What `gcSoFar` counted between two readings. */
export const gcBetween = (before, after) =>
  Object.fromEntries(
    Object.entries(after).map(([kind, a]) => {
      const b = before[kind] ?? { ms: 0, pauses: 0, over10ms: 0, over100ms: 0 }
      return [
        kind,
        {
          ms: a.ms - b.ms,
          pauses: a.pauses - b.pauses,
          over10ms: a.over10ms - b.over10ms,
          over100ms: a.over100ms - b.over100ms,
        },
      ]
    }),
  )

/** Changes the server keeps for resuming watchers (the narvaro_resume_history_entries gauge). */
export const resumeHistoryEntries = async (target) => {
  const text = await (await fetch(`${target.url}/metrics`)).text()
  const value = /^narvaro_resume_history_entries (\S+)/m.exec(text)?.[1]
  return value === undefined ? undefined : Number(value)
}

/**
 * A full collection of this process's heap (the measuring side's), so that a timed run of queries
 * starts with none of its own garbage due: a collection of the bench process in the middle of 200
 * questions of half a millisecond each was the p99 of a run (the server had collected nothing).
 */
export const collectOwnHeap = () => {
  if (collectOwn === undefined) {
    v8.setFlagsFromString('--expose-gc')
    collectOwn = vm.runInNewContext('gc')
  }
  collectOwn()
}
let collectOwn

/**
 * The measuring process's own garbage collection from now until the returned function is called:
 * total ms and longest pause (its pauses delay the replies it times as much as the server's do).
 * @returns {() => Promise<{ ms: number, maxMs: number }>}
 */
export const ownGc = () => {
  const seen = { ms: 0, maxMs: 0 }
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      seen.ms += entry.duration
      seen.maxMs = Math.max(seen.maxMs, entry.duration)
    }
  })
  observer.observe({ entryTypes: ['gc'] })
  return async () => {
    await sleep(0) // the last entries are handed to the observer on a later turn
    observer.disconnect()
    return seen
  }
}

/** The server's GC between two `gcSoFar` readings, all kinds: total ms and pauses over 10 ms. */
export const gcTotal = (between) => {
  const kinds = Object.values(between)
  return {
    ms: kinds.reduce((n, k) => n + k.ms, 0),
    over10ms: kinds.reduce((n, k) => n + k.over10ms, 0),
  }
}

/** Collections of several phases (`gcBetween` each) added up, kind by kind. */
export const gcSum = (phases) => {
  const total = {}
  for (const gc of phases)
    for (const [kind, g] of Object.entries(gc ?? {})) {
      const to = (total[kind] ??= { ms: 0, pauses: 0, over10ms: 0, over100ms: 0 })
      for (const key of Object.keys(to)) to[key] += g[key]
    }
  return total
}

/** A phase's collections as `major / minor / incremental` milliseconds (`gcBetween`). */
export const gcKindsMs = (between) =>
  ['major', 'minor', 'incremental'].map((k) => fmt(between[k]?.ms ?? 0, 0)).join(' / ')
