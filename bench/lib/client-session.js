// One bench client connection speaking narvaro.v1 over WebSocket: opens, subscribes (retrying what
// the server rate-limits), publishes, and keeps the last view of every presentity it watches.
import { clearTimeout, setTimeout } from 'node:timers'
import { BenchSession } from './bench-session.js'
import { Buffer } from 'node:buffer'
import { RawWebSocket } from './raw-websocket.js'
import { sourceAttempts } from './source-ports.js'
import { nowMs, sleep } from './clock.js'
import { benchDomain } from './targets.js'
import { userAddress } from './users.js'

/**
 * @typedef {{ type: 'change' | 'snapshot', address: string, seq: number, availability: string, text: string | undefined }} View
 */

/**
 * @typedef {object} SessionOptions
 * @property {{ index: number, address: string, token: string }} user
 * @property {number} ordinal which connection of this user (0 publishes)
 * @property {string[]} watch addresses this connection subscribes to
 * @property {{ kind: 'narvaro' | 'relay', url: string }} target
 * @property {string} [localAddress] source address (127.0.0.x), against ephemeral-port exhaustion
 * @property {import('./source-ports.js').SourcePorts} [sources] source address and port of each
 *   connection (WebSocket; then `localAddress` is not used), instead of the kernel's choice
 * @property {(session: ClientSession, view: View, bytes: number) => void} onView snapshot or change
 * @property {(code: string) => void} onError an `error` message or a failed subscription
 * @property {(message: any, bytes: number) => void} [onOther] any other message (e.g. `who-change`)
 */

const bytesOf = (text) => Buffer.from(text, 'latin1')
const changeHead = bytesOf('{"type":"change","address":"')
const snapshotHead = bytesOf('{"type":"snapshot","address":"')
const seqKey = bytesOf('","seq":')
const viewKey = bytesOf(',"view":{')
const availabilityKey = bytesOf('"availability":"')
const noteKey = bytesOf('"note":{')
const textKey = bytesOf('"text":"')
const addressTail = bytesOf(`@${benchDomain}"`)
const quote = 0x22
const zero = 0x30
const nine = 0x39

/** Whether `buffer` holds `bytes` at `at`. */
const hasAt = (buffer, at, bytes) => {
  if (at + bytes.length > buffer.length) return false
  for (let i = 0; i < bytes.length; i++) if (buffer[at + i] !== bytes[i]) return false
  return true
}

/**
 * Where `bytes` next occurs in buffer[from, end), or -1: a loop here, since a message's keys lie a
 * few dozen bytes in and each Buffer#indexOf crosses into C++.
 */
const find = (buffer, bytes, from, end) => {
  const first = bytes[0]
  for (let at = from; at + bytes.length <= end; at++)
    if (buffer[at] === first && hasAt(buffer, at, bytes)) return at
  return -1
}

/** Where `byte` next occurs in buffer[from, end), or -1. */
const findByte = (buffer, byte, from, end) => {
  for (let at = from; at < end; at++) if (buffer[at] === byte) return at
  return -1
}

/** Where the digits that start at `at` end. */
const digitsEnd = (buffer, at, end) => {
  while (at < end && buffer[at] >= zero && buffer[at] <= nine) at++
  return at
}

/** The number written in buffer[from, to) (digits only). */
const digitsValue = (buffer, from, to) => {
  let value = 0
  for (let i = from; i < to; i++) value = value * 10 + (buffer[i] - zero)
  return value
}

/** The bench users' addresses by index, so that reading one allocates no string. */
const addresses = []
const availabilities = ['available', 'busy', 'away', 'offline'].map((text) => ({
  text,
  bytes: bytesOf(text),
}))

/**
 * The address in buffer[from, to): a bench user's (`u<index>@bench.example`) is the one string
 * kept for it, any other is read.
 */
const addressAt = (buffer, from, to) => {
  if (buffer[from] === 0x75) {
    const digits = digitsEnd(buffer, from + 1, to)
    if (
      digits > from + 1 &&
      digits + addressTail.length === to + 1 &&
      hasAt(buffer, digits, addressTail)
    ) {
      const index = digitsValue(buffer, from + 1, digits)
      return (addresses[index] ??= userAddress(index))
    }
  }
  return buffer.toString('latin1', from, to)
}

/** The availability in buffer[from, to), one of the usual ones without a new string. */
const availabilityAt = (buffer, from, to) => {
  for (const known of availabilities)
    if (known.bytes.length === to - from && hasAt(buffer, from, known.bytes)) return known.text
  return buffer.toString('latin1', from, to)
}

/**
 * Reads the bench's measured note `t:<sent ms>;<phase>;<ordinal>;…` in buffer[from, to) into
 * `view` (`sentAt`, `phaseId`, `ordinal`), or marks it as no measured note (`sentAt` undefined).
 */
