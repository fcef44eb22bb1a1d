// The delivery queue of one webhook endpoint, in memory: the latest message per presentity wins while
// the receiver is slow, failed attempts are retried with exponential backoff and jitter, at most a few
// requests are open at once, and each has a timeout; nobody waits for it. App layer.
import type { Fetcher } from '../shared/index.js'
import { webhookHeaders } from './webhook-signature.js'

export interface WebhookTuning {
  /** The first retry's delay; each next one doubles, up to `retryCapMs`. */
  readonly retryBaseMs: number
  readonly retryCapMs: number
  /** Attempts of one message before it is given up (a newer one about the same thing replaces it anyway). */
  readonly maxAttempts: number
  readonly timeoutMs: number
  readonly maxConcurrent: number
  /** Consecutive failed attempts after which the endpoint is disabled. */
  readonly disableAfterFailures: number
  /** Or how long a run of failures may last. */
  readonly disableAfterMs: number
  /** Attempts kept in each endpoint's delivery log. */
  readonly logKeep: number
}

export const defaultWebhookTuning: WebhookTuning = {
  retryBaseMs: 1_000,
  retryCapMs: 5 * 60_000,
  maxAttempts: 10,
  timeoutMs: 10_000,
  maxConcurrent: 2,
  disableAfterFailures: 20,
  disableAfterMs: 24 * 3_600_000,
  logKeep: 100,
}

/** The delay before attempt `attempt + 1`: base·2^(attempt−1), capped, times a jitter of 0.75–1.25. */
export const backoffMs = (
  attempt: number,
  tuning: WebhookTuning,
  random: () => number = Math.random,
): number =>
  Math.min(tuning.retryBaseMs * 2 ** Math.max(0, attempt - 1), tuning.retryCapMs) *
  (0.75 + random() / 2)

export interface OutgoingMessage {
  /** The `webhook-id`: the same on every attempt, so that receivers can drop duplicates. */
  readonly id: string
  /** The coalescing key: a newer message with the same key replaces one still waiting. */
  readonly key: string
  readonly type: string
  readonly body: string
}

export interface AttemptResult {
  readonly message: OutgoingMessage
  readonly attempt: number
  readonly ok: boolean
  readonly statusCode?: number
  readonly error?: string
  readonly durationMs: number
}

/** Posts one request; resolves with the HTTP status. */
export type WebhookPost = (request: {
  url: string
  headers: Record<string, string>
  body: string
  signal: AbortSignal
}) => Promise<number>

/** Posts with `fetcher` (the server's OutboundPolicy.fetch, where it may connect), or global fetch. */
export const postWith =
  (fetcher: Fetcher = fetch): WebhookPost =>
  async ({ url, headers, body, signal }) => {
    const init: RequestInit = { method: 'POST', headers, body, signal, redirect: 'manual' }
    const response = await fetcher(new URL(url), init)
    await response.body?.cancel()
    return response.status
  }

interface Waiting extends OutgoingMessage {
  attempt: number
  /** `performance.now()` before which it is not sent (backoff). */
  notBefore: number
}

const maxRememberedIds = 1_000

export class WebhookOutbox {
  private readonly pending = new Map<string, Waiting>()
  private readonly inFlight = new Map<string, AbortController>()
  private readonly recentIds = new Set<string>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private closed = false
  /** Messages replaced by a newer one before they were sent. */
  coalesced = 0

  constructor(
    private readonly options: {
      readonly url: () => string
      readonly secrets: () => readonly string[]
      /** Seconds since the epoch, for `webhook-timestamp`. */
      readonly nowSeconds: () => number
      readonly tuning: () => WebhookTuning
      readonly post: WebhookPost
      readonly onAttempt: (result: AttemptResult) => void
    },
  ) {}

  /** Queues a message; one already queued or sent with the same id is dropped (deduplication). */
  enqueue(message: OutgoingMessage): void {
    if (this.closed || this.recentIds.has(message.id)) return
    this.remember(message.id)
    const previous = this.pending.get(message.key)
    if (previous) {
      this.pending.delete(message.key)
      this.coalesced++
    }
    this.pending.set(message.key, { ...message, attempt: 1, notBefore: previous?.notBefore ?? 0 })
    this.pump()
  }

  private remember(id: string): void {
    if (this.recentIds.size >= maxRememberedIds)
      this.recentIds.delete(this.recentIds.values().next().value!)
    this.recentIds.add(id)
  }

  /** Messages waiting (not in flight). */
  get waiting(): number {
    return this.pending.size
  }

  private pump(): void {
    if (this.closed) return
    const now = performance.now()
    let nextAt = Infinity
    for (const message of [...this.pending.values()]) {
      if (this.inFlight.size >= this.options.tuning().maxConcurrent) return
      if (this.inFlight.has(message.key)) continue
      if (message.notBefore > now) {
        nextAt = Math.min(nextAt, message.notBefore)
        continue
      }
      this.pending.delete(message.key)
      this.send(message)
    }
    clearTimeout(this.timer)
    this.timer = undefined
    if (nextAt !== Infinity) {
      this.timer = setTimeout(() => {
        this.timer = undefined
        this.pump()
      }, nextAt - now)
    }
  }

  private send(message: Waiting): void {
    const controller = new AbortController()
    this.inFlight.set(message.key, controller)
    const tuning = this.options.tuning()
    const timeout = setTimeout(
      () => controller.abort(new Error(`no answer within ${tuning.timeoutMs} ms`)),
      tuning.timeoutMs,
    )
    const started = performance.now()
    const headers = webhookHeaders({
      id: message.id,
      timestamp: this.options.nowSeconds(),
      body: message.body,
      secrets: this.options.secrets(),
    })
    this.options
      .post({ url: this.options.url(), headers, body: message.body, signal: controller.signal })
      .then(
        (statusCode) =>
          this.settle(message, {
            ok: statusCode >= 200 && statusCode < 300,
            statusCode,
            durationMs: performance.now() - started,
          }),
        (error: unknown) =>
          this.settle(message, {
            ok: false,
            error: reasonOf(error, controller.signal),
            durationMs: performance.now() - started,
          }),
      )
      .finally(() => {
        clearTimeout(timeout)
        if (this.inFlight.get(message.key) === controller) this.inFlight.delete(message.key)
        this.pump()
      })
  }

  private settle(message: Waiting, outcome: Omit<AttemptResult, 'message' | 'attempt'>): void {
    if (this.closed) return
    const { id, key, type, body } = message
    this.options.onAttempt({
      message: { id, key, type, body },
      attempt: message.attempt,
      ...outcome,
    })
    if (outcome.ok || this.closed) return
    const tuning = this.options.tuning()
    const notBefore = performance.now() + backoffMs(message.attempt, tuning)
    const newer = this.pending.get(key)
    if (newer) newer.notBefore = Math.max(newer.notBefore, notBefore)
    else if (message.attempt < tuning.maxAttempts)
      this.pending.set(key, { ...message, attempt: message.attempt + 1, notBefore })
  }

  /** Stops everything: open requests are aborted, nothing more is sent. */
  close(): void {
    this.closed = true
    clearTimeout(this.timer)
    this.pending.clear()
    for (const controller of this.inFlight.values()) controller.abort(new Error('endpoint closed'))
    this.inFlight.clear()
  }
}

const reasonOf = (error: unknown, signal: AbortSignal): string => {
  if (signal.aborted && signal.reason instanceof Error) return signal.reason.message
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message
  }
  return String(error)
}
