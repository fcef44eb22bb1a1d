// A load-generator process (forked by bench/run.js, pinned away from the server): hosts the
// connections of a contiguous slice of the ring of users, publishes on command, measures
// publish-to-receipt latency and reports to the parent over IPC.
import process from 'node:process'
import { setTimeout } from 'node:timers'
import { ClientSession } from './lib/client-session.js'
import { nowMs, sleep, waitUntil } from './lib/clock.js'
import { Histogram } from './lib/histogram.js'
import { ringIndices, userAddress } from './lib/users.js'
import { XmppClientSession } from './lib/xmpp-client-session.js'
import { SipClientSession } from './lib/sip-client-session.js'
import { SourcePorts } from './lib/source-ports.js'

/** @type {ClientSession[]} */
let sessions = []
/** @type {ClientSession[]} the first connection of each user publishes for it */
let publishers = []
let config
/** @type {SourcePorts | undefined} where this worker's WebSocket connections come from */
let sources
const errors = {}
/** What each of this worker's users published last: address → { availability, text } */
const lastPublished = new Map()
const publishCount = new Map()
/** The phase being measured, or the reconnect storm being counted. */
let phase
let storm

const countError = (code) => (errors[code] = (errors[code] ?? 0) + 1)

const onView = (session, view, bytes) => {
  if (storm) storm.onView(session)
  if (!phase || view.type !== 'change') return
  // A WebSocket session reads the send stamp from the note's bytes (`sentAt`); others give the text.
  let sentAt = view.sentAt
  let phaseId = view.phaseId
  let ordinal = view.ordinal
  if (sentAt === undefined) {
    const text = view.text
    if (typeof text !== 'string' || !text.startsWith('t:')) return
    const parts = text.slice(2).split(';')
    sentAt = Number(parts[0])
    phaseId = Number(parts[1])
    ordinal = Number(parts[2])
  }
  if (phaseId !== phase.id) return
  // A user's last change of the phase: what a watcher ends with, whatever was superseded before it.
  if (ordinal === phase.perUser) phase.finals++
  const at = nowMs()
  phase.hist.record(at - sentAt)
  phase.received++
  phase.bytes += bytes
  session.phaseCounts.set(view.address, (session.phaseCounts.get(view.address) ?? 0) + 1)
  phase.lastRecv = at
}

const ring = (index, n, k) => ringIndices(index, n, k).map(userAddress)

const sessionKinds = { xmpp: XmppClientSession, sip: SipClientSession }

/** A narvaro.v1 WebSocket session, or an XMPP stream or a SIP phone for xmpp- and sip-fanout. */
const makeSession = (user, ordinal, counter) =>
  new (sessionKinds[config.target.protocol] ?? ClientSession)({
    user,
    ordinal,
    watch: ring(user.index, config.n, config.k),
    target: config.target,
    localAddress: config.localAddresses[counter % config.localAddresses.length],
    sources,
    onView,
    onError: countError,
  })

const init = (args) => {
  config = args
  const connections = args.users.length * args.sessionsPerUser
  sources = new SourcePorts({ slot: args.slot, slots: args.slots, connections })
  let counter = 0
  sessions = []
  for (const user of args.users) {
    for (let ordinal = 0; ordinal < args.sessionsPerUser; ordinal++)
      sessions.push(makeSession(user, ordinal, counter++))
  }
  publishers = sessions.filter((s) => s.options.ordinal === 0)
  return { sessions: sessions.length, publishers: publishers.length }
}

/** Runs `task` on every item with at most `width` in flight. */
const lanes = async (items, width, task) => {
  let next = 0
  const lane = async () => {
    while (next < items.length) await task(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane))
}

const openAndSubscribe = async (session, deadline, failures) => {
  try {
    await session.open(Math.max(1000, deadline - nowMs()))
  } catch (error) {
    const reason = String(error?.code ?? error?.message ?? error)
    failures[reason] = (failures[reason] ?? 0) + 1
    return
  }
  const republish = session.options.ordinal === 0 && lastPublished.get(session.user.address)
  if (republish)
    session.publish({
      availability: republish.availability,
      note: { text: republish.text },
      active: false,
    })
  if (!(await session.subscribe(deadline)))
    failures['subscribe incomplete'] = (failures['subscribe incomplete'] ?? 0) + 1
}