const readStamp = (buffer, from, to, view) => {
  view.sentAt = undefined
  if (buffer[from] !== 0x74 || buffer[from + 1] !== 0x3a) return
  const wholeEnd = digitsEnd(buffer, from + 2, to)
  let sentAt = digitsValue(buffer, from + 2, wholeEnd)
  let at = wholeEnd
  if (buffer[at] === 0x2e) {
    const fractionEnd = digitsEnd(buffer, at + 1, to)
    sentAt += digitsValue(buffer, at + 1, fractionEnd) / 10 ** (fractionEnd - at - 1)
    at = fractionEnd
  }
  if (buffer[at] !== 0x3b) return
  const phaseEnd = digitsEnd(buffer, at + 1, to)
  if (buffer[phaseEnd] !== 0x3b) return
  const ordinalEnd = digitsEnd(buffer, phaseEnd + 1, to)
  if (buffer[ordinalEnd] !== 0x3b) return
  view.phaseId = digitsValue(buffer, at + 1, phaseEnd)
  view.ordinal = digitsValue(buffer, phaseEnd + 1, ordinalEnd)
  view.sentAt = sentAt
}

export class ClientSession extends BenchSession {
  /** @param {SessionOptions} options */
  constructor(options) {
    super(options)
    this.requests = new Map()
    this.nextId = 0
    /** Called when the last awaited snapshot arrived or the connection closed (`awaitSnapshots`). */
    this.snapshotsArrived = undefined
  }

  url() {
    const { target } = this.options
    const base = `${target.url.replace(/^http/, 'ws')}/v1/ws`
    return target.kind === 'relay' ? `${base}?as=${encodeURIComponent(this.user.address)}` : base
  }

  /** Opens the connection and waits for `welcome`. */
  async open(timeoutMs) {
    this.closed = false
    const socket = await this.connect(timeoutMs)
    this.socket = socket
    const welcomed = new Promise((resolve, reject) => {
      this.welcomed = resolve
      socket.onClose = () => {
        this.closed = true
        this.snapshotsArrived?.()
        for (const done of this.requests.values()) done({ type: 'closed' })
        this.requests.clear()
        reject(new Error('closed before welcome'))
      }
    })
    socket.onText = (buffer, start, end) => this.onMessage(buffer, start, end)
    socket.onProtocolError = () => this.options.onError('BENCH_BAD_FRAME')
    socket.start()
    const timer = setTimeout(() => socket.terminate(), timeoutMs)
    try {
      await welcomed
    } finally {
      clearTimeout(timer)
    }
  }

  /** The upgraded connection, from the next source port that is free (`sources`) or the kernel's. */
  async connect(timeoutMs) {
    const { sources, localAddress } = this.options
    for (let attempt = 1; ; attempt++) {
      try {
        return await RawWebSocket.open({
          url: this.url(),
          headers: { authorization: `Bearer ${this.user.token}` },
          ...(sources ? sources.next() : { localAddress }),
          timeoutMs,
        })
      } catch (error) {
        if (!sources || error?.code !== 'EADDRINUSE' || attempt >= sourceAttempts) throw error
      }
    }
  }

  onMessage(buffer, start, end) {
    if (this.readView(buffer, start, end)) return
    const text = buffer.toString('latin1', start, end)
    let message
    try {
      message = JSON.parse(text)
    } catch {
      return this.options.onError('BENCH_BAD_JSON')
    }
    switch (message.type) {
      case 'change':
      case 'snapshot': {
        if (message.type === 'snapshot') this.snapshotSeen(message.address)
        const view = this.keep(message.type, message.address, message.seq)
        view.availability = message.view?.availability
        view.text = message.view?.note?.text
        view.sentAt = undefined
        return this.options.onView(this, view, text.length)
      }
      case 'welcome':
        this.epoch = message.epoch
        return this.welcomed?.()
      case 'ack':
      case 'error': {
        if (message.type === 'error') this.options.onError(message.code)
        if (message.outcome === 'unchanged') this.options.onError('ack: unchanged')
        const done = this.requests.get(message.id)
        this.requests.delete(message.id)
        return done?.(message)
      }
      default:
        return this.options.onOther?.(message, text.length)
    }
  }

