// Notify-when-available: one-shot watches that tell the asker once, on every live connection of
// theirs, when a presentity becomes available in the asker's own view, then end; each expires at a
// chosen time. Decided on views only, so policy hides exactly what it hides elsewhere; app layer.
import { randomUUID } from 'node:crypto'
import { NarvaroError } from '../../core/errors.js'
import type { Party } from '../../core/policy/decide-permissions.js'
import type { View } from '../../core/policy/compute-view.js'
import type { ChangeBus, PolicyScope } from '../../ports/bus.js'
import type { Clock, TimerHandle } from '../../ports/clock.js'
import type { AskerViews } from '../watching/index.js'
import type { WatchHub } from '../watching/index.js'
import { onPolicyChanged, onPresenceChanged } from '../shared/index.js'
import { presentityNotFound } from '../../core/subscriptions/hidden-presentity.js'

export interface AvailabilityWatch {
  readonly id: string
  readonly asker: string
  readonly address: string
  readonly createdAt: number
  readonly expiresAt: number
}

/** A new watch: `notified` when the presentity was available already (told at once, ended). */
export type CreatedWatch = AvailabilityWatch & { readonly state: 'waiting' | 'notified' }

/** Open one-shot watches per asker, at most. */
const maxWatchesPerAsker = 100
const maxLifetimeMs = 7 * 86_400_000

const isAvailable = (view: View): boolean => view.availability === 'available'

export class NotifyService {
  private readonly byAddress = new Map<
    string,
    Map<string, { watch: AvailabilityWatch; asker: Party }>
  >()
  private readonly timers = new Map<string, TimerHandle>()
  private readonly unsubscribe: (() => void)[]

  constructor(
    private readonly deps: {
      readonly views: AskerViews
      readonly hub: WatchHub
      readonly bus: ChangeBus
      readonly clock: Clock
    },
  ) {
    this.unsubscribe = [
      onPresenceChanged(deps.bus, (event) => this.onChange(event.address)),
      // A policy change can make a presentity available in an asker's view with no presence change.
      onPolicyChanged(deps.bus, (scope) => this.onPolicyChange(scope)),
    ]
  }

  /**
   * Watches `address` for `asker` until it is available (then tells them once) or until `expiresAt`.
   * When the presentity is available already, the notification goes out at once and the watch comes
   * back `notified` (already ended), so the asker is told so rather than "you will be told".
   */
  async create(asker: Party, address: string, expiresAt: number): Promise<CreatedWatch> {
    const now = this.deps.clock.now()
    this.requireLifetime(expiresAt, now)
    this.requireRoom(asker.address, now)
    const [known] = await this.deps.views.load([address])
    // Unknown, and of another organization and blocking the asker, answer alike.
    if (!known || !this.deps.views.viewOf(asker, address)) {
      throw presentityNotFound(address)
    }
    const watch: AvailabilityWatch = {
      id: randomUUID(),
      asker: asker.address,
      address,
      createdAt: now,
      expiresAt,
    }
    this.open(watch, asker)
    this.onChange(address)
    const notified = !this.byAddress.get(address)?.has(watch.id)
    return { ...watch, state: notified ? 'notified' : 'waiting' }
  }

  private requireLifetime(expiresAt: number, now: number): void {
    if (expiresAt <= now || expiresAt > now + maxLifetimeMs) {
      throw new NarvaroError(
        'NRV_VALIDATION',
        'expiresAt must be in the future, at most 7 days ahead',
      )
    }
  }

  private requireRoom(askerAddress: string, now: number): void {
    const open = this.list(askerAddress)
    if (open.length >= maxWatchesPerAsker) {
      // A place frees when the first open watch expires (or sooner, when one ends otherwise).
      const retryAfterMs = Math.max(1, Math.min(...open.map((w) => w.expiresAt)) - now)
      throw new NarvaroError(
        'NRV_RATE_LIMITED',
        `at most ${maxWatchesPerAsker} open notify-when-available watches`,
        {
          details: { retryAfterMs },
        },
      )
    }
  }

  /** Keeps the watch until it is told, cancelled or, at its expiry, ended by its timer. */
  private open(watch: AvailabilityWatch, asker: Party): void {
    let watches = this.byAddress.get(watch.address)
    if (!watches) this.byAddress.set(watch.address, (watches = new Map()))
    watches.set(watch.id, { watch, asker })
    this.timers.set(
      watch.id,
      this.deps.clock.setTimer(watch.expiresAt - watch.createdAt, () => this.end(watch, 'expired')),
    )
  }

  list(askerAddress: string): AvailabilityWatch[] {
    const mine: AvailabilityWatch[] = []
    for (const watches of this.byAddress.values()) {
      for (const { watch } of watches.values()) if (watch.asker === askerAddress) mine.push(watch)
    }
    return mine.sort((a, b) => a.createdAt - b.createdAt)
  }

  cancel(askerAddress: string, id: string): void {
    const watch = this.list(askerAddress).find((w) => w.id === id)
    if (!watch) throw new NarvaroError('NRV_NOT_FOUND', `no notify-when-available watch ${id}`)
    this.end(watch, 'cancelled')
  }

  private onChange(address: string): void {
    const watches = this.byAddress.get(address)
    if (!watches) return
    for (const { watch, asker } of [...watches.values()]) {
      const current = this.deps.views.viewOf(asker, address)
      if (!current || !isAvailable(current.view)) continue
      this.end(watch, 'available')
      this.deps.hub.notifyUser(asker.address, {
        type: 'available',
        watch: watch.id,
        address,
        seq: current.seq,
        view: current.view,
      })
    }
  }

  /** Re-evaluates the watches whose asker's view a policy change can have changed. */
  private onPolicyChange(scope: PolicyScope): void {
    if (scope.kind === 'presentity') return this.onChange(scope.address)
    if (scope.kind === 'pair') return this.onChange(scope.presentity)
    const addresses = new Set<string>()
    for (const [address, watches] of this.byAddress) {
      for (const { asker } of watches.values()) {
        if (scope.kind === 'organization' || asker.address === scope.address) addresses.add(address)
      }
    }
    for (const address of addresses) this.onChange(address)
  }

  /** A removed user's watches end, and so do the watches of others on them (silently: nobody is there). */
  forgetUser(address: string): void {
    for (const watches of [...this.byAddress.values()]) {
      for (const { watch } of [...watches.values()]) {
        if (watch.asker === address || watch.address === address) this.end(watch, 'cancelled')
      }
    }
  }

  private end(watch: AvailabilityWatch, reason: 'available' | 'expired' | 'cancelled'): void {
    const watches = this.byAddress.get(watch.address)
    if (!watches?.delete(watch.id)) return
    if (watches.size === 0) this.byAddress.delete(watch.address)
    this.timers.get(watch.id)?.cancel()
    this.timers.delete(watch.id)
    if (reason === 'expired') {
      this.deps.hub.notifyUser(watch.asker, {
        type: 'notify-expired',
        watch: watch.id,
        address: watch.address,
      })
    }
  }

  close(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe()
    for (const timer of this.timers.values()) timer.cancel()
    this.timers.clear()
    this.byAddress.clear()
  }
}
