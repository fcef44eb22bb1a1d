// What the integrations scenario reads from the server besides CPU and memory: bytes written to
// storage, CPU over time, and how long the event loop made requests wait; bench support.
import { readFileSync } from 'node:fs'
import { clearInterval, setInterval } from 'node:timers'
import { nowMs, sleep } from './clock.js'
import { cpuMs } from './proc.js'

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

/** Changes the server keeps for resuming watchers (the narvaro_resume_history_entries gauge). */
export const resumeHistoryEntries = async (target) => {
  const text = await (await fetch(`${target.url}/metrics`)).text()
  const value = /^narvaro_resume_history_entries (\S+)/m.exec(text)?.[1]
  return value === undefined ? undefined : Number(value)
}
