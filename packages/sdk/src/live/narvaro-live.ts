// The live client: one connection (WebSocket, SSE as the fallback) that reconnects with backoff,
// resumes from its cursor, restores subscriptions and the device's publications, and watches its
// own liveness with heartbeats. SDK layer; runs in browsers and Node (inject `WebSocket` on Node 20).
import { Emitter } from '../emitter.js'
import { NarvaroApiError, NarvaroNetworkError } from '../errors.js'
import { backoffDelay } from './backoff.js'
import {
  openEventStream,
  openWebSocket,
  type Connection,
  type ConnectionHandlers,
  type WebSocketConstructor,
} from './connection.js'
import { LiveCursor, type Resume } from './cursor.js'
import { Heartbeat } from './heartbeat.js'
import type { LiveClient } from './live-client.js'
import type {
  ConnectionState,
  EndReason,
  LiveEvents,
  LiveRestore,
  NarvaroLiveOptions,
  Timers,
} from './live-options.js'
import type {
  AckMessage,
  PublishRequest,
  ServerMessage,
  WelcomeMessage,
  WhoRequest,
} from './protocol.js'

export type {
  ConnectionState,
  EndReason,
  LiveEvents,
  LiveRestore,
  NarvaroLiveOptions,
  StateChange,
  Timers,
} from './live-options.js'

interface Pending {
  readonly resolve: (message: AckMessage) => void
  readonly reject: (error: Error) => void
}

interface Queued extends Pending {
  readonly message: Record<string, unknown>
}

const defaultTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/**
 * A live session of narvaro.v1. Listen with `on('change' | 'snapshot' | 'resync' | 'state' | ...)`,
 * then `connect()`. Requests (`subscribe`, `publish`, ...) resolve with their `ack` and reject with
 * {@link NarvaroApiError} on `error`, or {@link NarvaroNetworkError} when the connection dropped
 * first; made while offline, they wait for the next connection.
 */
export class NarvaroLive extends Emitter<LiveEvents> implements LiveClient {
  private readonly options: NarvaroLiveOptions
  private readonly timers: Timers
  private readonly cursor = new LiveCursor()
  private connection: Connection | undefined
  private current: ConnectionState = 'offline'
  private ended = false
  private welcomed = false
  private attempt = 0
  private nextId = 0
  private retryTimer: unknown
  private readonly heartbeat: Heartbeat
  private heartbeatMs = 30_000
  private wanted: Set<string> | 'all' | undefined
  private readonly publications = new Map<string, PublishRequest>()
  private readonly pending = new Map<string, Pending>()
  private queue: Queued[] = []
  private accessEnded: EndReason | undefined
  private sseWaiters: Pending[] = []
  private sseSubscribed: readonly string[] = []

  constructor(options: NarvaroLiveOptions) {
    super()
    this.options = options
    this.timers = options.timers ?? defaultTimers
    this.heartbeat = new Heartbeat(this.timers, {
      ping: () => this.connection?.kind === 'websocket' && this.send({ type: 'ping' }),
      stale: () => this.current === 'live' && this.setState('stale'),
      dead: () => this.connection?.close(),
    })
    const restore = options.restore
    if (!restore) return
    if (restore.resume) this.cursor.seed(restore.resume)
    const subscriptions = restore.subscriptions
    if (subscriptions) this.wanted = subscriptions === 'all' ? 'all' : new Set(subscriptions)
    for (const publication of restore.publications ?? [])
      this.publications.set(publication.source, publication)
    this.welcomed = true
  }

  /** What a client taking over from this one needs (see `restore`). */
  restoreState(): LiveRestore {
    const wanted = this.wanted
    return {
      resume: this.cursor.resume,
      subscriptions: wanted === 'all' ? 'all' : wanted ? [...wanted] : undefined,
      publications: [...this.publications.values()],
    }
  }

  get state(): ConnectionState {
    return this.current
  }

  /** The transport in use, while connected. */
  get transport(): 'websocket' | 'sse' | undefined {
    return this.connection?.kind
  }

