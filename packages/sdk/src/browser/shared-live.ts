// One live connection shared by the tabs of a browser: the tab holding a Web Lock is the leader and
// owns the NarvaroLive; the others relay requests and receive every event over a BroadcastChannel,
// and the next tab takes over (resuming from the same cursor) when the leader closes. SDK browser layer.
import { Emitter } from '../emitter.js'
import { NarvaroApiError, NarvaroNetworkError } from '../errors.js'
import { LiveCursor } from '../live/cursor.js'
import type { ConnectionState, LiveEvents, LiveRestore, NarvaroLive } from '../live/narvaro-live.js'
import type { AckMessage, PublishRequest, WhoRequest } from '../live/protocol.js'

/** The part of BroadcastChannel used here. */
export interface ChannelLike {
  postMessage(message: unknown): void
  onmessage: ((event: { data: unknown }) => void) | null
  close(): void
}

/** The part of `navigator.locks` used here. */
export interface LocksLike {
  request(
    name: string,
    options: { signal: AbortSignal },
    callback: () => Promise<void>,
  ): Promise<unknown>
}

export interface ShareLiveOptions {
  /** Makes the tab's client when it becomes the leader, starting from `restore`. */
  readonly create: (restore: LiveRestore) => NarvaroLive
  /** The lock and channel name; one per server and user. Default `narvaro-live`. */
  readonly name?: string
  readonly channel?: ChannelLike
  readonly locks?: LocksLike
}

type Method = 'subscribe' | 'unsubscribe' | 'publish' | 'retract' | 'who' | 'whoClose' | 'delivery'
type Interest = string[] | 'all'
interface SharedState {
  readonly interest: Record<string, Interest>
  readonly publications: readonly PublishRequest[]
}
interface WireError {
  name: string
  message: string
  code?: string
  details?: Record<string, unknown>
}
type Wire =
  | { t: 'event'; name: keyof LiveEvents; payload: unknown }
  | { t: 'request'; from: string; rid: number; method: Method; args: unknown[] }
  | { t: 'reply'; to: string; rid: number; value?: AckMessage; error?: WireError }
  | { t: 'leader'; state: ConnectionState; shared: SharedState }
  | { t: 'shared'; shared: SharedState }
  | { t: 'hello' }
  | { t: 'bye'; from: string }

const relayed: readonly (keyof LiveEvents)[] = [
  'welcome',
  'snapshot',
  'change',
  'unwatched',
  'ack',
  'error',
  'pong',
  'access-ended',
  'watcher',
  'subscription',
  'who-change',
  'invitation',
  'gathering',
  'invitation-ended',
  'gathering-ended',
  'available',
  'notify-expired',
  'resync',
  'state',
  'reconnecting',
]

const toWire = (error: unknown): WireError =>
  error instanceof NarvaroApiError
    ? { name: error.name, message: error.message, code: error.code, details: { ...error.details } }
    : {
        name: 'NarvaroNetworkError',
        message: error instanceof Error ? error.message : String(error),
      }

const fromWire = (error: WireError): Error =>
  error.code !== undefined
    ? new NarvaroApiError(0, {
        code: error.code,
        message: error.message,
        details: error.details ?? {},
      })
    : new NarvaroNetworkError(error.message)

/** Addresses some tab still wants, so that one tab's unsubscribe does not stop another's delivery. */
const stillWanted = (interest: Record<string, Interest>, address: string): boolean =>
  Object.values(interest).some((wanted) => wanted === 'all' || wanted.includes(address))

/**
 * The live client of one tab among several: the same requests and events as {@link NarvaroLive},
 * over one connection for all of them. `leader` tells whether this tab holds the connection.
 */
export class SharedLive extends Emitter<LiveEvents> {
  readonly tab = Math.random().toString(36).slice(2)
  private live: NarvaroLive | undefined
  private current: ConnectionState = 'connecting'
  private readonly cursor = new LiveCursor()
  private shared: SharedState = { interest: {}, publications: [] }
  private readonly pending = new Map<
    number,
    {
      method: Method
      args: unknown[]
      resolve: (a: AckMessage) => void
      reject: (e: Error) => void
    }
  >()
  private readonly handled = new Set<string>()
  private nextRid = 0
  private readonly abort = new AbortController()
  private release: (() => void) | undefined
  private closed = false

