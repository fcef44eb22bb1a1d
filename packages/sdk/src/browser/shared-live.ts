// One live connection shared by the tabs of a browser: the tab holding a Web Lock is the leader and
// owns the NarvaroLive; the others relay requests and receive every event over a BroadcastChannel,
// and the next tab takes over (resuming from the same cursor) when the leader closes. SDK browser layer.
import { Emitter } from '../emitter.js'
import { NarvaroApiError, NarvaroNetworkError } from '../errors.js'
import { LiveCursor } from '../live/cursor.js'
import type { LiveClient } from '../live/live-client.js'
import type { ConnectionState, LiveEvents, LiveRestore, NarvaroLive } from '../live/narvaro-live.js'
import type {
  AccessEndedMessage,
  AccessEndedReason,
  AckMessage,
  PublishRequest,
  TokenEndedMessage,
  WhoRequest,
} from '../live/protocol.js'
import {
  combinedDelivery,
  emptyState,
  fromWire,
  relayed,
  stillWanted,
  toWire,
  unionOf,
  type ChannelLike,
  type DeliveryWish,
  type LocksLike,
  type Method,
  type SharedState,
  type Wire,
  type WireError,
} from './shared-wire.js'

export type { ChannelLike, LocksLike } from './shared-wire.js'

export interface ShareLiveOptions {
  /** Makes the tab's client when it becomes the leader, starting from `restore`. */
  readonly create: (restore: LiveRestore) => NarvaroLive
  /**
   * This tab's token (the one `create` uses). The leader's connection watches it too
   * (`attach-token`), so that this tab hears `access-ended` at once when it is revoked or expires,
   * even while another tab holds the connection.
   */
  readonly token?: string
  /** The lock and channel name; one per server and user. Default `narvaro-live`. */
  readonly name?: string
  readonly channel?: ChannelLike
  readonly locks?: LocksLike
}

interface Pending {
  method: Method
  args: unknown[]
  resolve: (a: AckMessage) => void
  reject: (e: Error) => void
}

/**
 * The live client of one tab among several: the same requests and events as {@link NarvaroLive},
 * over one connection for all of them. `leader` tells whether this tab holds the connection.
 * `access-ended` comes for this tab's own token, whoever holds the connection.
 */
