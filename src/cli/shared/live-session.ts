// One live connection of a CLI command, through the SDK's NarvaroLive (with the `ws` package as its
// WebSocket, which Node 20 lacks): the token is checked over REST first, reconnects are told on
// stderr, and the session ends on Ctrl-C, by the command, or with an error; CLI layer.
import { NarvaroLive, type WebSocketConstructor } from '@narvaro/sdk'
import { WebSocket } from 'ws'
import type { CliContext } from './cli-context.js'
import type { CliError } from './cli-error.js'
import { apiError, unreachableError } from './cli-error.js'
import type { SignalSource } from './cli-io.js'
import { waitForSignal } from './cli-io.js'
import { writeLine } from './output.js'
import { reconnectMaxMs } from './reconnect-wait.js'

export interface LiveSessionOptions {
  /** Each welcome of the server; `reconnected` is false for the first connection. */
  readonly onWelcome?: (reconnected: boolean) => void
  /** The first requests, made once the token is known to be good (they wait for the connection). */
  readonly onStart?: () => void
  /** Ctrl-C (SIGINT) or SIGTERM arrived: the session then ends normally. */
  readonly onSignal?: () => void
}

/** The session of one command: `run` resolves when it ends normally and rejects on a failure. */
export class LiveSession {
  readonly live: NarvaroLive
  private readonly done: Promise<void>
  private resolveDone!: () => void
  private rejectDone!: (error: CliError) => void
  private everLive = false
  private wasLive = false
  private finished = false

  constructor(
    private readonly context: CliContext,
    private readonly options: LiveSessionOptions = {},
  ) {
    const maxMs = reconnectMaxMs(context.io.env)
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve
      this.rejectDone = reject
    })
    this.live = new NarvaroLive({
      baseUrl: context.server,
      token: context.token(),
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      // Requests (publish, who) need the WebSocket: the read-only SSE fallback would not do.
      transport: 'websocket',
      ...(maxMs === undefined ? {} : { backoff: { maxMs } }),
    })
    this.listen()
  }

  /** Something to tell the user on stderr. */
  notice(text: string): void {
    writeLine(this.context.io.stderr, text)
  }

  private listen(): void {
    const { live } = this
    live.on('welcome', () => {
      const reconnected = this.everLive
      this.everLive = true
      this.options.onWelcome?.(reconnected)
    })
    live.on('state', ({ state, previous }) => {
      if (state === 'offline') this.wasLive = previous === 'live' || previous === 'stale'
      if (state === 'stale') this.notice('no heartbeat from the server; checking the connection')
      if (state === 'closed' && !this.finished) this.accessEnded()
    })
    live.on('reconnecting', ({ delayMs, code, reason }) => {
      if (!this.everLive)
        return this.fail(unreachableError(this.context.server, `closed with ${code}`))
      const why = this.wasLive
        ? `connection closed (${code}${reason ? ` ${reason}` : ''})`
        : `cannot connect (${code})`
      this.notice(`${why}; reconnecting in ${(delayMs / 1000).toFixed(1)}s`)
    })
    live.on('error', (message) => {
      if (message.id === undefined) this.notice(`error ${message.code}: ${message.message}`)
    })
  }

  private accessEnded(): void {
    const why = this.live.endedBecause ?? 'the server closed the session'
    this.fail(apiError('NRV_UNAUTHENTICATED', `access ended: ${why}`))
  }

  /**
   * Checks the token over REST (an error reply or no reply ends the command as for any request),
   * then connects and runs until the session ends.
   */
  async run(signals: SignalSource): Promise<void> {
    await this.context.client().me()
    const signal = waitForSignal(signals)
    void signal.received.then(() => {
      this.options.onSignal?.()
      this.stop()
    })
    this.live.connect().catch(() => undefined)
    this.options.onStart?.()
    try {
      await this.done
    } finally {
      signal.stop()
    }
  }

  /** Ends the session normally: closes the connection, or cancels a pending reconnect. */
  stop(): void {
    if (this.finished) return
    this.finished = true
    this.live.close()
    this.resolveDone()
  }

  /** Ends the session with an error (the command exits with it). */
  fail(error: CliError): void {
    if (this.finished) return
    this.finished = true
    this.live.close()
    this.rejectDone(error)
  }
}
