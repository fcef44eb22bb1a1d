// The scheduler: turns scheduled publications (schedule entries, calendars) into engine publications
// at their start; they end by the engine's own expiry. Durable, so what fell due while the server was
// down is applied at start; app layer.
import { sameData } from '../../core/model/canonical-json.js'
import type { Publication } from '../../core/model/presence-model.js'
import type { Clock } from '../../ports/clock.js'
import type { ScheduleStore, ScheduledPublication } from '../../ports/schedule-store.js'
import type { PresenceStore } from '../../ports/store.js'
import type { PresenceEngine } from '../presence/index.js'
import type { ProfileDirectory } from '../directory/index.js'
import { TimerQueue } from '../shared/index.js'

/** How far ahead starts are held in memory; the rest is read again from the store in time. */
const horizonMs = 60 * 60_000
/** Ended scheduled publications are kept this long (free/busy of the recent past), then pruned. */
const keepEndedMs = 24 * 60 * 60_000

const keyOf = (item: ScheduledPublication) => `${item.owner}\n${item.sourceId}\n${item.startsAt}`

export class Scheduler {
  private readonly queue: TimerQueue
  /** The sources each owner has published and not yet seen end, by address. */
  private readonly published = new Map<string, Map<string, string>>()
  /** The queue keys of each owner's upcoming starts. */
  private readonly upcoming = new Map<string, Set<string>>()

  constructor(
    private readonly deps: {
      readonly store: ScheduleStore & PresenceStore
      readonly engine: PresenceEngine
      readonly profiles: ProfileDirectory
      readonly clock: Clock
      readonly onError: (error: unknown) => void
    },
  ) {
    this.queue = new TimerQueue(deps.clock, deps.onError)
  }

  /** Applies what is live now (also what fell due while the server was down) and arms what comes. */
  async start(): Promise<number> {
    const now = this.deps.clock.now()
    await this.deps.store.pruneScheduledPublications(now - keepEndedMs)
    const applied = await this.load(now)
    this.armReload(now)
    return applied
  }

  stop(): void {
    this.queue.stop()
  }

  /** Replaces everything `owner` has planned, and applies the change to live presence at once. */
  async replace(owner: string, items: readonly ScheduledPublication[]): Promise<void> {
    await this.deps.store.replaceScheduledPublications(owner, items)
    for (const key of this.upcoming.get(owner) ?? []) this.queue.cancel(key)
    this.upcoming.delete(owner)
    const now = this.deps.clock.now()
    const live = items.filter((item) => item.startsAt <= now && item.endsAt > now)
    const keep = new Set(live.map((item) => item.sourceId))
    for (const [sourceId, address] of this.published.get(owner) ?? []) {
      if (keep.has(sourceId)) continue
      this.published.get(owner)?.delete(sourceId)
      if (this.deps.engine.publicationOf(address, sourceId))
        this.deps.engine.retract(address, sourceId)
    }
    for (const item of items) await this.plan(item)
  }

  private async load(now: number): Promise<number> {
    const items = await this.deps.store.listScheduledPublications({
      from: now,
      to: now + horizonMs,
    })
    let applied = 0
    for (const item of items) if (await this.plan(item)) applied += 1
    return applied
  }

  /**
   * Half a horizon after the last load began, the starts of the next horizon are read from the
   * store: counted from that load, not from when it ended, so a late timer (a stalled event loop,
   * a test clock moved by hours) is followed at once by a load of what it missed.
   */
  private armReload(loadedFrom: number): void {
    this.queue.schedule('reload', loadedFrom + horizonMs / 2, () => {
      const from = this.deps.clock.now()
      this.load(from)
        .then(() => this.deps.store.pruneScheduledPublications(this.deps.clock.now() - keepEndedMs))
        .catch(this.deps.onError)
        .finally(() => this.armReload(from))
    })
  }

  /** Publishes an item live now; queues one starting within the horizon. True when published. */
  private async plan(item: ScheduledPublication): Promise<boolean> {
    // The time now, not when the caller started: reading the store may have taken a while.
    const now = this.deps.clock.now()
    if (item.endsAt <= now || item.startsAt >= now + horizonMs) return false
    if (item.startsAt > now) {
      const key = keyOf(item)
      if (this.queue.has(key)) return false
      let keys = this.upcoming.get(item.owner)
      if (!keys) this.upcoming.set(item.owner, (keys = new Set()))
      keys.add(key)
      this.queue.schedule(key, item.startsAt, () => {
        this.upcoming.get(item.owner)?.delete(key)
        this.apply(item).catch(this.deps.onError)
      })
      return false
    }
    return this.apply(item)
  }

  private async apply(item: ScheduledPublication): Promise<boolean> {
    const address = await this.addressOf(item.userId)
    if (address === undefined || item.endsAt <= this.deps.clock.now()) return false
    const publication: Publication = {
      source: { id: item.sourceId, kind: item.sourceKind },
      state: item.state,
      publishedAt: item.startsAt,
      expiresAt: item.endsAt,
    }
    const current = this.deps.engine.publicationOf(address, item.sourceId)
    if (current && current.expiresAt === item.endsAt && sameData(current.state, item.state))
      return false
    this.deps.engine.publish(address, publication)
    let sources = this.published.get(item.owner)
    if (!sources) this.published.set(item.owner, (sources = new Map()))
    sources.set(item.sourceId, address)
    return true
  }

  private async addressOf(userId: string): Promise<string | undefined> {
    const known = this.deps.profiles.addressOf(userId)
    if (known !== undefined) return known
    const user = await this.deps.store.getUser(userId)
    if (!user) return undefined
    await this.deps.profiles.refresh(user)
    return user.address
  }
}