  constructor(
    private readonly options: ShareLiveOptions,
    private readonly channel: ChannelLike,
    locks: LocksLike,
  ) {
    super()
    channel.onmessage = (event) => this.receive(event.data as Wire)
    const name = options.name ?? 'narvaro-live'
    locks
      .request(
        name,
        { signal: this.abort.signal },
        () => new Promise<void>((resolve) => this.lead(resolve)),
      )
      .catch(() => undefined)
    this.post({ t: 'hello' })
  }

  get leader(): boolean {
    return this.live !== undefined
  }

  get state(): ConnectionState {
    return this.current
  }

  /** Resolves once the shared connection is live (the leader connects by itself). */
  connect(): Promise<void> {
    if (this.current === 'live') return Promise.resolve()
    return new Promise((resolve) => {
      const stop = this.on('state', ({ state }) => {
        if (state !== 'live') return
        stop()
        resolve()
      })
    })
  }

  subscribe(addresses?: readonly string[]): Promise<AckMessage> {
    return this.call('subscribe', addresses === undefined ? [] : [[...addresses]])
  }
  unsubscribe(addresses: readonly string[]): Promise<AckMessage> {
    return this.call('unsubscribe', [[...addresses]])
  }
  publish(publication: PublishRequest): Promise<AckMessage> {
    return this.call('publish', [publication])
  }
  retract(source: string): Promise<AckMessage> {
    return this.call('retract', [source])
  }
  who(query: WhoRequest = {}): Promise<AckMessage> {
    return this.call('who', [query])
  }
  whoClose(query: string): Promise<AckMessage> {
    return this.call('whoClose', [query])
  }
  delivery(mode: 'live' | 'coalesced', intervalMs?: number): Promise<AckMessage> {
    return this.call('delivery', intervalMs === undefined ? [mode] : [mode, intervalMs])
  }

  /** Leaves: a leader hands the connection to the next tab, a follower's interest is dropped. */
  close(): void {
    if (this.abort.signal.aborted) return
    this.abort.abort()
    this.post({ t: 'bye', from: this.tab })
    this.live?.close()
    this.live = undefined
    this.release?.()
    this.closed = true
    this.channel.close()
    for (const p of this.pending.values()) p.reject(new NarvaroNetworkError('closed'))
    this.pending.clear()
  }

  private call(method: Method, args: unknown[]): Promise<AckMessage> {
    const rid = ++this.nextRid
    return new Promise((resolve, reject) => {
      this.pending.set(rid, { method, args, resolve, reject })
      this.send(rid)
    })
  }

  private send(rid: number): void {
    const request = this.pending.get(rid)
    if (!request) return
    if (this.live) {
      this.pending.delete(rid)
      this.execute(this.tab, request.method, request.args).then(request.resolve, request.reject)
    } else
      this.post({ t: 'request', from: this.tab, rid, method: request.method, args: request.args })
  }

  private post(message: Wire): void {
    if (!this.closed) this.channel.postMessage(message)
  }

  // The leader

  private lead(release: () => void): void {
    if (this.abort.signal.aborted) return release()
    this.release = release
    const subscriptions = this.union()
    const live = this.options.create({
      resume: this.cursor.resume,
      subscriptions,
      publications: this.shared.publications,
    })
    this.live = live
    for (const name of relayed)
      live.on(name, (payload) => {
        if (name === 'state') this.current = (payload as { state: ConnectionState }).state
        this.emit(name, payload as never)
        this.post({ t: 'event', name, payload })
      })
    this.post({ t: 'leader', state: this.current, shared: this.shared })
    for (const rid of [...this.pending.keys()]) this.send(rid)
    live.connect().catch(() => undefined)
  }

  private union(): Interest | undefined {
    const all = Object.values(this.shared.interest)
    if (all.length === 0) return undefined
    if (all.includes('all')) return 'all'
    return [...new Set(all.flat())]
  }