  /** Why access ended (`access-ended`), after which the client does not reconnect. */
  get endedBecause(): EndReason | undefined {
    return this.accessEnded
  }

  /** The last publication of one of your sources (what a reconnect publishes again). */
  publicationOf(source: string): PublishRequest | undefined {
    return this.publications.get(source)
  }

  /** Connects; resolves once live, rejects when access ended before that. */
  connect(): Promise<void> {
    if (this.ended) return Promise.reject(new NarvaroNetworkError('the live client is closed'))
    if (!this.connection && this.retryTimer === undefined) this.open()
    return new Promise((resolve, reject) => {
      if (this.current === 'live') return resolve()
      const stop = this.on('state', ({ state }) => {
        if (state === 'live') resolve()
        else if (state === 'closed')
          reject(new NarvaroNetworkError(`closed: ${this.accessEnded ?? 'by the client'}`))
        else return
        stop()
      })
    })
  }

  /** Ends the session for good. */
  close(): void {
    this.ended = true
    this.timers.clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    this.connection?.close()
    this.setState('closed')
  }

  // Requests

  /** Subscribes (policy decides) and starts live delivery; without addresses, all your subscriptions. */
  subscribe(addresses?: readonly string[]): Promise<AckMessage> {
    const sse = this.connection?.kind === 'sse'
    this.wanted = addresses ? this.wantedWith(addresses, sse) : 'all'
    if (sse) return this.restartSse()
    return this.request({ type: 'subscribe', ...(addresses ? { addresses: [...addresses] } : {}) })
  }

  /**
   * The addresses to restore after adding some. An SSE stream names its addresses, so "all" (or
   * nothing asked yet, which over SSE also means all) becomes the ones its welcome listed.
   */
  private wantedWith(addresses: readonly string[], sse: boolean): Set<string> | 'all' {
    const wanted = this.wanted
    if (wanted === 'all' && !sse) return 'all'
    const base = wanted instanceof Set ? wanted : sse ? this.sseSubscribed : []
    return new Set([...base, ...addresses])
  }

  /** Stops live delivery of these addresses on this connection (the subscription stays). */
  unsubscribe(addresses: readonly string[]): Promise<AckMessage> {
    const sse = this.connection?.kind === 'sse'
    if (sse && !(this.wanted instanceof Set)) this.wanted = new Set(this.sseSubscribed)
    if (this.wanted instanceof Set) for (const address of addresses) this.wanted.delete(address)
    for (const address of addresses) this.cursor.forget(address)
    if (sse) return this.restartSse()
    return this.request({ type: 'unsubscribe', addresses: [...addresses] })
  }

  /** Publishes for one of your sources; it is published again (`active: false`) after a reconnect. */
  publish(publication: PublishRequest): Promise<AckMessage> {
    this.publications.set(publication.source, publication)
    return this.request({ ...publication, type: 'publish' })
  }

  retract(source: string): Promise<AckMessage> {
    this.publications.delete(source)
    return this.request({ type: 'retract', source })
  }

  /**
   * A live "who is available" query: the ack has `query` and `entries`, then `who-change` events
   * (a member joined, changed what I see of them, or left).
   */
  who(query: WhoRequest = {}): Promise<AckMessage> {
    return this.request({ ...query, type: 'who' })
  }

  whoClose(query: string): Promise<AckMessage> {
    return this.request({ type: 'who-close', query })
  }

  /** `coalesced` delivery for a client in the background; `live` again in the foreground. */
  delivery(mode: 'live' | 'coalesced', intervalMs?: number): Promise<AckMessage> {
    return this.request({ type: 'delivery', mode, ...(intervalMs ? { intervalMs } : {}) })
  }

  /**
   * Watches another token of the same user on this connection (a browser tab sharing it): the ack
   * names its id, and a `token-ended` event with that id tells when it no longer grants access.
   * It lasts as long as this connection: attach again after a reconnect (`welcome`).
   */
  attachToken(token: string): Promise<AckMessage> {
    return this.request({ type: 'attach-token', token })
  }