const connect = async ({ concurrency, timeoutMs }) => {
  const started = nowMs()
  const deadline = started + timeoutMs
  const failures = {}
  const cpu = process.cpuUsage()
  await lanes(sessions, concurrency, (s) => openAndSubscribe(s, deadline, failures))
  const used = process.cpuUsage(cpu)
  return {
    cpuMs: (used.user + used.system) / 1000,
    opened: sessions.filter((s) => !s.closed && s.epoch).length,
    subscribedPairs: sessions.reduce((sum, s) => sum + s.subscribed.size, 0),
    wantedPairs: sessions.reduce((sum, s) => sum + s.watch.length, 0),
    retries: sessions.reduce((sum, s) => sum + (s.retries ?? 0), 0),
    failures,
    ms: nowMs() - started,
  }
}

/** The note of a measured change: when it was sent, in which phase, and its ordinal in the phase. */
const noteText = (phaseId, padBytes, ordinal) => {
  const text = `t:${nowMs().toFixed(3)};${phaseId};${ordinal};`
  return padBytes > 0 ? (text + 'x'.repeat(padBytes)).slice(0, 500) : text
}

/** Publishes the next state of a user (busy and available alternate); returns its availability. */
const publishNext = (session, text) => {
  const count = (publishCount.get(session.user.address) ?? 0) + 1
  publishCount.set(session.user.address, count)
  const availability = count % 2 === 1 ? 'busy' : 'available'
  lastPublished.set(session.user.address, { availability, text })
  session.publish({ availability, note: { text } })
  return availability
}

/** Every user publishes once, so that everyone is online before anything is measured. */
const publishInitial = async ({ timeoutMs }) => {
  const replies = await Promise.all(
    publishers.map((s) => {
      const state = { availability: 'available', text: `init ${s.user.index}` }
      lastPublished.set(s.user.address, state)
      publishCount.set(s.user.address, 0)
      return s.request(
        {
          type: 'publish',
          source: 'bench',
          availability: state.availability,
          note: { text: state.text },
        },
        timeoutMs,
      )
    }),
  )
  return { acks: replies.filter((r) => r.type === 'ack').length, publishers: publishers.length }
}

/**
 * Prepares to count a phase, before any worker publishes: changes from a faster worker must not
 * arrive before this one counts them.
 */
const arm = ({ phaseId, perUser }) => {
  const receivers = sessions.filter((s) => !s.paused && !s.closed)
  const expected = receivers.reduce((sum, s) => sum + s.subscribed.size * perUser, 0)
  phase = {
    id: phaseId,
    perUser,
    finals: 0,
    pairs: expected / Math.max(1, perUser),
    supersedes: receivers.some((s) => s.supersedes),
    hist: new Histogram(),
    received: 0,
    bytes: 0,
    lastRecv: 0,
    receivers,
    expected,
  }
  for (const s of sessions) s.phaseCounts = new Map()
  return { expected }
}

/**
 * Publishes `perUser` changes for each user (paced at `ratePerSec`, or all at once) and measures.
 * With `logSends`, also returns every publication as [address, send time, availability, note], for
 * receivers outside this worker (the who scenario's askers) to be matched against.
 */
