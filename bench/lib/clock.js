// The one clock of the bench: CLOCK_MONOTONIC through process.hrtime, which is the same clock in
// every process of one machine, so a publisher and a receiver in different processes can compare
// their readings (latency = receipt − send time written in the note); bench support.
import { performance } from 'node:perf_hooks'
import process from 'node:process'
import { setTimeout as sleepMs } from 'node:timers/promises'

// performance.now() reads the same clock from this process's start, and costs a tenth of a BigInt
// reading (a load worker reads it for each of several hundred thousand notifications a second).
const origin = Number(process.hrtime.bigint()) / 1e6 - performance.now()

/** Milliseconds (fractional) on the machine-wide monotonic clock. */
export const nowMs = () => origin + performance.now()

/** @param {number} ms */
export const sleep = (ms) => sleepMs(ms)

/**
 * Polls `done` (which may answer with a promise) every `everyMs` until it returns true or
 * `timeoutMs` passes.
 * @param {() => boolean | Promise<boolean>} done
 * @returns {Promise<boolean>} whether it became true in time
 */
export const waitUntil = async (done, timeoutMs, everyMs = 20) => {
  const deadline = nowMs() + timeoutMs
  while (!(await done())) {
    if (nowMs() >= deadline) return false
    await sleepMs(everyMs)
  }
  return true
}
