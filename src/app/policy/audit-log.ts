// The audit log: policy and rule changes and disclosures of details, queued in memory and written
// in batches off the notification path; old events are pruned after the retention period; app layer.
import type { View } from '../../core/policy/compute-view.js'
import type { Clock, TimerHandle } from '../../ports/clock.js'
import type { AuditEvent, PolicyStore } from '../../ports/policy-store.js'

const flushEveryMs = 1000
const maxQueued = 2000
const pruneEveryMs = 3_600_000
const maxRemembered = 100_000

export class AuditLog {
  private queue: AuditEvent[] = []
  private timer: TimerHandle | undefined
  private pruneTimer: TimerHandle | undefined
  private flushing: Promise<void> = Promise.resolve()
  /**
   * What was last disclosed to each watcher of each subject, so a watcher that reconnects is not
   * recorded again for the same details; bounded (the oldest entries are forgotten first).
   */
  private readonly disclosed = new Map<string, string>()

  constructor(
    private readonly store: PolicyStore,
    private readonly clock: Clock,
    private readonly options: { retentionMs: number; onError: (error: unknown) => void },
  ) {}

  record(event: AuditEvent): void {
    this.queue.push(event)
    if (this.queue.length >= maxQueued) void this.flush()
    else this.timer ??= this.clock.setTimer(flushEveryMs, () => void this.flush())
  }

  /**
   * Records an account or administrative action (`action` names it, e.g. `user.removed`); `data`
   * never holds a secret (no password, no token secret).
   */
  action(
    kind: 'account' | 'admin',
    event: {
      organizationId: string
      actor: string
      action: string
      subject?: string
      data?: Readonly<Record<string, unknown>>
    },
  ): void {
    this.record({
      organizationId: event.organizationId,
      kind,
      at: this.clock.now(),
      actorAddress: event.actor,
      ...(event.subject ? { subjectAddress: event.subject } : {}),
      data: { action: event.action, ...event.data },
    })
  }

  /** Records that `watcher` received `details` of `subject`, once per distinct set of details. */
  disclosure(
    organizationId: string,
    watcher: string,
    subject: string,
    details: readonly string[],
  ): void {
    // Most views disclose nothing: nothing is made for them (a reconnect joins thousands).
    if (details.length === 0) return
    const key = `${watcher}\n${subject}`
    const value = details.join(',')
    if (this.disclosed.get(key) === value) return
    this.disclosed.delete(key)
    if (this.disclosed.size >= maxRemembered)
      this.disclosed.delete(this.disclosed.keys().next().value!)
    this.disclosed.set(key, value)
    this.record({
      organizationId,
      kind: 'disclosure',
      at: this.clock.now(),
      actorAddress: watcher,
      subjectAddress: subject,
      data: { details },
    })
  }

  /** Writes what is queued; the next flush waits for this one, so order is kept. */
  flush(): Promise<void> {
    this.timer?.cancel()
    this.timer = undefined
    const batch = this.queue
    this.queue = []
    if (batch.length === 0) return this.flushing
    this.flushing = this.flushing
      .then(() => this.store.appendAudit(batch))
      .catch((error: unknown) => this.options.onError(error))
    return this.flushing
  }

  /** Deletes events older than the retention period now, and then every hour. */
  startPruning(): void {
    const prune = () => {
      this.store.pruneAudit(this.clock.now() - this.options.retentionMs).catch(this.options.onError)
      this.pruneTimer = this.clock.setTimer(pruneEveryMs, prune)
    }
    prune()
  }

  async stop(): Promise<void> {
    this.pruneTimer?.cancel()
    await this.flush()
  }
}

/** What a view that shows neither contact methods nor a location discloses: one shared array. */
const noDetails: readonly string[] = Object.freeze([])

/**
 * The details of a view that are audited when disclosed: contact methods and location (most views
 * show neither, and share one empty array: a who index keeps one per member and answer).
 */
export const disclosedDetails = (view: View): readonly string[] => {
  const location = view.location
  if (!location && (view.contactMethods ?? []).length === 0) return noDetails
  const details = (view.contactMethods ?? []).map(
    (m) => `contact:${m.kind}:${m.scope}:${m.address}`,
  )
  if (location) {
    const granularity =
      location.latitude !== undefined ? 'exact' : location.city !== undefined ? 'city' : 'country'
    details.push(`location:${granularity}`)
  }
  return details.sort()
}
