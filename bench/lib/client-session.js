// One bench client connection speaking narvaro.v1 over WebSocket: opens, subscribes (retrying what
// the server rate-limits), publishes, and keeps the last view of every presentity it watches.
import { clearTimeout, setTimeout } from 'node:timers'
import { BenchSession } from './bench-session.js'
import { RawWebSocket } from './raw-websocket.js'
import { nowMs, sleep } from './clock.js'

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
 * @property {(session: ClientSession, view: View, bytes: number) => void} onView snapshot or change
 * @property {(code: string) => void} onError an `error` message or a failed subscription
 * @property {(message: any, bytes: number) => void} [onOther] any other message (e.g. `who-change`)
 */

const changePrefix = '{"type":"change","address":"'
const snapshotPrefix = '{"type":"snapshot","address":"'

/**
 * Reads a change or a snapshot without JSON.parse (the load generator must stay cheap next to the
 * server: a reconnect storm's client parses 20–50 snapshots a session): the address, seq,
 * availability and note text of `{"type":…,"address":…,"seq":…,"view":{…}}`. Undefined when the
 * message does not have that shape (it is then parsed in full).
 */
const parseView = (text) => {
  const type = text.startsWith(changePrefix)
    ? 'change'
    : text.startsWith(snapshotPrefix)
      ? 'snapshot'
      : undefined
  if (type === undefined) return undefined
  const prefixLength = type === 'change' ? changePrefix.length : snapshotPrefix.length
  const addressEnd = text.indexOf('"', prefixLength)
  if (!text.startsWith('","seq":', addressEnd)) return undefined
  const seqEnd = text.indexOf(',', addressEnd + 8)
  if (!text.startsWith(',"view":{', seqEnd)) return undefined
  const availabilityAt = text.indexOf('"availability":"', seqEnd)
  if (availabilityAt < 0) return undefined
  const availabilityEnd = text.indexOf('"', availabilityAt + 16)
  const noteAt = text.indexOf('"note":{', seqEnd)
  const textAt = noteAt < 0 ? -1 : text.indexOf('"text":"', noteAt)
  return {
    type,
    address: text.slice(prefixLength, addressEnd),
    seq: Number(text.slice(addressEnd + 8, seqEnd)),
    availability: text.slice(availabilityAt + 16, availabilityEnd),
    text: textAt < 0 ? undefined : text.slice(textAt + 8, text.indexOf('"', textAt + 8)),
  }
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
    const socket = await RawWebSocket.open({
      url: this.url(),
      headers: { authorization: `Bearer ${this.user.token}` },
      localAddress: this.options.localAddress,
      timeoutMs,
    })
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

  onMessage(buffer, start, end) {
    // The bench's notes are ASCII, so latin1 decodes them as UTF-8 would, and faster.
    const text = buffer.toString('latin1', start, end)
    const view = parseView(text)
    if (view) {
      if (view.type === 'snapshot') this.snapshotSeen(view.address)
      return this.onView(view, text.length)
    }
    let message
    try {
      message = JSON.parse(text)
    } catch {
      return this.options.onError('BENCH_BAD_JSON')
    }
    switch (message.type) {
      case 'change':
      case 'snapshot':
        if (message.type === 'snapshot') this.snapshotSeen(message.address)
        return this.onView(
          {
            type: message.type,
            address: message.address,
            seq: message.seq,
            availability: message.view?.availability,
            text: message.view?.note?.text,
          },
          text.length,
        )
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

  /** A snapshot of `address` came: the last one awaited lets `awaitSnapshots` go on. */
  snapshotSeen(address) {
    if (this.pendingSnapshots.delete(address) && this.pendingSnapshots.size === 0)
      this.snapshotsArrived?.()
  }

  /** Keeps the latest view; a change must carry a higher seq than what came before it. */
  onView(view, bytes) {
    const previous = this.views.get(view.address)
    if (view.type === 'change' && previous && view.seq <= previous.seq)
      this.options.onError(view.seq === previous.seq ? 'BENCH_DUPLICATE' : 'BENCH_OUT_OF_ORDER')
    this.views.set(view.address, view)
    this.options.onView(this, view, bytes)
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