  /** Resolves with the round trip in ms. */
  async ping(): Promise<number> {
    const started = Date.now()
    await this.request({ type: 'ping' })
    return Date.now() - started
  }

  /** Sends any client message with an id, and resolves with its ack (or pong). */
  request(message: Record<string, unknown>): Promise<AckMessage> {
    if (this.ended) return Promise.reject(new NarvaroNetworkError('the live client is closed'))
    if (this.connection?.kind === 'sse' && this.current !== 'connecting')
      return Promise.reject(new NarvaroNetworkError('the SSE fallback is read only'))
    return new Promise((resolve, reject) => {
      if (
        this.connection?.kind === 'websocket' &&
        (this.current === 'live' || this.current === 'stale')
      )
        this.send(message, { resolve, reject })
      else this.queue.push({ message, resolve, reject })
    })
  }

  private send(message: Record<string, unknown>, pending?: Pending): void {
    const id = `c${++this.nextId}`
    if (pending) this.pending.set(id, pending)
    this.connection?.send({ ...message, id })
  }

  // Connection lifecycle

  private open(): void {
    this.retryTimer = undefined
    this.setState('connecting')
    if (this.options.transport === 'sse') this.openSse()
    else this.openWs(this.options.transport !== 'websocket')
  }

  /** Opens a connection whose events count only while it is the current one. */
  private attach(
    open: (handlers: ConnectionHandlers) => Connection,
    onClose: ConnectionHandlers['onClose'],
  ): void {
    // Events of the connection being opened count; those of a replaced one do not.
    const it: { connection?: Connection } = {}
    const mine = () => it.connection === undefined || it.connection === this.connection
    it.connection = this.connection = open({
      onOpen: () => undefined,
      onActivity: () => mine() && this.alive(),
      onMessage: (message) => mine() && this.handle(message),
      onClose: (info) => mine() && onClose(info),
    })
  }

  private openWs(fallback: boolean): void {
    const WebSocketClass =
      this.options.WebSocket ??
      (globalThis.WebSocket as unknown as WebSocketConstructor | undefined)
    if (!WebSocketClass) return fallback ? this.openSse() : this.dropped(1006, 'no WebSocket here')
    const options = {
      url: this.options.baseUrl,
      token: this.options.token,
      WebSocket: WebSocketClass,
    }
    this.attach(
      (handlers) => openWebSocket(options, handlers),
      ({ code, reason, opened }) => {
        if (!opened && fallback && !this.ended) return this.openSse()
        this.dropped(code, reason)
      },
    )
  }

  private openSse(): void {
    const resume = this.cursor.resume
    const options = {
      url: this.options.baseUrl,
      token: this.options.token,
      fetch: this.options.fetch ?? globalThis.fetch.bind(globalThis),
      ...(this.wanted instanceof Set ? { addresses: [...this.wanted] } : {}),
      ...(resume ? { since: `${resume.epoch}.${resume.cursor}` } : {}),
    }
    this.attach(
      (handlers) => openEventStream(options, handlers),
      ({ code, reason }) => this.dropped(code, reason),
    )
  }

  /** Over SSE a change of subscriptions opens a new stream (resuming); the ack is its welcome. */
  private restartSse(): Promise<AckMessage> {
    return new Promise((resolve, reject) => {
      this.sseWaiters.push({ resolve, reject })
      const old = this.connection
      this.connection = undefined
      old?.close()
      this.setState('connecting')
      this.openSse()
    })
  }

  private dropped(code: number, reason: string): void {
    this.connection = undefined
    this.stopHeartbeat()
    const error = new NarvaroNetworkError(
      `the connection ended (${code}${reason ? ` ${reason}` : ''})`,
    )
    for (const pending of [...this.pending.values(), ...this.sseWaiters]) pending.reject(error)
    this.pending.clear()
    this.sseWaiters = []
    if (code === 4401 && !this.accessEnded) this.endAccess((reason || 'token-revoked') as EndReason)
    if (this.ended) return this.setState('closed')
    this.setState('offline')
    const delayMs = backoffDelay(this.attempt++, this.options.backoff)
    this.emit('reconnecting', { attempt: this.attempt, delayMs, code, reason })
    this.retryTimer = this.timers.setTimeout(() => this.open(), delayMs)
  }

