// The who scenario's clients in the bench process: REST calls (sign-in, teams, timed availability
// queries), askers holding a live `who` query over WebSocket, and the matching of each `who-change`
// received against the publications the load workers sent; bench support.
import { Buffer } from 'node:buffer'
import http from 'node:http'
import { ClientSession } from './client-session.js'
import { countingGet } from './counting-http.js'
import { nowMs, sleep } from './clock.js'
import { Histogram } from './histogram.js'

/** One kept-alive connection per target's askers in turn (as a client would hold). */
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 })

/**
 * One REST call over node:http, for the setup and the cold questions (the timed loops ask through
 * `countingGet`, which makes no Buffer per read; undici's fetch cost the measuring process a
 * millisecond or more of its own per call, with its garbage); the body's text and the time from sending to the last byte
 * read (the text is decoded after the clock stops). With `keep: false` the body is only counted
 * (`bytes`) and `text` is empty: a timed loop keeps no reply of 0.5–2 MB per question, whose garbage
 * made the measuring process's own collections land in later questions' latency. Throws on a
 * status other than 2xx, with the server's reply.
 * @returns {Promise<{ text: string, bytes: number, ms: number, next: string | undefined }>}
 */
export const rest = (target, { method = 'GET', path, token, body, keep = true }) =>
  new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
    const started = nowMs()
    const request = http.request(
      `${target.url}${path}`,
      {
        method,
        agent,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': payload.length }
            : {}),
        },
      },
      (response) => {
        const status = response.statusCode ?? 0
        const ok = status >= 200 && status <= 299
        const chunks = []
        let bytes = 0
        response.on('data', (chunk) => {
          bytes += chunk.length
          if (keep || !ok) chunks.push(chunk)
        })
        response.on('error', reject)
        response.on('end', () => {
          const ms = nowMs() - started
          const text = chunks.length > 0 ? Buffer.concat(chunks).toString('utf8') : ''
          if (!ok)
            return reject(new Error(`${method} ${path}: HTTP ${status} ${text.slice(0, 300)}`))
          const next = response.headers['narvaro-next-cursor']
          resolve({ text, bytes, ms, next: typeof next === 'string' ? next : undefined })
        })
      },
    )
    request.on('error', reject)
    request.end(payload)
  })

/** Signs in with a password; the bearer token. */
export const login = async (target, address, password) =>
  JSON.parse(
    (await rest(target, { method: 'POST', path: '/v1/auth/login', body: { address, password } }))
      .text,
  ).token

/** Creates a team as the admin: its id, members, request body size and how long it took. */
export const createTeam = async (target, token, { name, members }) => {
  const body = { name, members }
  const { text, ms } = await rest(target, { method: 'POST', path: '/v1/groups', token, body })
  const group = JSON.parse(text)
  return {
    id: group.id,
    name,
    members: group.members.length,
    bodyBytes: JSON.stringify(body).length,
    ms,
  }
}

/**
 * Asks `path` `repeats` times, in turn by each of `askers` (tokens), one at a time. Latency is from
 * sending to the last byte of the reply; the entries are counted after the clock stops.
 */
export const timedQueries = async (target, { path, askers, repeats }) => {
  const hist = new Histogram()
  let last = '[]'
  for (let i = 0; i < repeats; i++) {
    // Only the last reply is kept and decoded (for its entries), after the clock.
    const keep = i === repeats - 1
    const { text, ms } = await countingGet(target, { path, token: askers[i % askers.length], keep })
    hist.record(ms)
    if (keep) last = text
  }
  // Counted once, after the clock: parsing each reply made garbage that the next one paid for.
  return { hist, entries: JSON.parse(last).length, bytes: last.length }
}

/**
 * Walks every page of `path` (`limit` per page, following the cursors) `repeats` times, in turn by
 * each of `askers`: each page's latency, the pages of one walk, the entries of all of them.
 */
export const timedPages = async (target, { path, askers, repeats, limit }) => {
  const hist = new Histogram()
  let entries = 0
  let pages = 0
  let bytes = 0
  for (let i = 0; i < repeats; i++) {
    // Only the last walk keeps its pages' texts (to count the entries, after the clock).
    const keep = i === repeats - 1
    const token = askers[i % askers.length]
    const walk = await walkPages(target, { path, limit, token, hist, keep })
    ;({ entries, pages, bytes } = walk)
  }
  return { hist, entries, pages, bytes }
}

