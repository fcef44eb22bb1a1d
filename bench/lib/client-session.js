// One bench client connection speaking narvaro.v1 over WebSocket: opens, subscribes (retrying what
// the server rate-limits), publishes, and keeps the last view of every presentity it watches.
import { Buffer } from 'node:buffer'
import { clearTimeout, setTimeout } from 'node:timers'
import WebSocket from 'ws'
import { nowMs, sleep } from './clock.js'

/**
 * @typedef {object} SessionOptions
 * @property {{ index: number, address: string, token: string }} user
 * @property {number} ordinal which connection of this user (0 publishes)
 * @property {string[]} watch addresses this connection subscribes to
 * @property {{ kind: 'narvaro' | 'relay', url: string }} target
 * @property {string} [localAddress] source address (127.0.0.x), against ephemeral-port exhaustion
 * @property {(session: ClientSession, message: any, bytes: number) => void} onView snapshot or change
 * @property {(code: string) => void} onError an `error` message or a failed subscription
 */

export class ClientSession {
  /** @param {SessionOptions} options */
  constructor(options) {
    this.options = options
    this.user = options.user
    this.watch = options.watch
    /** @type {Map<string, { availability: string, text: string | undefined }>} */
    this.views = new Map()
    this.subscribed = new Set()
    this.pendingSnapshots = new Set()
    this.paused = false
    this.closed = false
    this.epoch = undefined
    this.requests = new Map()
    this.nextId = 0
    this.socket = undefined
  }

  url() {
    const { target } = this.options
    const base = `${target.url.replace(/^http/, 'ws')}/v1/ws`
    return target.kind === 'relay' ? `${base}?as=${encodeURIComponent(this.user.address)}` : base
  }

  /** Opens the connection and waits for `welcome`. */
  open(timeoutMs) {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url(), {
        headers: { authorization: `Bearer ${this.user.token}` },
        perMessageDeflate: false,
        handshakeTimeout: timeoutMs,
        ...(this.options.localAddress ? { localAddress: this.options.localAddress } : {}),
      })
      this.socket = socket
      this.closed = false
      this.welcomed = () => resolve(undefined)
      socket.on('message', (data) => this.onMessage(data))
      socket.on('unexpected-response', (_request, response) =>
        reject(new Error(`HTTP ${response.statusCode} at upgrade`)),
      )
      socket.on('error', (error) => reject(error))
      socket.on('close', () => {
        this.closed = true
        for (const done of this.requests.values()) done({ type: 'closed' })
        this.requests.clear()
        reject(new Error('closed before welcome'))
      })
    })
  }

  onMessage(data) {
    const text = Array.isArray(data) ? Buffer.concat(data).toString() : data.toString()
    let message
    try {
      message = JSON.parse(text)
    } catch {
      return this.options.onError('BENCH_BAD_JSON')
    }
    switch (message.type) {
      case 'change':
      case 'snapshot':
        this.views.set(message.address, {
          availability: message.view?.availability,
          text: message.view?.note?.text,
        })
        if (message.type === 'snapshot') this.pendingSnapshots.delete(message.address)
        return this.options.onView(this, message, text.length)
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
    }
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
    if (!this.closed && this.socket?.readyState === WebSocket.OPEN)
      this.socket.send(JSON.stringify(body))
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
    while (this.pendingSnapshots.size > 0 && nowMs() < deadline && !this.closed) await sleep(20)
    return remaining.length === 0 && this.pendingSnapshots.size === 0
  }

  publish(state) {
    this.send({ type: 'publish', source: 'bench', ...state })
  }

  /** Stops reading: the kernel buffers fill, then the server must hold (or drop) what is sent. */
  pause() {
    this.paused = true
    this.socket?._socket?.pause()
  }

  resume() {
    this.paused = false
    this.socket?._socket?.resume()
  }

  terminate() {
    this.closed = true
    this.socket?.terminate()
  }
}