  private endAccess(reason: EndReason): void {
    this.accessEnded = reason
    this.ended = true
    for (const queued of this.queue.splice(0))
      queued.reject(new NarvaroNetworkError(`access ended: ${reason}`))
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return
    const previous = this.current
    this.current = state
    const transport = this.connection?.kind
    this.emit('state', { state, previous, ...(transport ? { transport } : {}) })
  }

  // Messages

  private handle(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        return this.onWelcome(message)
      case 'snapshot':
        this.cursor.snapshot(message)
        this.emit('snapshot', message)
        if (message.resync) this.emit('resync', message)
        return
      case 'change':
        if (this.cursor.change(message)) this.emit('change', message)
        return
      case 'ack':
      case 'pong':
        this.settle(message.id, (p) => p.resolve(message as AckMessage))
        return this.emit(message.type, message as never)
      case 'error':
        this.settle(message.id, (p) => p.reject(new NarvaroApiError(0, message)))
        return this.emit('error', message)
      case 'access-ended':
        this.endAccess(message.reason)
        return this.emit('access-ended', message)
      default:
        this.emit(message.type, message as never)
    }
  }

  private settle(id: string | undefined, action: (pending: Pending) => void): void {
    const pending = id === undefined ? undefined : this.pending.get(id)
    if (!pending || id === undefined) return
    this.pending.delete(id)
    action(pending)
  }

  private onWelcome(message: WelcomeMessage): void {
    this.heartbeatMs = this.options.heartbeatMs ?? message.heartbeatMs
    const resume = this.cursor.welcome(message.epoch)
    const reconnect = this.welcomed
    this.welcomed = true
    this.attempt = 0
    this.emit('welcome', message)
    if (this.connection?.kind === 'websocket') this.restore(reconnect, resume)
    else this.welcomeSse(message)
    this.setState('live')
    this.alive()
    if (this.connection?.kind === 'websocket')
      for (const queued of this.queue.splice(0)) this.send(queued.message, queued)
  }

  /** After a reconnect: the subscriptions (resuming from the cursor) and the device's publications. */
  private restore(reconnect: boolean, resume: Resume | undefined): void {
    if (!reconnect) return
    if (this.wanted) {
      const addresses = this.wanted === 'all' ? undefined : [...this.wanted]
      this.send({
        type: 'subscribe',
        ...(addresses ? { addresses } : {}),
        ...(resume ? { resume } : {}),
      })
    }
    for (const publication of this.publications.values()) {
      this.send(
        { ...publication, type: 'publish', active: false },
        {
          resolve: () => this.emit('republished', { publication }),
          reject: (error) =>
            error instanceof NarvaroApiError && this.emit('republished', { publication, error }),
        },
      )
    }
  }

  private welcomeSse(message: WelcomeMessage): void {
    this.sseSubscribed = message.subscribed ?? []
    const ack: AckMessage = { type: 'ack', subscribed: [...this.sseSubscribed], failed: [] }
    if (message.failed) ack.failed = message.failed.map((f) => ({ ...f, message: f.code }))
    for (const waiter of this.sseWaiters.splice(0)) waiter.resolve(ack)
    for (const queued of this.queue.splice(0))
      queued.reject(new NarvaroNetworkError('the SSE fallback is read only'))
  }

  // Heartbeats

  private alive(): void {
    if (this.current === 'stale') this.setState('live')
    const deadAfterMs = this.options.pongTimeoutMs ?? 10_000
    const websocket = this.connection?.kind === 'websocket'
    this.heartbeat.beat({
      // SSE cannot ask: the server's comment lines come every heartbeatMs, so allow some slack.
      quietMs: websocket ? this.heartbeatMs : Math.round(this.heartbeatMs * 1.5),
      staleAfterMs: Math.min(this.options.staleAfterMs ?? 2000, deadAfterMs),
      deadAfterMs,
    })
  }

  private stopHeartbeat(): void {
    this.heartbeat.stop()
  }
}