/** Every page of one answer, each page's latency recorded in `hist`. */
export const walkPages = async (target, { path, limit, token, hist, keep = true }) => {
  let cursor
  const texts = []
  let pages = 0
  let bytes = 0
  do {
    const page = `${path}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`
    const reply = await countingGet(target, { path: page, token, keep })
    hist.record(reply.ms)
    if (keep) texts.push(reply.text)
    pages++
    bytes = Math.max(bytes, reply.bytes)
    cursor = reply.next
  } while (cursor !== undefined)
  // Counted after the walk, so that no page pays for the parsing of the one before.
  const entries = texts.reduce((sum, text) => sum + JSON.parse(text).length, 0)
  return { entries, pages, bytes }
}

/**
 * Each of `askers` (tokens) asks one of `queries` every `intervalMs` (in turn, the first of each
 * asker spread over the interval) until `stop()`: each reply's latency. Replies are not parsed, so
 * that the askers cost the load core little beside the watchers measured with them.
 */
export const askInLoops = (target, { askers, queries, intervalMs }) => {
  const hist = new Histogram()
  let stopped = false
  let failures = 0
  const loop = async (token, i) => {
    await sleep((intervalMs * i) / askers.length)
    for (let n = i; !stopped; n++) {
      const started = nowMs()
      await countingGet(target, { path: queries[n % queries.length], token }).then(
        ({ ms }) => hist.record(ms),
        () => failures++,
      )
      await sleep(Math.max(0, intervalMs - (nowMs() - started)))
    }
  }
  const loops = Promise.all(askers.map(loop))
  return async () => {
    stopped = true
    await loops
    return { hist, failures }
  }
}

/** A user holding one live `who` query: records each of its `who-change`s with the receipt time. */
export class LiveAsker {
  /**
   * @param {object} options
   * @param {{ index: number, address: string, token: string }} options.user
   * @param {{ kind: string, url: string }} options.target
   * @param {(code: string) => void} options.onError
   */
  constructor({ user, target, onError }) {
    this.user = user
    /** @type {{ address: string, op: string, at: number, text: string | undefined }[]} */
    this.receipts = []
    this.query = undefined
    this.session = new ClientSession({
      user,
      ordinal: 0,
      watch: [],
      target,
      onView: () => {},
      onError,
      onOther: (message) => this.onOther(message),
    })
  }

  open(timeoutMs) {
    return this.session.open(timeoutMs)
  }

  /** Opens the live query; the time until its `ack`, and the entries the ack carried. */
  async ask({ team, availability }, timeoutMs) {
    const started = nowMs()
    const reply = await this.session.request({ type: 'who', team, availability }, timeoutMs)
    const ms = nowMs() - started
    if (reply.type !== 'ack' || typeof reply.query !== 'string')
      throw new Error(`who by ${this.user.address}: ${JSON.stringify(reply).slice(0, 300)}`)
    this.query = reply.query
    return { ms, entries: reply.entries?.length ?? 0 }
  }

  onOther(message) {
    if (message.type !== 'who-change' || message.query !== this.query) return
    const at = nowMs()
    this.receipts.push({
      address: message.address,
      op: message.op,
      at,
      text: message.entry?.view?.note?.text,
    })
  }

  close() {
    this.session.terminate()
  }
}

/**
 * Matches each asker's `who-change`s with the publications sent ([address, sent at, availability,
 * note], in send order): a publication of `available` must arrive once as `joined` (carrying that
 * publication's note), one of `busy` once as `left`, in the order they were sent. The n-th `joined`
 * of an address is the n-th `available` publication of it, and likewise for `left`.
 */
export const matchChanges = (sends, askers) => {
  const byKey = new Map()
  for (const [address, at, availability, text] of sends) {
    const key = `${availability === 'available' ? 'joined' : 'left'} ${address}`
    const list = byKey.get(key) ?? []
    list.push({ at, text })
    byKey.set(key, list)
  }
  const hist = new Histogram()
  const counts = { delivered: 0, extra: 0, wrongNote: 0, outOfOrder: 0 }
  for (const asker of askers) {
    const seen = new Map()
    const lastOp = new Map()
    for (const r of asker.receipts) {
      // A member's joins and leaves alternate: two alike in a row mean one was lost or reordered.
      if (lastOp.get(r.address) === r.op) counts.outOfOrder++
      lastOp.set(r.address, r.op)
      const key = `${r.op} ${r.address}`
      const n = seen.get(key) ?? 0
      seen.set(key, n + 1)
      const sent = byKey.get(key)?.[n]
      if (!sent) {
        counts.extra++
        continue
      }
      if (r.op === 'joined' && r.text !== sent.text) counts.wrongNote++
      hist.record(r.at - sent.at)
      counts.delivered++
    }
  }
  const expected = sends.length * askers.length
  return { expected, ...counts, missing: expected - counts.delivered, hist }
}
