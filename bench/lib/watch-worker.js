// A watcher process of the integrations scenario (forked by watch-pool.js, pinned to the load core):
// holds WebSocket sessions that each watch a given list of people, counts the changes each
// (session, person) pair receives in a phase, and checks them against what the phase should bring.
import process from 'node:process'
import { setTimeout } from 'node:timers'
import { ClientSession } from './client-session.js'
import { nowMs, sleep, waitUntil } from './clock.js'
import { Histogram } from './histogram.js'

/** @type {ClientSession[]} */
let sessions = []
const errors = {}
/** The phase being counted: receipts, and their delay after `zeroAt` when given. */
let phase

const countError = (code) => (errors[code] = (errors[code] ?? 0) + 1)

const onView = (session, view, bytes) => {
  if (!phase || view.type !== 'change') return
  const at = nowMs()
  phase.received++
  phase.bytes += bytes
  phase.first ??= at
  phase.last = at
  if (phase.zeroAt !== undefined) phase.hist.record(at - phase.zeroAt)
  session.counts.set(view.address, (session.counts.get(view.address) ?? 0) + 1)
}

const init = ({ target, watchers }) => {
  sessions = watchers.map(
    ({ user, watch }) =>
      new ClientSession({
        user,
        ordinal: 0,
        watch,
        target,
        onView,
        onError: countError,
        // A watcher is itself watched: `watcher` messages tell it who watches it (watcher info).
        onOther: (message) =>
          message.type === 'watcher' || countError(`BENCH_UNEXPECTED_${message.type}`),
      }),
  )
  for (const s of sessions) s.counts = new Map()
  return { sessions: sessions.length }
}

/** Opens and subscribes every session, `concurrency` at a time. */
const connect = async ({ concurrency, timeoutMs }) => {
  const started = nowMs()
  const deadline = started + timeoutMs
  const failures = {}
  let next = 0
  const lane = async () => {
    while (next < sessions.length) {
      const session = sessions[next++]
      try {
        await session.open(Math.max(1000, deadline - nowMs()))
        if (!(await session.subscribe(deadline))) failures.subscribe = (failures.subscribe ?? 0) + 1
      } catch (error) {
        const reason = String(error?.code ?? error?.message ?? error)
        failures[reason] = (failures[reason] ?? 0) + 1
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, sessions.length) }, lane))
  return {
    opened: sessions.filter((s) => !s.closed && s.epoch).length,
    subscribedPairs: sessions.reduce((n, s) => n + s.subscribed.size, 0),
    wantedPairs: sessions.reduce((n, s) => n + s.watch.length, 0),
    failures,
    ms: nowMs() - started,
  }
}

const arm = ({ zeroAt }) => {
  phase = { received: 0, bytes: 0, first: undefined, last: 0, zeroAt, hist: new Histogram() }
  for (const s of sessions) s.counts = new Map()
  return {}
}

/** How the pairs compare with `expected` (changes per person) and the final `availability`. */
const check = (expected, availability) => {
  const result = { pairs: 0, exact: 0, short: 0, extra: 0, wrongFinal: 0, samples: [] }
  for (const s of sessions) {
    for (const address of s.subscribed) {
      const want = expected[address] ?? 0
      const got = s.counts.get(address) ?? 0
      const final = s.views.get(address)?.availability
      result.pairs++
      if (got === want) result.exact++
      else if (got < want) result.short++
      else result.extra++
      if (availability !== undefined && final !== availability) result.wrongFinal++
      if ((got !== want || (availability && final !== availability)) && result.samples.length < 10)
        result.samples.push({ watcher: s.user.address, address, got, want, final })
    }
  }
  return result
}

/**
 * Waits until this worker's sessions have received what `expected` (changes per person) says, or
 * `timeoutMs`; then a little longer, so that late extras count, and reports the phase.
 */
const settle = async ({ expected, availability, timeoutMs }) => {
  let wanted = 0
  for (const s of sessions) for (const address of s.subscribed) wanted += expected[address] ?? 0
  const complete = await waitUntil(() => phase.received >= wanted, timeoutMs, 5)
  await sleep(300)
  const { hist, ...counts } = phase
  phase = undefined
  return {
    ...counts,
    expected: wanted,
    complete,
    hist: hist.toJSON(),
    check: check(expected, availability),
  }
}

const close = () => {
  for (const s of sessions) s.terminate()
  return {}
}

const commands = { init, connect, arm, settle, close, errors: () => errors }

process.on('message', async ({ id, command, args }) => {
  try {
    const result = await commands[command](args)
    process.send({ id, ok: true, result })
    if (command === 'close') setTimeout(() => process.exit(0), 100)
  } catch (error) {
    process.send({ id, ok: false, error: String(error?.stack ?? error) })
  }
})
