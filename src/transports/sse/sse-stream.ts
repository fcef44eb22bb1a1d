// One Server-Sent Events stream: frames messages as events with `epoch.seq` ids, heartbeats, and a
// coalescing outbox for a reader that falls behind; transport layer.
import type { ServerResponse } from 'node:http'
import type { LiveSession } from '../../app/accounts/index.js'
import type { NarvaroServices } from '../../app/services.js'
import type { WatcherSink } from '../../app/watching/index.js'
import type { AccessEndReason } from '../../app/shared/index.js'
import { CoalescingOutbox } from '../shared/coalescing-outbox.js'

const highWaterBytes = 256 * 1024

/** The SSE event name: the message's `type` (`change`, `who-change`, `notify-expired`, …). */
const eventType = (message: string): string =>
  /^\{"type":"([a-z-]+)"/.exec(message)?.[1] ?? 'message'

/** One stream, opened by a caller with a token; it ends when the token's access ends. */
export interface SseStreamOptions {
  readonly watcher: { address: string; organizationId: string }
  readonly token: LiveSession['token']
  readonly onEnd: () => void
}

export class SseStream implements WatcherSink, LiveSession {
  readonly watcher: { address: string; organizationId: string }
  readonly token: LiveSession['token']
  private readonly outbox: CoalescingOutbox
  private readonly heartbeat: NodeJS.Timeout
  private readonly closeSession: () => void
  private ended = false

  constructor(
    private readonly raw: ServerResponse,
    private readonly services: NarvaroServices,
    private readonly options: SseStreamOptions,
  ) {
    this.watcher = options.watcher
    this.token = options.token
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    raw.write('retry: 2000\n\n')
    this.outbox = new CoalescingOutbox(
      {
        buffered: () => raw.writableLength,
        write: (message, _address, seq) => this.write(message, seq),
      },
      highWaterBytes,
    )
    this.heartbeat = setInterval(() => raw.write(': ping\n\n'), services.settings.heartbeatMs)
    raw.on('close', () => this.end())
    raw.on('error', () => this.end())
    this.closeSession = services.sessions.open(this)
  }

  private write(message: string, seq: number): void {
    const id = seq > 0 ? `id: ${this.services.epoch}.${seq}\n` : ''
    this.raw.write(`event: ${eventType(message)}\n${id}data: ${message}\n\n`)
  }

  /** Sends a message outside the fan-out (the welcome), with no id; a string is its JSON already. */
  sendDirect(message: Record<string, unknown> | string): void {
    this.write(typeof message === 'string' ? message : JSON.stringify(message), 0)
  }

  send(message: string, address: string, seq: number): void {
    if (!this.ended) this.outbox.send(message, address, seq)
  }

  undelivered(): Iterable<string> {
    return this.outbox.undelivered()
  }

  /** Access ended: a final `access-ended` event, then the stream ends (a reconnect gets 401). */
  endAccess(reason: AccessEndReason): void {
    if (this.ended) return
    this.write(JSON.stringify({ type: 'access-ended', reason }), 0)
    this.end()
  }

  end(): void {
    if (this.ended) return
    this.ended = true
    this.closeSession()
    clearInterval(this.heartbeat)
    this.outbox.stop()
    this.services.hub.detach(this)
    this.services.metrics.connections.dec({ transport: 'sse' })
    this.raw.end()
    this.options.onEnd()
  }
}
