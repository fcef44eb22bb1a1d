// The deliveries of webhook endpoints: each enabled endpoint watches through the WatchHub as its owner
// (so policy filters it as for any watcher), gets the owner's workflow events, and delivers through its
// own outbox; failures are logged and counted, and workflow messages are kept until delivered. App layer.
import { createHash, randomUUID } from 'node:crypto'
import type { Clock } from '../../ports/clock.js'
import type { PresenceStore, User } from '../../ports/store.js'
import type { WebhookEndpoint, WebhookEventType, WebhookStore } from '../../ports/webhook-store.js'
import type { OutboundPolicy } from '../shared/index.js'
import type { ProfileDirectory } from '../directory/index.js'
import type { WatchHub, WatcherSink } from '../watching/index.js'
import type { AttemptResult, WebhookPost, WebhookTuning } from './webhook-outbox.js'
import { WebhookOutbox, defaultWebhookTuning, postWith } from './webhook-outbox.js'

/** The payload `type` of each hub message type, and the event type an endpoint must want for it. */
const payloadTypes: Readonly<Record<string, { type: string; event: WebhookEventType }>> = {
  change: { type: 'presence.changed', event: 'presence' },
  snapshot: { type: 'presence.snapshot', event: 'presence' },
  unwatched: { type: 'presence.unwatched', event: 'presence' },
  available: { type: 'notify.available', event: 'available' },
  gathering: { type: 'gathering.answered', event: 'gathering' },
  invitation: { type: 'gathering.invitation', event: 'gathering' },
}

/** How long a workflow message waits for an endpoint (restarts, a disabled endpoint) before it is dropped. */
export const maxKeptMessageAgeMs = 24 * 3_600_000

interface Live {
  endpoint: WebhookEndpoint
  /** This attachment: message ids repeat only within it (a re-attached endpoint's snapshots are new). */
  readonly attachment: string
  readonly sink: WatcherSink
  readonly outbox: WebhookOutbox
}

export class WebhookDeliveries {
  private readonly live = new Map<string, Live>()
  /** Store writes of each endpoint (delivery log, failure counts, kept messages), in order. */
  private readonly writes = new Map<string, Promise<unknown>>()
  private tuning: WebhookTuning = defaultWebhookTuning

  constructor(
    private readonly deps: {
      readonly store: WebhookStore & PresenceStore
      readonly hub: WatchHub
      readonly profiles: ProfileDirectory
      readonly clock: Clock
      readonly onError: (error: unknown) => void
      readonly post?: WebhookPost
      /** Where deliveries may connect; anywhere by default. */
      readonly outbound?: OutboundPolicy
    },
  ) {}

  /** Changes retry, timeout and disabling limits (operators and tests). */
  setTuning(tuning: Partial<WebhookTuning>): void {
    this.tuning = { ...this.tuning, ...tuning }
  }

  /** The endpoint changed in the store without a new attachment (a rotated secret). */
  replaced(endpoint: WebhookEndpoint): void {
    const live = this.live.get(endpoint.id)
    if (live) live.endpoint = endpoint
  }

  /** Whether endpoint `id` is delivered here now. */
  has(id: string): boolean {
    return this.live.has(id)
  }

  /** Waits for the endpoint's pending store writes. */
  async settled(id: string): Promise<void> {
    await this.writes.get(id)
  }

  /** The endpoint was deleted: its writes are no longer waited for. */
  forget(id: string): void {
    this.writes.delete(id)
  }

  /** Starts delivering to an endpoint as its owner: kept workflow messages first, then live ones. */
  async attach(endpoint: WebhookEndpoint, owner: User): Promise<void> {
    const outbox = new WebhookOutbox({
      url: () => live.endpoint.url,
      secrets: () => this.secretsOf(live.endpoint),
      nowSeconds: () => Math.floor(this.deps.clock.now() / 1000),
      tuning: () => this.tuning,
      post: this.deps.post ?? postWith(this.deps.outbound?.fetch),
      onAttempt: (result) => this.onAttempt(live, result),
    })
    const sink: WatcherSink = {
      watcher: { address: owner.address, organizationId: owner.organizationId },
      send: (message, key, seq) => this.onMessage(live, { message, key, seq }),
    }
    const live: Live = { endpoint, attachment: randomUUID(), sink, outbox }
    this.detach(endpoint.id)
    this.live.set(endpoint.id, live)
    // A later attachment or a detach while this one waits on the store ends this one.
    const current = () => this.live.get(endpoint.id) === live
    // Before new workflow messages can arrive: a newer one must replace a kept one, not the reverse.
    await this.resumeKept(live)
    if (!current()) return
    if (endpoint.events.some((e) => e !== 'presence')) this.deps.hub.attachUser(sink)
    if (!endpoint.events.includes('presence')) return
    for (const address of endpoint.addresses) {
      const known = await this.deps.profiles.ensure(address)
      if (known && current()) this.deps.hub.watch(sink, address)
    }
  }

  /**
   * Queues the workflow messages kept from before a restart (or while the endpoint was disabled),
   * with their own ids; those older than `maxKeptMessageAgeMs` are dropped instead.
   */
  private async resumeKept(live: Live): Promise<void> {
    const { id } = live.endpoint
    const now = this.deps.clock.now()
    for (const kept of await this.deps.store.listWebhookMessages(id)) {
      const { key, type, body } = kept
      if (now - kept.createdAt <= maxKeptMessageAgeMs)
        live.outbox.enqueue({ id: kept.id, key, type, body })
      else this.write(live, () => this.deps.store.deleteWebhookMessage(id, kept.id))
    }
  }

