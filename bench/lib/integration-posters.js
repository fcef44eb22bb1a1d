// The integrations scenario's phone systems: integrations created by the admin, and closed-loop
// posters of call events (each its own integration and share of the people, one batch in flight),
// counting what the server applied per person; bench support.
import { nowMs } from './clock.js'
import { Histogram } from './histogram.js'
import { adminPassword, benchDomain } from './targets.js'
import { login, rest } from './who-client.js'

/** Creates `count` integrations as the admin; their `nri_` tokens. */
export const createIntegrations = async (target, count) => {
  const admin = await login(target, `admin@${benchDomain}`, adminPassword)
  const tokens = []
  for (let i = 0; i < count; i++) {
    const body = { name: `bench pbx ${i}`, kinds: ['phone', 'conference', 'integration'] }
    const { text } = await rest(target, {
      method: 'POST',
      path: '/v1/integrations',
      token: admin,
      body,
    })
    tokens.push(JSON.parse(text).token)
  }
  return tokens
}

/**
 * One poster: walks its people in turn, starting a call for each on one pass and ending it on the
 * next (every event changes what watchers see), `batch` events per request, until `stopAt` has
 * passed and no call it started is still going on (or `deadline`).
 */
const runPoster = async (target, { token, people, batch, tag, stopAt, deadline }, totals) => {
  const inCall = new Uint8Array(people.length)
  const calls = new Uint32Array(people.length)
  let cursor = 0
  let active = 0
  let seq = 0
  const done = () => nowMs() >= deadline || (nowMs() >= stopAt && active === 0)
  while (!done()) {
    const events = []
    const who = []
    for (let b = 0; b < batch && !(nowMs() >= stopAt && active === 0 && b > 0); b++) {
      const i = cursor
      cursor = (cursor + 1) % people.length
      const started = inCall[i] === 0
      const state = started ? 'started' : 'ended'
      const key = `call-${calls[i]}`
      events.push({
        id: `${tag}-${seq++}`,
        person: people[i],
        type: 'call',
        state,
        key,
        at: Date.now(),
        ttlSeconds: 600,
      })
      inCall[i] = started ? 1 : 0
      active += started ? 1 : -1
      if (!started) calls[i]++
      who.push(people[i])
    }
    const sentAt = nowMs()
    const reply = await rest(target, {
      method: 'POST',
      path: '/v1/integrations/events',
      token,
      body: { events },
    })
    totals.hist.record(nowMs() - sentAt)
    totals.batches++
    totals.lastReply = Math.max(totals.lastReply, nowMs())
    const { results } = JSON.parse(reply.text)
    results.forEach((r, j) => {
      if (r.result === 'applied') {
        totals.applied++
        totals.appliedByPerson[who[j]] = (totals.appliedByPerson[who[j]] ?? 0) + 1
      } else {
        const reason = `${r.result} ${r.code ?? ''}`.trim()
        totals.refused[reason] = (totals.refused[reason] ?? 0) + 1
      }
    })
    totals.sent += events.length
  }
}

/**
 * Posts call events for `people` (split between the `tokens`, one poster each) for about
 * `durationMs`, each poster until every call it started has ended; what was sent and applied.
 */
export const postCallEvents = async (target, { tokens, people, batch, durationMs, timeoutMs }) => {
  const totals = {
    sent: 0,
    applied: 0,
    batches: 0,
    refused: {},
    appliedByPerson: {},
    hist: new Histogram(),
    start: nowMs(),
    lastReply: 0,
  }
  const stopAt = totals.start + durationMs
  const deadline = totals.start + timeoutMs
  await Promise.all(
    tokens.map((token, p) =>
      runPoster(
        target,
        {
          token,
          people: people.filter((_, i) => i % tokens.length === p),
          batch,
          tag: `p${p}`,
          stopAt,
          deadline,
        },
        totals,
      ),
    ),
  )
  return { ...totals, wallMs: totals.lastReply - totals.start }
}