const runPhase = async (args) => {
  const { phaseId, mode, ratePerSec, perUser, timeoutMs, padBytes = 0, logSends = false } = args
  if (phase?.id !== phaseId) arm({ phaseId, perUser })
  const { receivers, expected } = phase
  const cpu = process.cpuUsage()
  const total = publishers.length * perUser
  const start = nowMs()
  const deadline = start + timeoutMs
  const sends = logSends ? [] : undefined
  let sent = 0
  const sendUpTo = (due) => {
    for (; sent < due; sent++) {
      const session = publishers[sent % publishers.length]
      const text = noteText(phaseId, padBytes, Math.floor(sent / publishers.length) + 1)
      const availability = publishNext(session, text)
      sends?.push([
        session.user.address,
        Number(text.slice(2, text.indexOf(';'))),
        availability,
        text,
      ])
    }
  }
  if (mode === 'burst') sendUpTo(total)
  while (sent < total && nowMs() < deadline) {
    sendUpTo(Math.min(total, Math.floor(((nowMs() - start) / 1000) * ratePerSec)))
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
  const lastSend = nowMs()
  // A protocol that may supersede a change not yet sent by a newer one (SIP: one NOTIFY in flight per
  // subscription, RFC 6665) is done when every watcher has every presentity's last change.
  const settled = () =>
    phase.received >= expected || (phase.supersedes && phase.finals >= phase.pairs)
  const complete = await waitUntil(settled, Math.max(0, deadline - nowMs()), 5)
  const used = process.cpuUsage(cpu)
  const missing = complete ? [] : missingSamples(receivers, perUser)
  const result = {
    missing,
    sent,
    total,
    received: phase.received,
    expected,
    complete,
    bytes: phase.bytes,
    hist: phase.hist.toJSON(),
    start,
    lastSend,
    lastRecv: phase.lastRecv,
    end: nowMs(),
    cpuMs: (used.user + used.system) / 1000,
    sends,
  }
  phase = undefined
  return result
}

/** A few (receiver, presentity) pairs that received fewer changes than were published, to report. */
const missingSamples = (receivers, perUser) => {
  const samples = []
  for (const s of receivers) {
    for (const address of s.subscribed) {
      const got = s.phaseCounts.get(address) ?? 0
      if (got < perUser && samples.length < 20)
        samples.push({
          receiver: s.user.address,
          presentity: address,
          got,
          of: perUser,
          closed: s.closed,
        })
    }
  }
  return samples
}

const pause = ({ every }) => {
  for (const s of sessions) if (s.user.index % every === 0) s.pause()
  return { paused: sessions.filter((s) => s.paused).length }
}

const matches = (session, expected) =>
  session.watch.every((address) => {
    const want = expected[address]
    const have = session.views.get(address)
    return want && have && have.availability === want.availability && have.text === want.text
  })

/** Resumes the paused connections and waits until each shows the latest state of all it watches. */
const resumeAndVerify = async ({ expected, timeoutMs }) => {
  const paused = sessions.filter((s) => s.paused)
  for (const s of paused) s.resume()
  const started = nowMs()
  await waitUntil(() => paused.every((s) => matches(s, expected)), timeoutMs, 50)
  return {
    checked: paused.length,
    consistent: paused.filter((s) => matches(s, expected)).length,
    closed: paused.filter((s) => s.closed).length,
    ms: nowMs() - started,
  }
}

/** Drops every connection at once, reconnects them all, and times until each has correct snapshots. */
const reconnectStorm = async ({ expected, concurrency, timeoutMs }) => {
  const cpu = process.cpuUsage()
  const t0 = nowMs()
  const old = sessions
  for (const s of old) s.terminate()
  let counter = 0
  sessions = old.map((s) => makeSession(s.user, s.options.ordinal, counter++))
  publishers = sessions.filter((s) => s.options.ordinal === 0)
  const doneAt = new Map()
  storm = {
    notifications: 0,
    onView(session) {
      this.notifications++
      if (!doneAt.has(session) && session.pendingSnapshots.size === 0 && matches(session, expected))
        doneAt.set(session, nowMs())
    },
  }
  const failures = {}
  const deadline = t0 + timeoutMs
  await lanes(sessions, concurrency, (s) => openAndSubscribe(s, deadline, failures))
  await waitUntil(() => doneAt.size === sessions.length, Math.max(0, deadline - nowMs()), 20)
  const used = process.cpuUsage(cpu)
  await sleep(500) // late duplicates would count against the minimum
  const result = {
    cpuMs: (used.user + used.system) / 1000,
    t0,
    sessions: sessions.length,
    done: doneAt.size,
    lastDone: Math.max(0, ...doneAt.values()),
    notifications: storm.notifications,
    minimum: sessions.reduce((sum, s) => sum + s.watch.length, 0),
    failures,
  }
  storm = undefined
  return result
}

const commands = {
  init,
  connect,
  publishInitial,
  arm,
  phase: runPhase,
  pause,
  resumeAndVerify,
  reconnectStorm,
  lastPublished: () => Object.fromEntries(lastPublished),
  errors: () => ({ ...errors }),
  close: async () => {
    for (const s of sessions) s.terminate()
    return { closed: sessions.length }
  },
}

process.on('message', async ({ id, command, args }) => {
  try {
    const result = await commands[command](args ?? {})
    process.send({ id, ok: true, result })
    if (command === 'close') setTimeout(() => process.exit(0), 100)
  } catch (error) {
    process.send({ id, ok: false, error: String(error?.stack ?? error) })
  }
})
process.on('disconnect', () => process.exit(0))