  /** The owner was removed: their endpoints stop at once (the store deletes them with the user). */
  ownerRemoved(address: string): void {
    for (const [id, live] of [...this.live])
      if (live.sink.watcher.address === address) this.detach(id)
  }

  /** Stops delivering to an endpoint (what waits in memory is dropped; kept messages stay). */
  detach(id: string): void {
    const live = this.live.get(id)
    if (!live) return
    this.live.delete(id)
    this.deps.hub.detach(live.sink)
    live.outbox.close()
  }

  private secretsOf(endpoint: WebhookEndpoint): string[] {
    const previous = endpoint.previousSecret
    const stillValid = (endpoint.previousSecretExpiresAt ?? 0) > this.deps.clock.now()
    return previous !== undefined && stillValid ? [endpoint.secret, previous] : [endpoint.secret]
  }

  /** From the hub: one serialized message, shared with every watcher of the same view. */
  private onMessage(live: Live, args: { message: string; key: string; seq: number }): void {
    const { message, key, seq } = args
    const hubType = (JSON.parse(message) as { type?: unknown }).type
    const payload = typeof hubType === 'string' ? payloadTypes[hubType] : undefined
    if (!payload || !live.endpoint.events.includes(payload.event)) return
    const idSource =
      seq > 0
        ? `${live.attachment}\n${live.endpoint.id}\n${key}\n${seq}\n${String(hubType)}`
        : randomUUID()
    const id = `msg_${createHash('sha256').update(idSource).digest('base64url').slice(0, 24)}`
    const timestamp = new Date(this.deps.clock.now()).toISOString()
    const body = `{"type":"${payload.type}","timestamp":"${timestamp}","data":${message}}`
    const outgoing = { id, key, type: payload.type, body }
    // Presence is sent afresh after a restart; a workflow event is kept until it is delivered.
    if (payload.event !== 'presence') {
      const pending = {
        ...outgoing,
        endpointId: live.endpoint.id,
        createdAt: this.deps.clock.now(),
      }
      this.write(live, () =>
        this.deps.store
          .saveWebhookMessage(pending)
          .catch(async (error: unknown) => this.unlessGone(live.endpoint.id, error)),
      )
    }
    live.outbox.enqueue(outgoing)
  }

  private onAttempt(live: Live, result: AttemptResult): void {
    const now = this.deps.clock.now()
    const { id: endpointId } = live.endpoint
    this.write(live, () =>
      this.deps.store
        .appendWebhookDelivery(
          {
            endpointId,
            messageId: result.message.id,
            eventType: result.message.type,
            attempt: result.attempt,
            ...(result.statusCode === undefined ? {} : { statusCode: result.statusCode }),
            ...(result.error === undefined ? {} : { error: result.error }),
            durationMs: result.durationMs,
            at: now,
          },
          this.tuning.logKeep,
        )
        .catch(async (error: unknown) => this.unlessGone(endpointId, error)),
    )
    const done = result.ok || result.attempt >= this.tuning.maxAttempts
    if (done && !result.message.type.startsWith('presence.')) {
      this.write(live, () => this.deps.store.deleteWebhookMessage(endpointId, result.message.id))
    }
    if (result.ok) {
      if (live.endpoint.failureCount === 0) return
      live.endpoint = { ...live.endpoint, failureCount: 0 }
      this.write(live, () =>
        this.deps.store.updateWebhook(endpointId, { failureCount: 0, clear: ['firstFailureAt'] }),
      )
      return
    }
    this.onFailure(live, result, now)
  }

  private onFailure(live: Live, result: AttemptResult, now: number): void {
    const failureCount = live.endpoint.failureCount + 1
    const firstFailureAt = live.endpoint.firstFailureAt ?? now
    live.endpoint = { ...live.endpoint, failureCount, firstFailureAt }
    const { id } = live.endpoint
    const tooMany = failureCount >= this.tuning.disableAfterFailures
    if (!tooMany && now - firstFailureAt < this.tuning.disableAfterMs) {
      this.write(live, () => this.deps.store.updateWebhook(id, { failureCount, firstFailureAt }))
      return
    }
    const last = result.statusCode === undefined ? result.error : `HTTP ${result.statusCode}`
    const disabledReason = tooMany
      ? `disabled after ${failureCount} consecutive failed deliveries (last: ${last})`
      : `disabled after failing for ${Math.round((now - firstFailureAt) / 3_600_000)} h (last: ${last})`
    this.detach(id)
    this.write(live, () =>
      this.deps.store.updateWebhook(id, {
        failureCount,
        firstFailureAt,
        enabled: false,
        disabledReason,
        updatedAt: now,
      }),
    )
  }

  /**
   * The log of an endpoint that is gone (its owner was removed, which deletes it in the store)
   * cannot be written: stop it instead of failing on every delivery.
   */
  private async unlessGone(id: string, error: unknown): Promise<void> {
    if ((await this.deps.store.getWebhook(id)) !== undefined) throw error
    this.detach(id)
  }

  private write(live: Live, work: () => Promise<unknown>): void {
    const id = live.endpoint.id
    const next = (this.writes.get(id) ?? Promise.resolve()).then(work).catch(this.deps.onError)
    this.writes.set(id, next)
    void next.then(() => {
      if (this.writes.get(id) === next) this.writes.delete(id)
    })
  }

  /** Endpoints delivering now, for metrics. */
  get liveEndpoints(): number {
    return this.live.size
  }

  /** Stops every endpoint's deliveries (shutdown) and waits for the delivery log. */
  async close(): Promise<void> {
    for (const id of [...this.live.keys()]) this.detach(id)
    await Promise.all(this.writes.values())
  }
}