  /**
   * Reads a change or a snapshot where it lies, without a string of the message or JSON.parse (a
   * burst brings a load worker several hundred thousand a second, and the load generator must cost
   * less than the server it measures): the address, seq, availability and note text of
   * `{"type":…,"address":…,"seq":…,"view":{…}}`, and the bench's send stamp from the note. The view
   * kept for that address is updated in place. False when the message has another shape (it is
   * then parsed in full).
   */
  readView(buffer, start, end) {
    let type
    let at
    if (hasAt(buffer, start, changeHead)) {
      type = 'change'
      at = start + changeHead.length
    } else if (hasAt(buffer, start, snapshotHead)) {
      type = 'snapshot'
      at = start + snapshotHead.length
    } else return false
    const addressEnd = findByte(buffer, quote, at, end)
    if (addressEnd < 0 || !hasAt(buffer, addressEnd, seqKey)) return false
    const seqAt = addressEnd + seqKey.length
    const seqEnd = digitsEnd(buffer, seqAt, end)
    if (seqEnd === seqAt || !hasAt(buffer, seqEnd, viewKey)) return false
    const availabilityKeyAt = find(buffer, availabilityKey, seqEnd, end)
    if (availabilityKeyAt < 0) return false
    const availabilityFrom = availabilityKeyAt + availabilityKey.length
    const availabilityTo = findByte(buffer, quote, availabilityFrom, end)
    if (availabilityTo < 0) return false
    const noteAt = find(buffer, noteKey, seqEnd, end)
    const textAt = noteAt < 0 ? -1 : find(buffer, textKey, noteAt, end)
    const textFrom = textAt + textKey.length
    const textTo = textAt < 0 ? -1 : findByte(buffer, quote, textFrom, end)
    if (textAt >= 0 && textTo < 0) return false
    const address = addressAt(buffer, at, addressEnd)
    const seq = digitsValue(buffer, seqAt, seqEnd)
    if (type === 'snapshot') this.snapshotSeen(address)
    const view = this.keep(type, address, seq)
    view.availability = availabilityAt(buffer, availabilityFrom, availabilityTo)
    if (textAt < 0) {
      view.text = undefined
      view.sentAt = undefined
    } else {
      view.text = buffer.toString('latin1', textFrom, textTo)
      readStamp(buffer, textFrom, textTo, view)
    }
    this.options.onView(this, view, end - start)
    return true
  }

  /** A snapshot of `address` came: the last one awaited lets `awaitSnapshots` go on. */
  snapshotSeen(address) {
    if (this.pendingSnapshots.delete(address) && this.pendingSnapshots.size === 0)
      this.snapshotsArrived?.()
  }

  /**
   * The view kept for `address`, updated in place to this `type` and `seq` (its other fields are the
   * caller's to set); a change must carry a higher seq than what came before it.
   */
  keep(type, address, seq) {
    let view = this.views.get(address)
    if (view === undefined) {
      view = {
        type,
        address,
        seq,
        availability: '',
        text: undefined,
        sentAt: undefined,
        phaseId: 0,
        ordinal: 0,
      }
      this.views.set(address, view)
    } else if (type === 'change' && seq <= view.seq)
      this.options.onError(seq === view.seq ? 'BENCH_DUPLICATE' : 'BENCH_OUT_OF_ORDER')
    view.type = type
    view.seq = seq
    return view
  }

  /** Sends a request with an id and waits for its `ack` or `error`. */
  request(body, timeoutMs) {
    const id = `r${this.nextId++}`
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => (this.requests.delete(id), resolve({ type: 'timeout' })),
        timeoutMs,
      )
      this.requests.set(id, (reply) => (clearTimeout(timer), resolve(reply)))
      this.send({ ...body, id })
    })
  }

  send(body) {
    if (!this.closed && this.socket?.open) this.socket.send(JSON.stringify(body))
  }

  /**
   * Subscribes to every watched address; addresses refused with NRV_RATE_LIMITED are asked again
   * each second. Resolves when each subscribed address has delivered its snapshot, or at the deadline.
   */
  async subscribe(deadline) {
    let remaining = this.watch
    this.retries = 0
    while (remaining.length > 0 && nowMs() < deadline) {
      const reply = await this.request(
        { type: 'subscribe', addresses: remaining },
        deadline - nowMs(),
      )
      if (reply.type !== 'ack') break
      for (const address of reply.subscribed) {
        if (!this.views.has(address)) this.pendingSnapshots.add(address)
        this.subscribed.add(address)
      }
      const limited = reply.failed
        .filter((f) => f.code === 'NRV_RATE_LIMITED')
        .map((f) => f.address)
      for (const failure of reply.failed)
        if (failure.code !== 'NRV_RATE_LIMITED') this.options.onError(failure.code)
      remaining = limited
      if (limited.length > 0) {
        this.retries++
        await sleep(Math.min(1000, Math.max(0, deadline - nowMs())))
      }
    }
    await this.awaitSnapshots(deadline)
    return remaining.length === 0 && this.pendingSnapshots.size === 0
  }

  /**
   * Resolves when no snapshot is awaited any more, the connection closed, or at the deadline: told
   * by the message that completes them, not by polling (a storm's thousands of sessions polling
   * every 20 ms made the load generator's cost depend on how soon the server's snapshots came).
   */
  awaitSnapshots(deadline) {
    if (this.pendingSnapshots.size === 0 || this.closed) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.snapshotsArrived = undefined
        resolve()
      }
      const timer = setTimeout(done, Math.max(0, deadline - nowMs()))
      this.snapshotsArrived = done
    })
  }

  publish(state) {
    this.send({ type: 'publish', source: 'bench', ...state })
  }
}