  private async execute(from: string, method: Method, args: unknown[]): Promise<AckMessage> {
    const live = this.live
    if (!live) throw new NarvaroNetworkError('this tab lost the connection')
    const interest = { ...this.shared.interest }
    let answer: Promise<AckMessage>
    if (method === 'subscribe') {
      const addresses = args[0] as string[] | undefined
      const had = interest[from]
      interest[from] =
        !addresses || had === 'all' ? 'all' : [...new Set([...(had ?? []), ...addresses])]
      answer = live.subscribe(addresses)
    } else if (method === 'unsubscribe') {
      const addresses = args[0] as string[]
      const had = interest[from]
      if (Array.isArray(had)) interest[from] = had.filter((a) => !addresses.includes(a))
      const unwanted = addresses.filter((a) => !stillWanted(interest, a))
      answer = unwanted.length > 0 ? live.unsubscribe(unwanted) : Promise.resolve({ type: 'ack' })
    } else {
      const run = live[method] as unknown as (...a: unknown[]) => Promise<AckMessage>
      answer = run.apply(live, args)
    }
    this.shared = { interest, publications: live.restoreState().publications ?? [] }
    this.post({ t: 'shared', shared: this.shared })
    return answer
  }

  // Every tab

  private receive(message: Wire): void {
    switch (message.t) {
      case 'event':
        return this.relay(message.name, message.payload)
      case 'request':
        return this.answer(message)
      case 'reply':
        return this.settle(message)
      case 'leader':
        this.current = message.state
        this.shared = message.shared
        for (const rid of [...this.pending.keys()]) this.send(rid)
        return
      case 'shared':
        this.shared = message.shared
        return
      case 'hello':
        if (this.live) this.post({ t: 'leader', state: this.current, shared: this.shared })
        return
      case 'bye':
        return this.forget(message.from)
    }
  }

  private relay(name: keyof LiveEvents, payload: unknown): void {
    if (name === 'welcome') this.cursor.welcome((payload as { epoch: string }).epoch)
    if (name === 'snapshot') this.cursor.snapshot(payload as LiveEvents['snapshot'])
    if (name === 'change') this.cursor.change(payload as LiveEvents['change'])
    if (name === 'state') this.current = (payload as { state: ConnectionState }).state
    this.emit(name, payload as never)
  }

  private answer(message: Extract<Wire, { t: 'request' }>): void {
    const key = `${message.from}:${message.rid}`
    if (!this.live || this.handled.has(key)) return
    this.handled.add(key)
    const reply = (body: { value?: AckMessage; error?: WireError }) =>
      this.post({ t: 'reply', to: message.from, rid: message.rid, ...body })
    this.execute(message.from, message.method, message.args).then(
      (value) => reply({ value }),
      (error: unknown) => reply({ error: toWire(error) }),
    )
  }

  private settle(message: Extract<Wire, { t: 'reply' }>): void {
    const request = message.to === this.tab ? this.pending.get(message.rid) : undefined
    if (!request) return
    this.pending.delete(message.rid)
    if (message.error) request.reject(fromWire(message.error))
    else request.resolve(message.value ?? { type: 'ack' })
  }

  private forget(tab: string): void {
    const interest = { ...this.shared.interest }
    const had = interest[tab]
    delete interest[tab]
    this.shared = { ...this.shared, interest }
    if (!this.live || had === undefined) return
    const unwanted = had === 'all' ? [] : had.filter((a) => !stillWanted(interest, a))
    if (unwanted.length > 0) this.live.unsubscribe(unwanted).catch(() => undefined)
    this.post({ t: 'shared', shared: this.shared })
  }
}

/**
 * Shares one live connection among the browser's tabs where it has Web Locks and BroadcastChannel;
 * elsewhere it returns undefined, and each tab makes its own NarvaroLive.
 */
export const shareLive = (options: ShareLiveOptions): SharedLive | undefined => {
  const scope = globalThis as unknown as {
    navigator?: { locks?: LocksLike }
    BroadcastChannel?: new (name: string) => ChannelLike
  }
  const locks = options.locks ?? scope.navigator?.locks
  const name = options.name ?? 'narvaro-live'
  const channel =
    options.channel ?? (scope.BroadcastChannel ? new scope.BroadcastChannel(name) : undefined)
  if (!locks || !channel) return undefined
  return new SharedLive(options, channel, locks)
}
