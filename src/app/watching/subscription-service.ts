// Subscriptions and views of others: policy decides, through the core, who may watch and what they see;
// app layer.
import { NarvaroError } from '../../core/errors.js'
import { normalizeAddress } from '../../core/model/address.js'
import type { Permissions } from '../../core/policy/permissions.js'
import type { Profile } from '../../core/model/presence-model.js'
import type { View } from '../../core/policy/compute-view.js'
import { computeView } from '../../core/policy/compute-view.js'
import type { Subscription, SubscriptionState } from '../../core/subscriptions/subscription.js'
import { decideSubscription, requestedState } from '../../core/subscriptions/subscription.js'
import type { Clock } from '../../ports/clock.js'
import type { NewSubscription, PresenceStore, User } from '../../ports/store.js'
import type { AuditLog } from '../policy/index.js'
import { disclosedDetails } from '../policy/index.js'
import type { PolicyDirectory } from '../policy/index.js'
import type { PresenceEngine } from '../presence/index.js'
import type { ProfileDirectory } from '../directory/index.js'
import type { RateLimiter } from '../shared/index.js'
import type { WatchHub } from './watch-hub.js'
import type { SubscriptionRecords } from './subscription-records.js'
import type { DecidedPermissions } from './watch-hub.js'
import { isHiddenFrom, presentityNotFound } from '../../core/subscriptions/hidden-presentity.js'
import { isOwner } from '../../core/policy/effective-handling.js'

export interface SubscriptionWithView extends Subscription {
  readonly seq: number
  readonly view: View
}

/** What `subscribeMany` did: who was subscribed (with what was decided for each, if anything), who not. */
export interface ManySubscribed {
  readonly subscribed: string[]
  /** For each of `subscribed`: the permissions decided for the hub's `watch`, when they were. */
  readonly decided: readonly (DecidedPermissions | undefined)[]
  readonly failed: { address: string; error: unknown }[]
}

export class SubscriptionService {
  constructor(
    private readonly deps: {
      readonly store: PresenceStore
      readonly records: SubscriptionRecords
      readonly engine: PresenceEngine
      readonly profiles: ProfileDirectory
      readonly hub: WatchHub
      readonly clock: Clock
      readonly requestLimiter: RateLimiter
      readonly policies: PolicyDirectory
      readonly audit: AuditLog
    },
  ) {}

  private async permissionsFor(watcher: User, address: string): Promise<Permissions | undefined> {
    const profile = await this.deps.profiles.ensure(address)
    return profile && this.deps.policies.permissionsFor(watcher, profile, this.deps.clock.now())
  }

  /** The view `watcher` has of `address` now, or `NRV_NOT_FOUND`. */
  async viewOf(watcher: User, rawAddress: string): Promise<{ seq: number; view: View }> {
    const address = normalizeAddress(rawAddress)
    const permissions = await this.permissionsFor(watcher, address)
    if (isHiddenFrom(permissions)) {
      throw presentityNotFound(address)
    }
    const snapshot = this.deps.engine.snapshot(address)!
    const view = computeView({ ...snapshot, permissions, now: this.deps.clock.now() })
    if (!isOwner(watcher, { address })) {
      const details = disclosedDetails(view)
      this.deps.audit.disclosure(snapshot.profile.organizationId, watcher.address, address, details)
    }
    return { seq: this.deps.engine.cursor, view }
  }

  /**
   * Whether `sender` may address `rawAddress` (a chat message, a directed presence): `hidden` exactly
   * when the address is answered as missing (no such user, or another organization's block);
   * `refused` when the presentity blocks them (politely, or a colleague's block), which the sender
   * must not be able to tell from `allowed` to someone offline.
   */
  async contactOf(sender: User, rawAddress: string): Promise<'hidden' | 'refused' | 'allowed'> {
    const permissions = await this.permissionsFor(sender, normalizeAddress(rawAddress))
    if (isHiddenFrom(permissions)) return 'hidden'
    const blocked =
      permissions.subscription === 'block' || permissions.subscription === 'polite-block'
    return blocked && !isOwner(sender, { address: normalizeAddress(rawAddress) })
      ? 'refused'
      : 'allowed'
  }

  async subscribe(watcher: User, rawAddress: string): Promise<SubscriptionWithView> {
    const address = normalizeAddress(rawAddress)
    const previous = (await this.deps.records.list(watcher.id)).find(
      (s) => s.presentityAddress === address,
    )
    const subscription = await this.create(watcher, address, previous?.state)
    const { seq, view } = await this.viewOf(watcher, address)
    return { ...subscription, seq, view }
  }

  /** The permissions of `watcher` on `address`, or `NRV_NOT_FOUND` when policy hides the presentity. */
  private async allowed(watcher: User, address: string): Promise<Permissions> {
    return this.allow(address, await this.permissionsFor(watcher, address))
  }

  /** `permissions`, or `NRV_NOT_FOUND` when they hide the presentity. */
  private allow(address: string, permissions: Permissions | undefined): Permissions {
    if (isHiddenFrom(permissions)) throw presentityNotFound(address)
    return permissions
  }

  /** Creates a subscription (or moves an existing one to the state policy gives it now). */
  private async create(
    watcher: User,
    address: string,
    previous: SubscriptionState | undefined,
  ): Promise<Subscription> {
    const subscription = await this.deps.records.put(
      await this.newSubscription(watcher, address, previous),
    )
    this.announce(previous, subscription)
    return subscription
  }