export class SharedLive extends Emitter<LiveEvents> implements LiveClient {
  readonly tab = Math.random().toString(36).slice(2)
  private live: NarvaroLive | undefined
  private stopRelay: (() => void)[] = []
  private current: ConnectionState = 'connecting'
  private leaderTab: string | undefined
  private readonly cursor = new LiveCursor()
  private shared: SharedState = emptyState
  private readonly pending = new Map<number, Pending>()
  private readonly handled = new Set<string>()
  private nextRid = 0
  private readonly abort = new AbortController()
  private release: (() => void) | undefined
  private closed = false
  /** The leader's: the other tabs and their tokens. */
  private readonly members = new Map<string, string | undefined>()
  /** The leader's: attached token ids, with the token they stand for. */
  private readonly attached = new Map<string, string>()
  private welcomes = 0

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
    if (this.closed) return Promise.reject(new NarvaroNetworkError('the live client is closed'))
    if (this.current === 'live') return Promise.resolve()
    return new Promise((resolve) => {
      const stop = this.on('state', ({ state }) => {
        if (state !== 'live') return
        stop()
        resolve()
      })
    })
  }

  /** The last publication of one of your sources, whichever tab published it. */
  publicationOf(source: string): PublishRequest | undefined {
    if (this.live) return this.live.publicationOf(source)
    return this.shared.publications.find((p) => p.source === source)
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
  /**
   * This tab's wish: the connection is coalesced only while every tab asks for `coalesced` (all are
   * hidden, with `coalesceWhenHidden`), and live again as soon as one asks for `live`.
   */
  delivery(mode: 'live' | 'coalesced', intervalMs?: number): Promise<AckMessage> {
    return this.call('delivery', intervalMs === undefined ? [mode] : [mode, intervalMs])
  }

  /** Leaves: a leader hands the connection to the next tab, a follower's interest is dropped. */
  close(): void {
    if (this.abort.signal.aborted) return
    this.abort.abort()
    this.post({ t: 'bye', from: this.tab })
    this.leave()
    this.release?.()
    this.closed = true
    this.channel.close()
    for (const p of this.pending.values()) p.reject(new NarvaroNetworkError('closed'))
    this.pending.clear()
    this.setState('closed')
  }

  private leave(): void {
    for (const stop of this.stopRelay.splice(0)) stop()
    this.live?.close()
    this.live = undefined
  }

  private call(method: Method, args: unknown[]): Promise<AckMessage> {
    if (this.closed) return Promise.reject(new NarvaroNetworkError('the live client is closed'))
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

  private setState(state: ConnectionState): void {
    if (state === this.current) return
    const previous = this.current
    this.current = state
    this.emit('state', { state, previous })
  }

  /** This tab's own access ended: it says so, and leaves the connection to the others. */
  private ended(message: AccessEndedMessage): void {
    this.emit('access-ended', message)
    this.close()
  }

  // The leader

  private lead(release: () => void): void {
    if (this.abort.signal.aborted) return release()
    this.release = release
    const live = this.options.create({
      resume: this.cursor.resume,
      subscriptions: unionOf(this.shared.interest),
      publications: this.shared.publications,
    })
    this.live = live
    this.leaderTab = this.tab
    this.welcomes = 0
    this.stopRelay = [
      ...relayed.map((name) => live.on(name, (payload) => this.fromLive(name, payload))),
      live.on('access-ended', (message) => this.leaderEnded(message)),
      live.on('token-ended', (message) => this.tokenEnded(message)),
    ]
    this.setState('connecting')
    this.post({ t: 'leader', from: this.tab, state: this.current, shared: this.shared })
    for (const rid of [...this.pending.keys()]) this.send(rid)
    live.connect().catch(() => undefined)
  }

  private fromLive(name: keyof LiveEvents, payload: unknown): void {
    if (name === 'state') this.current = (payload as { state: ConnectionState }).state
    // After a reconnect the server watches the other tabs' tokens again only if asked again.
    if (name === 'welcome' && ++this.welcomes > 1)
      for (const [tab, token] of this.members) if (token) this.attach(tab, token)
    this.emit(name, payload as never)
    this.post({ t: 'event', name, payload })
  }

  /** Tabs that share this tab's token lose their access with it. */
  private leaderEnded(message: AccessEndedMessage): void {
    for (const [tab, token] of this.members)
      if (token !== undefined && token === this.options.token) this.endTab(tab, message.reason)
    this.ended(message)
  }

  private join(tab: string, token: string | undefined): void {
    const known = this.members.has(tab) && this.members.get(tab) === token
    this.members.set(tab, token)
    if (known || !this.live) return
    if (token !== undefined && token !== this.options.token) this.attach(tab, token)
    this.applyDelivery(this.live).catch(() => undefined)
  }

  private attach(tab: string, token: string): void {
    this.live?.attachToken(token).then(
      (ack) => ack.token !== undefined && this.attached.set(ack.token, token),
      (error: unknown) => {
        if (error instanceof NarvaroApiError && error.code === 'NRV_UNAUTHENTICATED')
          this.endTab(tab, 'token-revoked')
      },
    )
  }

  private tokenEnded(message: TokenEndedMessage): void {
    const token = this.attached.get(message.token)
    this.attached.delete(message.token)
    for (const [tab, its] of this.members)
      if (token !== undefined && its === token) this.endTab(tab, message.reason)
  }

  /** A tab's own token ended: its device goes offline at once, and the tab is told. */
  private endTab(tab: string, reason: AccessEndedReason): void {
    const live = this.live
    this.members.delete(tab)
    if (live) {
      const owners = { ...this.shared.owners }
      for (const [source, owner] of Object.entries(owners)) {
        if (owner !== tab) continue
        delete owners[source]
        live.retract(source).catch(() => undefined)
      }
      this.shared = { ...this.shared, owners }
      this.share(live)
    }
    this.post({ t: 'ended', to: tab, reason })
  }

  private async execute(from: string, method: Method, args: unknown[]): Promise<AckMessage> {
    const live = this.live
    if (!live) throw new NarvaroNetworkError('this tab lost the connection')
    const answer =
      method === 'subscribe'
        ? this.subscribeFor(live, from, args[0] as string[] | undefined)
        : method === 'unsubscribe'
          ? this.unsubscribeFor(live, from, args[0] as string[])
          : method === 'delivery'
            ? this.deliveryFor(live, from, args as [DeliveryWish['mode'], number?])
            : this.run(live, from, method, args)
    this.share(live)
    return answer
  }

  private share(live: NarvaroLive): void {
    this.shared = { ...this.shared, publications: live.restoreState().publications ?? [] }
    this.post({ t: 'shared', shared: this.shared })
  }

  private subscribeFor(
    live: NarvaroLive,
    from: string,
    addresses: string[] | undefined,
  ): Promise<AckMessage> {
    const interest = { ...this.shared.interest }
    const had = interest[from]
    interest[from] =
      !addresses || had === 'all' ? 'all' : [...new Set([...(had ?? []), ...addresses])]
    this.shared = { ...this.shared, interest }
    return live.subscribe(addresses)
  }

  private unsubscribeFor(
    live: NarvaroLive,
    from: string,
    addresses: string[],
  ): Promise<AckMessage> {
    const interest = { ...this.shared.interest }
    const had = interest[from]
    if (Array.isArray(had)) interest[from] = had.filter((a) => !addresses.includes(a))
    this.shared = { ...this.shared, interest }
    const unwanted = addresses.filter((a) => !stillWanted(interest, a))
    return unwanted.length > 0
      ? live.unsubscribe(unwanted)
      : Promise.resolve<AckMessage>({ type: 'ack' })
  }

  private deliveryFor(
    live: NarvaroLive,
    from: string,
    [mode, intervalMs]: [string, number?],
  ): Promise<AckMessage> {
    const wish = { mode, ...(intervalMs !== undefined ? { intervalMs } : {}) } as DeliveryWish
    this.shared = { ...this.shared, delivery: { ...this.shared.delivery, [from]: wish } }
    return this.applyDelivery(live)
  }

  private applyDelivery(live: NarvaroLive): Promise<AckMessage> {
    const tabs = [this.tab, ...this.members.keys()]
    const { mode, intervalMs } = combinedDelivery(this.shared.delivery, tabs)
    return live.delivery(mode, intervalMs)
  }

  private run(
    live: NarvaroLive,
    from: string,
    method: Method,
    args: unknown[],
  ): Promise<AckMessage> {
    const owners = { ...this.shared.owners }
    if (method === 'publish') owners[(args[0] as PublishRequest).source] = from
    if (method === 'retract') delete owners[args[0] as string]
    this.shared = { ...this.shared, owners }
    const apply = live[method] as unknown as (...a: unknown[]) => Promise<AckMessage>
    return apply.apply(live, args)
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
        return this.followed(message)
      case 'shared':
        this.shared = message.shared
        return
      case 'hello':
        if (this.live)
          this.post({ t: 'leader', from: this.tab, state: this.current, shared: this.shared })
        return
      case 'join':
        return this.join(message.from, message.token)
      case 'ended':
        if (message.to === this.tab) this.ended({ type: 'access-ended', reason: message.reason })
        return
      case 'bye':
        return this.forget(message.from)
    }
  }

  /** A leader answered: this tab joins it (with its token) and takes its state. */
  private followed(message: Extract<Wire, { t: 'leader' }>): void {
    this.leaderTab = message.from
    this.shared = message.shared
    const token = this.options.token
    this.post({ t: 'join', from: this.tab, ...(token !== undefined ? { token } : {}) })
    this.setState(message.state)
    for (const rid of [...this.pending.keys()]) this.send(rid)
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

  /** A tab left: its interest and its wish go; the leader leaving means a new one is coming. */
  private forget(tab: string): void {
    if (tab === this.leaderTab) {
      this.leaderTab = undefined
      this.setState('connecting')
    }
    const { [tab]: had, ...interest } = this.shared.interest
    const { [tab]: _wish, ...delivery } = this.shared.delivery
    this.shared = { ...this.shared, interest, delivery }
    this.members.delete(tab)
    if (!this.live) return
    const unwanted =
      had === undefined || had === 'all' ? [] : had.filter((a) => !stillWanted(interest, a))
    if (unwanted.length > 0) this.live.unsubscribe(unwanted).catch(() => undefined)
    this.applyDelivery(this.live).catch(() => undefined)
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
