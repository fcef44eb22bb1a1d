// A watching WebSocket client of protocol narvaro.v1: subscribes, follows the sequence numbers,
// notices a silent server by its missing heartbeats, and reconnects with backoff, resuming from the
// highest seq seen (a snapshot marked resync when the server restarted meanwhile); CLI layer.
import { WebSocket } from 'ws'
import type { RawData } from 'ws'
import type { CliError } from './cli-error.js'
import { apiError, unreachableError } from './cli-error.js'
import { networkReason } from './api-client.js'
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

export interface WatchOptions {
  /** The server's http(s) base URL. */
  readonly server: string
  readonly token: string
  readonly addresses: readonly string[]
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number }
}

type ServerMessage = Record<string, unknown> & { type?: unknown }

const wsUrlOf = (server: string): string => server.replace(/^http/, 'ws') + '/v1/ws'

const textOf = (data: RawData): string =>
  Array.isArray(data)
    ? Buffer.concat(data).toString('utf8')
    : Buffer.from(data as ArrayBuffer).toString('utf8')

export class PresenceWatch {
  readonly done: Promise<void>
  private resolveDone!: () => void
  private rejectDone!: (error: CliError) => void
  private socket: WebSocket | undefined
  private addresses: string[]
  private epoch: string | undefined
  private cursor = 0
  private attempt = 0
  private connected = false
  private everConnected = false
  private finished = false
  private lastError = ''
  private requestId = ''
  private watchdog: NodeJS.Timeout | undefined
  private retry: NodeJS.Timeout | undefined
  private heartbeatMs = 30_000

  constructor(
    private readonly options: WatchOptions,
    private readonly events: WatchEvents,
  ) {
    this.addresses = [...options.addresses]
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve
      this.rejectDone = reject
    })
  }

  start(): void {
    this.lastError = ''
    const socket = new WebSocket(wsUrlOf(this.options.server), {
      headers: { authorization: `Bearer ${this.options.token}` },
      handshakeTimeout: 10_000,
    })
    this.socket = socket
    socket.on('unexpected-response', (_request, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
      response.on('end', () => this.refused(socket, response.statusCode ?? 0, body))
    })
    socket.on('error', (error) => (this.lastError ||= networkReason({ cause: error })))
    socket.on('message', (data) => this.onMessage(textOf(data)))
    socket.on('ping', () => this.armWatchdog())
    socket.on('close', (code, reason) => this.onClose(socket, code, reason.toString()))
  }

  /** Stops watching: closes the connection, or cancels a pending reconnect. */
  stop(): void {
    if (this.finished) return
    this.end()
    this.socket?.close(1000)
    this.resolveDone()
  }

  private end(): void {
    this.finished = true
    clearTimeout(this.watchdog)
    clearTimeout(this.retry)
  }

  private fail(error: CliError): void {
    if (this.finished) return
    this.end()
    this.socket?.terminate()
    this.rejectDone(error)
  }

  /** The upgrade got an HTTP error: bad credentials end the watch; 429 and 5xx retry. */
  private refused(socket: WebSocket, status: number, body: string): void {
    let reply: { code?: unknown; message?: unknown } = {}
    try {
      reply = JSON.parse(body) as typeof reply
    } catch {
      // not JSON: the status says enough
    }
    const code = typeof reply.code === 'string' ? reply.code : `HTTP_${status}`
    const message =
      typeof reply.message === 'string' ? reply.message : `the server answered ${status}`
    const retryable = status === 429 || status >= 500
    if (!retryable) return this.fail(apiError(code, message))
    this.lastError = `${code}: ${message}`
    socket.terminate()
  }

  private armWatchdog(heartbeatMs?: number): void {
    if (heartbeatMs !== undefined) this.heartbeatMs = heartbeatMs
    clearTimeout(this.watchdog)
    this.watchdog = setTimeout(
      () => {
        this.events.onNotice('no heartbeat from the server')
        this.socket?.terminate()
      },
      this.heartbeatMs * 2 + 5000,
    )
  }

  private onMessage(text: string): void {
    let message: ServerMessage
    try {
      message = JSON.parse(text) as ServerMessage
    } catch {
      return this.events.onNotice('ignored a message that is not JSON')
    }
    switch (message.type) {
      case 'welcome':
        return this.onWelcome(message)
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
    this.connected = true
    this.everConnected = true
    this.attempt = 0
    this.armWatchdog(
      typeof message['heartbeatMs'] === 'number' ? message['heartbeatMs'] : undefined,
    )
    const resume = this.epoch === undefined ? undefined : { epoch: this.epoch, cursor: this.cursor }
    this.epoch = typeof message['epoch'] === 'string' ? message['epoch'] : this.epoch
    this.requestId = `watch-${Date.now().toString(36)}`
    const subscribe = { type: 'subscribe', id: this.requestId, addresses: this.addresses }
    this.socket?.send(JSON.stringify(resume ? { ...subscribe, resume } : subscribe))
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
      this.fail(apiError(first?.code ?? 'NRV_NOT_FOUND', 'none of the addresses can be watched'))
    }
  }

  private onError(message: ServerMessage): void {
    const code = String(message['code'] ?? 'NRV_INTERNAL')
    const text = String(message['message'] ?? '')
    if (message['id'] === this.requestId) this.fail(apiError(code, text))
    else this.events.onNotice(`error ${code}: ${text}`)
  }

  private onView(message: ViewMessage): void {
    if (typeof message.seq === 'number') this.cursor = Math.max(this.cursor, message.seq)
    this.events.onView(message)
  }

  private onUnwatched(address: string): void {
    this.addresses = this.addresses.filter((a) => a !== address)
    this.events.onNotice(`${address} can no longer be watched`)
    if (this.addresses.length === 0) this.fail(apiError('NRV_NOT_FOUND', 'nothing left to watch'))
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.socket || this.finished) return
    clearTimeout(this.watchdog)
    const wasConnected = this.connected
    this.connected = false
    if (!this.everConnected) {
      return this.fail(
        unreachableError(this.options.server, this.lastError || `closed with ${code}`),
      )
    }
    const delay = this.nextDelay()
    const why = wasConnected
      ? `connection closed (${code}${reason ? ` ${reason}` : ''})`
      : `cannot connect (${this.lastError || code})`
    this.events.onNotice(`${why}; reconnecting in ${(delay / 1000).toFixed(1)}s`)
    this.retry = setTimeout(() => this.start(), delay)
  }

  /** Exponential backoff with jitter: watchers of a restarted server do not all return at once. */
  private nextDelay(): number {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 }
    const base = Math.min(maxMs, initialMs * 2 ** this.attempt)
    this.attempt++
    return Math.round(base / 2 + (Math.random() * base) / 2)
  }
}