  /** The subscription policy gives `watcher` to `address` now (rate-limited), not yet stored. */
  private async newSubscription(
    watcher: User,
    address: string,
    previous: SubscriptionState | undefined,
  ): Promise<NewSubscription> {
    const waitMs = this.deps.requestLimiter.take(watcher.address)
    if (waitMs > 0) {
      throw new NarvaroError('NRV_RATE_LIMITED', 'too many subscription requests', {
        details: { retryAfterMs: waitMs },
      })
    }
    const permissions = await this.allowed(watcher, address)
    const decision = decideSubscription(permissions.subscription)
    // `allowed` loaded the profile, and with it the user id.
    const presentityId = this.deps.profiles.idOf(address)
    if (!presentityId || decision.outcome === 'not-found') throw presentityNotFound(address)
    const state = requestedState(previous, decision.state)
    return { watcherId: watcher.id, presentityId, state, createdAt: this.deps.clock.now() }
  }

  /** Watcher info, live: the presentity hears of a new watcher or request once, not of repeats. */
  private announce(previous: SubscriptionState | undefined, subscription: Subscription): void {
    if (previous !== subscription.state) {
      this.deps.hub.notifyUser(subscription.presentityAddress, {
        type: 'watcher',
        watcher: subscription.watcherAddress,
        state: subscription.state,
      })
    }
  }

  /**
   * Subscribes to many addresses at once (a real-time client's `subscribe`): an active subscription
   * is only checked against policy again (the watch hub then computes and audits what is sent); the
   * others are created or updated as by `subscribe`. The watcher's subscriptions are read once, or not
   * at all when the held list has every address active (a reconnect).
   */
  async subscribeMany(watcher: User, addresses: readonly string[]): Promise<ManySubscribed> {
    const subscribed: string[] = []
    const decided: (DecidedPermissions | undefined)[] = []
    const failed: { address: string; error: unknown }[] = []
    // Addresses the held list has, as given, are normalized already (a stored address is, and
    // normalizing it gives it back): a reconnect's dozens are not parsed again.
    const held = this.deps.records.allActive(watcher.id, addresses)
    const wanted = held ? addresses : addresses.map(normalizedOrError)
    const stateOf =
      held || this.deps.records.allActive(watcher.id, wanted)
        ? allActive
        : await this.storedStates(watcher)
    const creating: { input: NewSubscription; previous: SubscriptionState | undefined }[] = []
    for (let i = 0; i < wanted.length; i++) {
      const address = wanted[i]!
      try {
        if (typeof address !== 'string') throw address.error
        const previous = stateOf(address)
        let decision: DecidedPermissions | undefined
        // A loaded presentity is checked without waiting (a reconnect subscribes to dozens), and
        // what was decided goes to the hub with the revision it was decided at.
        if (previous === 'active') {
          const { profiles } = this.deps
          const profile = profiles.get(address) ?? (await profiles.ensure(address))
          decision = this.decision(watcher, address, profile)
        } else
          creating.push({ input: await this.newSubscription(watcher, address, previous), previous })
        subscribed.push(address)
        decided.push(decision)
      } catch (error) {
        failed.push({ address: addresses[i]!, error })
      }
    }
    if (creating.length === 0) return { subscribed, decided, failed }
    // New subscriptions are written together, in one transaction.
    const created = await this.deps.records.putMany(creating.map((c) => c.input))
    created.forEach((subscription, i) => this.announce(creating[i]!.previous, subscription))
    return { subscribed, decided, failed }
  }

  /** The permissions of `watcher` on the presentity of `profile`, decided now, or `NRV_NOT_FOUND`. */
  private decision(
    watcher: User,
    address: string,
    profile: Profile | undefined,
  ): DecidedPermissions {
    if (!profile) throw presentityNotFound(address)
    const { policies, clock } = this.deps
    const permissions = this.allow(address, policies.permissionsFor(watcher, profile, clock.now()))
    return { permissions, profile, revision: policies.revision }
  }

  /** The state of each of the watcher's subscriptions, read from the store. */
  private async storedStates(
    watcher: User,
  ): Promise<(address: string) => SubscriptionState | undefined> {
    const current = new Map(
      (await this.deps.records.list(watcher.id)).map((s) => [s.presentityAddress, s.state]),
    )
    return (address) => current.get(address)
  }

  async unsubscribe(watcher: User, rawAddress: string): Promise<void> {
    const address = normalizeAddress(rawAddress)
    const presentity = await this.deps.store.getUserByAddress(address)
    const removed = presentity ? await this.deps.records.delete(watcher.id, presentity.id) : false
    if (!removed) throw presentityNotFound(address)
    this.deps.hub.end(address, watcher.address)
  }

  async list(watcher: User): Promise<readonly SubscriptionWithView[]> {
    const subscriptions = await this.deps.records.list(watcher.id)
    const result: SubscriptionWithView[] = []
    for (const subscription of subscriptions) {
      const current = await this.viewOf(watcher, subscription.presentityAddress).catch(
        () => undefined,
      )
      if (current) result.push({ ...subscription, ...current })
    }
    return result
  }
}

/** The normalized address, or why it is not one (reported among the failures, in input order). */
const normalizedOrError = (raw: string): string | { readonly error: unknown } => {
  try {
    return normalizeAddress(raw)
  } catch (error) {
    return { error }
  }
}

const allActive = (): SubscriptionState => 'active'
