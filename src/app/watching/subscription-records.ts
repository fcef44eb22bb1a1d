// Watchers' subscriptions, read and written through one place: the store keeps them, and the active
// ones of each watcher read lately are held here too (the presentities' own address strings, sorted),
// so that a real-time client subscribing again to what it already holds (a reconnect) does not read
// the store. Every write drops or updates the watcher's entry here at once and, on the other nodes
// of a cluster, through the change channel's `subscriptions-changed`; a removed user empties it all;
// an entry is read again after `maxAgeMs` in any case. App layer.
import { randomUUID } from 'node:crypto'
import type { Subscription } from '../../core/subscriptions/subscription.js'
import type { BusEvent, ChangeBus } from '../../ports/bus.js'
import type { Clock } from '../../ports/clock.js'
import type { NewSubscription, PresenceStore } from '../../ports/store.js'
import type { ProfileDirectory } from '../directory/index.js'
import { HeldMap, type Held, type HeldMapLimits } from '../shared/index.js'

/** Watchers held at most (the oldest cached goes first), and for how long. */
export type SubscriptionRecordsLimits = HeldMapLimits

export const defaultSubscriptionRecordsLimits: SubscriptionRecordsLimits = {
  maxEntries: 100_000,
  maxAgeMs: 10 * 60_000,
}

/** Addresses of the presentities a watcher subscribed to actively, sorted. */
type Active = readonly string[]

export interface SubscriptionRecordsDeps {
  readonly store: PresenceStore
  readonly bus: ChangeBus
  readonly clock: Clock
  readonly profiles: ProfileDirectory
  readonly limits?: SubscriptionRecordsLimits
}

export class SubscriptionRecords {
  /** Watcher id → the active subscriptions read or written last. */
  private readonly byWatcher: HeldMap<string, Active>
  private readonly unsubscribe: () => void
  /** Names this holder's own `subscriptions-changed` events, which it applied as it wrote. */
  private readonly id = randomUUID()

  constructor(private readonly deps: SubscriptionRecordsDeps) {
    this.byWatcher = new HeldMap(deps.limits ?? defaultSubscriptionRecordsLimits)
    this.unsubscribe = deps.bus.subscribe((event) => this.follow(event))
  }

  stop(): void {
    this.unsubscribe()
    this.clear()
  }

  /**
   * Whether the watcher's held entry says every one of `addresses` (normalized) is subscribed
   * actively; false when there is no young entry or one of them is not in it (or not an address).
   */
  allActive(watcherId: string, addresses: readonly unknown[]): boolean {
    const active = this.byWatcher.get(watcherId, this.deps.clock.now())
    if (!active) return false
    return addresses.every((address) => typeof address === 'string' && includes(active, address))
  }

  /** The watcher's subscriptions, from the store; held afterwards unless a write overlapped the read. */
  list(watcherId: string): Promise<readonly Subscription[]> {
    return this.byWatcher.readThrough(
      watcherId,
      this.deps.clock.now(),
      () => this.deps.store.listSubscriptionsOf(watcherId),
      (subscriptions) => this.held(activeOf(subscriptions)),
    )
  }

  async put(input: NewSubscription): Promise<Subscription> {
    return (await this.putMany([input]))[0]!
  }

  /** Many subscriptions of one watcher in one transaction (the store's `putSubscriptions`). */
  async putMany(inputs: readonly NewSubscription[]): Promise<readonly Subscription[]> {
    if (inputs.length === 0) return []
    const watcherId = inputs[0]!.watcherId
    if (inputs.some((input) => input.watcherId !== watcherId))
      throw new Error('putMany takes the subscriptions of one watcher')
    const before = this.startWrite(watcherId)
    const stored = await this.deps.store.putSubscriptions(inputs)
    this.endWrite(watcherId, before, (active) => {
      const next = new Set(active)
      for (const s of stored) {
        if (s.state === 'active') next.add(s.presentityAddress)
        else next.delete(s.presentityAddress)
      }
      return [...next]
    })
    return stored
  }

  async delete(watcherId: string, presentityId: string): Promise<boolean> {
    const before = this.startWrite(watcherId)
    const address = this.deps.profiles.addressOf(presentityId)
    const removed = await this.deps.store.deleteSubscription(watcherId, presentityId)
    this.endWrite(watcherId, before, (active) =>
      address === undefined ? undefined : active.filter((a) => a !== address),
    )
    return removed
  }

  listWatchersOf(presentityId: string): Promise<readonly Subscription[]> {
    return this.deps.store.listWatchersOf(presentityId)
  }

  clear(): void {
    this.byWatcher.clear()
  }

  /** A write begins: reads in flight are not held; what is held now, to update after the write. */
  private startWrite(watcherId: string): Held<Active> | undefined {
    this.byWatcher.voidReads(watcherId)
    return this.byWatcher.heldFor(watcherId)
  }

  /**
   * A write ended: the entry held when it began is updated by `apply` (undefined: dropped), unless
   * something else changed it meanwhile; the other nodes drop theirs.
   */
  private endWrite(
    watcherId: string,
    before: Held<Active> | undefined,
    apply: (active: Active) => readonly string[] | undefined,
  ): void {
    this.byWatcher.voidReads(watcherId)
    const current = this.byWatcher.heldFor(watcherId)
    const next = before && current === before ? apply(before.value) : undefined
    // Updated, it keeps the age of the read it came from: `maxAgeMs` bounds that read.
    if (next) this.byWatcher.set(watcherId, this.held(next), before!.heldAt)
    else this.byWatcher.drop(watcherId)
    void this.deps.bus
      .publish({ type: 'subscriptions-changed', watcherId, origin: this.id })
      // Unheard, the other nodes read the list again after `maxAgeMs`; what a watcher sees is
      // decided by policy at every watch, not by this list.
      .catch(() => undefined)
  }

  /**
   * The list held for these addresses: sorted, of the profiles' own strings, which the hub and the
   * directory hold already, not a copy per watcher.
   */
  private held(addresses: readonly string[]): Active {
    return addresses.map((a) => this.deps.profiles.get(a)?.address ?? a).sort(compare)
  }

  private follow(event: BusEvent): void {
    if (event.type === 'subscriptions-changed') {
      if (event.origin !== this.id) this.byWatcher.drop(event.watcherId)
    } else if (event.type === 'access-ended' && event.reason === 'user-removed') {
      // Their subscriptions, and everyone's to them, went with them; rare enough to start over.
      this.clear()
    }
  }
}

const activeOf = (subscriptions: readonly Subscription[]): string[] =>
  subscriptions.filter((s) => s.state === 'active').map((s) => s.presentityAddress)

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Binary search in a sorted array of addresses. */
const includes = (sorted: readonly string[], address: string): boolean => {
  let low = 0
  let high = sorted.length - 1
  while (low <= high) {
    const middle = (low + high) >>> 1
    const value = sorted[middle]!
    if (value === address) return true
    if (value < address) low = middle + 1
    else high = middle - 1
  }
  return false
}
