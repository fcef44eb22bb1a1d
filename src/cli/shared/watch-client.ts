// A watching client of protocol narvaro.v1: subscribes, follows the sequence numbers and, after a
// reconnect of its LiveSocket, resumes from the highest seq seen (a snapshot marked resync when the
// server restarted meanwhile); CLI layer.
import { apiError } from './cli-error.js'
import type { LiveSocketOptions, ServerMessage } from './live-socket.js'
import { LiveSocket } from './live-socket.js'
import type { WireView } from './presence-format.js'

/** A snapshot or a change of one presentity's view, as the server sent it. */
export interface ViewMessage {
  readonly type: 'snapshot' | 'change'
  readonly address: string
  readonly seq: number
  readonly view: WireView
  readonly resync?: boolean
}

export interface WatchFailure {
  readonly address: string
  readonly code: string
  readonly message: string
}

export interface WatchEvents {
  onView(message: ViewMessage): void
  /** Something to tell the user on stderr: reconnecting, a presentity no longer watched. */
  onNotice(text: string): void
  onFailures(failures: readonly WatchFailure[]): void
}

export interface WatchOptions extends LiveSocketOptions {
  readonly addresses: readonly string[]
}

export class PresenceWatch {
  readonly done: Promise<void>
  private readonly live: LiveSocket
  private addresses: string[]
  private epoch: string | undefined
  private cursor = 0
  private requestId = ''

  constructor(
    options: WatchOptions,
    private readonly events: WatchEvents,
  ) {
    this.addresses = [...options.addresses]
    this.live = new LiveSocket(options, {
      onWelcome: (welcome) => this.onWelcome(welcome),
      onMessage: (message) => this.onMessage(message),
      onNotice: (text) => events.onNotice(text),
    })
    this.done = this.live.done
  }

  start(): void {
    this.live.start()
  }

  /** Stops watching: closes the connection, or cancels a pending reconnect. */
  stop(): void {
    this.live.stop()
  }

  private onMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'ack':
        return this.onAck(message)
      case 'error':
        return this.onError(message)
      case 'snapshot':
      case 'change':
        return this.onView(message as unknown as ViewMessage)
      case 'unwatched':
        return this.onUnwatched(String(message['address']))
    }
  }

  private onWelcome(message: ServerMessage): void {
    const resume = this.epoch === undefined ? undefined : { epoch: this.epoch, cursor: this.cursor }
    this.epoch = typeof message['epoch'] === 'string' ? message['epoch'] : this.epoch
    this.requestId = `watch-${Date.now().toString(36)}`
    const subscribe = { type: 'subscribe', id: this.requestId, addresses: this.addresses }
    this.live.send(resume ? { ...subscribe, resume } : subscribe)
  }

  private onAck(message: ServerMessage): void {
    if (message['id'] !== this.requestId) return
    const failed = Array.isArray(message['failed']) ? (message['failed'] as WatchFailure[]) : []
    if (failed.length > 0) this.events.onFailures(failed)
    const subscribed = Array.isArray(message['subscribed'])
      ? (message['subscribed'] as string[])
      : []
    this.addresses = subscribed
    if (subscribed.length === 0) {
      const first = failed[0]
      this.live.fail(
        apiError(first?.code ?? 'NRV_NOT_FOUND', 'none of the addresses can be watched'),
      )
    }
  }

  private onError(message: ServerMessage): void {
    const code = String(message['code'] ?? 'NRV_INTERNAL')
    const text = String(message['message'] ?? '')
    if (message['id'] === this.requestId) this.live.fail(apiError(code, text))
    else this.events.onNotice(`error ${code}: ${text}`)
  }

  private onView(message: ViewMessage): void {
    if (typeof message.seq === 'number') this.cursor = Math.max(this.cursor, message.seq)
    this.events.onView(message)
  }

  private onUnwatched(address: string): void {
    this.addresses = this.addresses.filter((a) => a !== address)
    this.events.onNotice(`${address} can no longer be watched`)
    if (this.addresses.length === 0) {
      this.live.fail(apiError('NRV_NOT_FOUND', 'nothing left to watch'))
    }
  }
}
