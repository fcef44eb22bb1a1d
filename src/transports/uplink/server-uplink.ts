// A peer joined to a Närvaro server (`narvaro peer --join URL`): one live connection of the SDK to
// that server with the person's token there. Up, the view the peer's core computes for the person
// (their own) is published as one device source of theirs on the server; down, the views the server's
// core computes for the person of the people they watch there stand for those people here (through
// `mirror`), renewed while the connection lives, so they fade by themselves once the server is gone
// while the link goes on. Nothing is decided here: each side's core made the view that crosses.
// Transport layer.
import {
  NarvaroApiError,
  NarvaroClient,
  NarvaroLive,
  type PublishRequest,
  type View as ServerView,
  type WebSocketConstructor,
} from '@narvaro/sdk'
import { WebSocket } from 'ws'
import type { SourcePublicationInput } from '../../app/presence/index.js'
import type { NarvaroServices } from '../../app/services.js'
import type { WatcherSink } from '../../app/watching/index.js'
import type { View } from '../../core/policy/compute-view.js'
import { stateOfView } from '../link/link-dialer.js'

/** Where the server's people stand here: published, renewed as last seen, and gone. */
export interface ServerMirror {
  seen(address: string, displayName: string, state: SourcePublicationInput): Promise<void>
  renew(): void
  gone(address: string): void
  clear(): void
}

export interface ServerUplinkOptions {
  /** The server's base URL, and the person's token there. */
  readonly server: string
  readonly token: string
  /** The peer's person: the watcher of their own view here. */
  readonly person: WatcherSink['watcher']
  /** The source the person's presence here is on the server (`peer-<machine>`). */
  readonly source: string
  readonly mirror: ServerMirror
  /** The longest wait between tries to reach the server again (ms); the SDK's 30 s by default. */
  readonly retryMaxMs?: number
  /** How often the server's people are renewed here while the connection lives (ms). */
  readonly renewMs: number
  /** Something for the person's terminal (joined, gone, back, refused). */
  readonly onNotice: (text: string) => void
  readonly onError: (error: unknown) => void
}

export class ServerUplink implements WatcherSink {
  private readonly live: NarvaroLive
  /** The person's own address on the server (its welcome says). */
  private own: string | undefined
  private renewTimer: NodeJS.Timeout | undefined
  private wasLive = false
  private stopped = false

  constructor(
    private readonly services: NarvaroServices,
    private readonly options: ServerUplinkOptions,
  ) {
    this.live = new NarvaroLive({
      baseUrl: options.server,
      token: options.token,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      transport: 'websocket',
      ...(options.retryMaxMs === undefined ? {} : { backoff: { maxMs: options.retryMaxMs } }),
    })
  }

  get watcher(): WatcherSink['watcher'] {
    return this.options.person
  }

  /**
   * Checks the token (a refused one is told and nothing more happens; an unreachable server is
   * tried again and again), then connects, watches the person's people there and publishes here.
   */
  async start(): Promise<void> {
    const client = new NarvaroClient({ baseUrl: this.options.server, token: this.options.token })
    try {
      await client.me()
    } catch (error) {
      if (error instanceof NarvaroApiError && error.status === 401)
        return this.options.onNotice(`${this.options.server} refused the token: not joined`)
    }
    if (this.stopped) return
    this.listen()
    this.live.connect().catch(() => undefined)
    this.live.subscribe().catch(() => undefined)
    this.services.hub.watch(this, this.options.person.address)
    this.renewTimer = setInterval(() => this.renew(), this.options.renewMs)
    this.renewTimer.unref()
  }

  private listen(): void {
    const { live, options } = this
    live.on('welcome', (welcome) => {
      this.own = welcome.address
      options.onNotice(
        `${this.wasLive ? 'back on' : 'joined'} ${options.server} as ${welcome.address}`,
      )
      this.wasLive = true
      // What the connection missed is resumed; who faded here meanwhile is published again.
      this.renew()
    })
    live.on('state', ({ state, previous }) => {
      if (state === 'offline' && (previous === 'live' || previous === 'stale'))
        options.onNotice(`${options.server} is gone: working from the link`)
    })
    live.on('snapshot', ({ address, view }) => this.take(address, view))
    live.on('change', ({ address, view }) => this.take(address, view))
    live.on('unwatched', ({ address }) => this.drop(address))
    live.on('subscription', ({ address, state }) => {
      if (state === 'active') live.subscribe([address]).catch(() => undefined)
      else this.drop(address)
    })
    live.on('access-ended', ({ reason }) => {
      options.onNotice(`${options.server} ended access (${reason}): working from the link`)
      options.mirror.clear()
    })
  }

  /** A view of one of the server's people: it stands for them here (offline: they are gone). */
  private take(address: string, view: ServerView): void {
    if (address === this.own) return
    const state = stateOfView(view as View)
    if (state === 'offline') return this.drop(address)
    this.options.mirror
      .seen(address, view.displayName ?? address, state)
      .catch(this.options.onError)
  }

  private drop(address: string): void {
    this.options.mirror.gone(address)
  }

  /** While the connection lives, everyone the server shows is published again before it fades. */
  private renew(): void {
    if (this.live.state === 'live' || this.live.state === 'stale') this.options.mirror.renew()
  }

  /** The person's own view here, published on the server as this peer's source (offline: retracted). */
  send(message: string): void {
    const parsed = JSON.parse(message) as { view?: View }
    if (!parsed.view) return
    const state = stateOfView(parsed.view)
    const { source } = this.options
    if (state === 'offline') return void this.live.retract(source).catch(() => undefined)
    const publication: PublishRequest = {
      source,
      ...(state.availability ? { availability: state.availability } : {}),
      ...(state.activities ? { activities: state.activities.map((a) => ({ ...a })) } : {}),
      ...(state.note ? { note: { text: state.note.text } } : {}),
      ...(state.mood ? { mood: state.mood } : {}),
      ...(state.place ? { place: state.place } : {}),
      ...(state.timeZone ? { timeZone: state.timeZone } : {}),
    }
    this.live.publish(publication).catch((error: unknown) => {
      if (error instanceof NarvaroApiError) this.options.onError(error)
    })
  }

  /** Leaves the server: the peer's source there retracted (when it can be in a second), closed. */
  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.renewTimer)
    this.services.hub.detach(this)
    if (this.live.state === 'live') {
      const retracted = this.live.retract(this.options.source).catch(() => undefined)
      await Promise.race([retracted, new Promise((resolve) => setTimeout(resolve, 1000))])
    }
    this.live.close()
    this.options.mirror.clear()
  }
}
