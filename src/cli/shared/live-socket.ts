// One long-lived WebSocket to `/v1/ws` (protocol narvaro.v1) shared by `watch`, `connect` and
// `watchers --live`: refusals, a heartbeat watchdog and reconnects with backoff; CLI layer.
import { WebSocket } from 'ws'
import type { RawData } from 'ws'
import type { CliError } from './cli-error.js'
import { apiError, networkReason, unreachableError } from './cli-error.js'
import type { SignalSource } from './cli-io.js'
import { waitForSignal } from './cli-io.js'

/** A message from the server: a JSON object with a `type`. */
export type ServerMessage = Record<string, unknown> & { type?: unknown }

export interface LiveSocketOptions {
  /** The server's http(s) base URL. */
  readonly server: string
  readonly token: string
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number }
}

/** What a client of the protocol does with its connection. */
export interface LiveHandler {
  /** The server greeted a connection; `reconnected` is false for the first one. */
  onWelcome(welcome: ServerMessage, reconnected: boolean): void
  /** Every other message. */
  onMessage(message: ServerMessage): void
  /** Something to tell the user on stderr: reconnecting, a silent server. */
  onNotice(text: string): void
}

const wsUrlOf = (server: string): string => server.replace(/^http/, 'ws') + '/v1/ws'

const textOf = (data: RawData): string =>
  Array.isArray(data)
    ? Buffer.concat(data).toString('utf8')
    : Buffer.from(data as ArrayBuffer).toString('utf8')

/** `{code, message}` of a refused upgrade, from its JSON body or its status. */
const refusalOf = (status: number, body: string): { code: string; message: string } => {
  let reply: { code?: unknown; message?: unknown } = {}
  try {
    reply = JSON.parse(body) as typeof reply
  } catch {
    // not JSON: the status says enough
  }
  return {
    code: typeof reply.code === 'string' ? reply.code : `HTTP_${status}`,
    message: typeof reply.message === 'string' ? reply.message : `the server answered ${status}`,
  }
}

export class LiveSocket {
  /** Settles when the session ends: resolved by `stop`, rejected by a failure. */
  readonly done: Promise<void>
  private resolveDone!: () => void
  private rejectDone!: (error: CliError) => void
  private socket: WebSocket | undefined
  private attempt = 0
  private connected = false
  private everConnected = false
  private finished = false
  private lastError = ''
  private watchdog: NodeJS.Timeout | undefined
  private retry: NodeJS.Timeout | undefined
  private heartbeatMs = 30_000

  constructor(
    private readonly options: LiveSocketOptions,
    private readonly handler: LiveHandler,
  ) {
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

  /** Runs the session until it ends or `signals` bring SIGINT/SIGTERM (which stop it normally). */
  async runUntilDone(signals: SignalSource): Promise<void> {
    const signal = waitForSignal(signals)
    void signal.received.then(() => this.stop())
    this.start()
    try {
      await this.done
    } finally {
      signal.stop()
    }
  }

  /** Sends one client message on the open connection (dropped while reconnecting). */
  send(message: Record<string, unknown>): void {
    if (this.connected) this.socket?.send(JSON.stringify(message))
  }

  /** Ends the session: closes the connection normally, or cancels a pending reconnect. */
  stop(): void {
    if (this.finished) return
    this.end()
    this.socket?.close(1000)
    this.resolveDone()
  }

  /** Ends the session with an error (the command exits with it). */
  fail(error: CliError): void {
    if (this.finished) return
    this.end()
    this.socket?.terminate()
    this.rejectDone(error)
  }

  private end(): void {
    this.finished = true
    clearTimeout(this.watchdog)
    clearTimeout(this.retry)
  }

  /** The upgrade got an HTTP error: bad credentials end the session; 429 and 5xx retry. */
  private refused(socket: WebSocket, status: number, body: string): void {
    const { code, message } = refusalOf(status, body)
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
        this.handler.onNotice('no heartbeat from the server')
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
      return this.handler.onNotice('ignored a message that is not JSON')
    }
    if (message.type !== 'welcome') return this.handler.onMessage(message)
    const reconnected = this.everConnected
    this.connected = true
    this.everConnected = true
    this.attempt = 0
    const heartbeatMs = message['heartbeatMs']
    this.armWatchdog(typeof heartbeatMs === 'number' ? heartbeatMs : undefined)
    this.handler.onWelcome(message, reconnected)
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
    this.handler.onNotice(`${why}; reconnecting in ${(delay / 1000).toFixed(1)}s`)
    this.retry = setTimeout(() => this.start(), delay)
  }

  /** Exponential backoff with jitter: clients of a restarted server do not all return at once. */
  private nextDelay(): number {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 }
    const base = Math.min(maxMs, initialMs * 2 ** this.attempt)
    this.attempt++
    return Math.round(base / 2 + (Math.random() * base) / 2)
  }
}
