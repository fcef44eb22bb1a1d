// A client session of protocol narvaro.v1 that keeps one device publication alive: publishes on
// connect, republishes after every reconnect with `active: false` (a reconnect is not activity);
// CLI layer.
import { apiError } from '../shared/cli-error.js'
import type { LiveSocketOptions, ServerMessage } from '../shared/live-socket.js'
import { LiveSocket } from '../shared/live-socket.js'

/** The `publish` message without its `type` and `id`: source, availability, device. */
export type PublishInput = Readonly<Record<string, unknown>> & { readonly source: string }

export interface ConnectEvents {
  /** The publication is in place: first online, or online again after a reconnect. */
  onOnline(address: string, reconnected: boolean): void
  /** Something to tell the user on stderr: a dropped connection, a retried publication. */
  onNotice(text: string): void
}

export interface ConnectOptions extends LiveSocketOptions {
  readonly publish: PublishInput
}

export class ConnectSession {
  readonly done: Promise<void>
  private readonly live: LiveSocket
  private address = ''
  private requestId = ''
  private reconnected = false
  private counter = 0
  private retry: NodeJS.Timeout | undefined

  constructor(
    private readonly options: ConnectOptions,
    private readonly events: ConnectEvents,
  ) {
    this.live = new LiveSocket(options, {
      onWelcome: (welcome, reconnected) => this.onWelcome(welcome, reconnected),
      onMessage: (message) => this.onMessage(message),
      onNotice: (text) => events.onNotice(text),
    })
    this.done = this.live.done
  }

  start(): void {
    this.live.start()
  }

  /**
   * Ends the session by closing the connection: the server ends the publication after its grace
   * period, so a quick restart does not flap.
   */
  stop(): void {
    clearTimeout(this.retry)
    this.live.stop()
  }

  private onWelcome(welcome: ServerMessage, reconnected: boolean): void {
    clearTimeout(this.retry)
    this.address = typeof welcome['address'] === 'string' ? welcome['address'] : this.address
    this.reconnected = reconnected
    this.publish()
  }

  private publish(): void {
    this.requestId = `connect-${++this.counter}`
    const active = this.reconnected ? { active: false } : {}
    this.live.send({ type: 'publish', id: this.requestId, ...this.options.publish, ...active })
  }

  private onMessage(message: ServerMessage): void {
    if (message['id'] !== this.requestId) {
      if (message.type === 'error') {
        this.events.onNotice(`error ${String(message['code'])}: ${String(message['message'])}`)
      }
      return
    }
    if (message.type === 'ack') return this.events.onOnline(this.address, this.reconnected)
    if (message.type === 'error') this.onPublishError(message)
  }

  /** Too fast is retried when the server says; any other refusal of the publication is final. */
  private onPublishError(message: ServerMessage): void {
    const code = String(message['code'] ?? 'NRV_INTERNAL')
    const text = String(message['message'] ?? '')
    const details = message['details'] as { retryAfterMs?: unknown } | undefined
    if (code === 'NRV_RATE_LIMITED' && typeof details?.retryAfterMs === 'number') {
      this.events.onNotice(`publishing too fast; trying again in ${details.retryAfterMs} ms`)
      this.retry = setTimeout(() => this.publish(), details.retryAfterMs)
      return
    }
    this.live.fail(apiError(code, text))
  }
}
