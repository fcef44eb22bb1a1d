// Privacy use cases: the organization policy (admins), personal rules and settings (owners), watcher
// info with approve/deny/revoke, the preview "what does X see of me now?", and audit queries. Every
// change takes effect at once on live subscriptions; app layer.
import { block, blockedAddresses, unblock } from '../../core/policy/block-list.js'
import { NarvaroError } from '../../core/errors.js'
import { normalizeAddress } from '../../core/model/address.js'
import type { View } from '../../core/policy/compute-view.js'
import { computeView } from '../../core/policy/compute-view.js'
import type { Permissions, SubscriptionHandling } from '../../core/policy/permissions.js'
import type { OrganizationPolicy, PersonalSettings } from '../../core/policy/policy-model.js'
import {
  validateOrganizationPolicy,
  validatePersonalSettings,
} from '../../core/policy/validate-policy.js'
import type { Clock } from '../../ports/clock.js'
import type { AuditKind, StoredAuditEvent } from '../../ports/policy-store.js'
import type { User } from '../../ports/store.js'
import type { AuditLog } from '../policy/index.js'
import { requireAdmin } from '../shared/index.js'
import type { PolicyDirectory } from '../policy/index.js'
import type { PresenceEngine } from '../presence/index.js'
import type { ProfileDirectory } from '../directory/index.js'
import type { NarvaroStore } from '../../ports/narvaro-store.js'
import type { SubscriptionRecords, WatchHub } from '../watching/index.js'
import { settleSubscription } from '../../core/subscriptions/subscription.js'

export interface WatcherInfo {
  readonly watcherAddress: string
  /** The stored state of the request: what the watcher itself sees. */
  readonly state: 'active' | 'pending' | 'denied'
  /** What policy does with this watcher now (a polite block shows here, never to the watcher). */
  readonly handling: SubscriptionHandling
  readonly createdAt: number
}

export interface Deps {
  readonly store: NarvaroStore
  /** Subscriptions are written through it, so that every holder of a watcher's list follows. */
  readonly records: SubscriptionRecords
  readonly clock: Clock
  readonly policies: PolicyDirectory
  readonly profiles: ProfileDirectory
  readonly engine: PresenceEngine
  readonly hub: WatchHub
  readonly audit: AuditLog
}

const notFound = (address: string) => new NarvaroError('NRV_NOT_FOUND', `no watcher ${address}`)

export class PrivacyService {
  constructor(private readonly deps: Deps) {}

  organizationPolicy(actor: User): OrganizationPolicy {
    return this.deps.policies.policyOf(actor.organizationId)
  }

  async setOrganizationPolicy(
    actor: User,
    policy: OrganizationPolicy,
  ): Promise<OrganizationPolicy> {
    requireAdmin(actor, 'set the organization policy')
    const checked = validateOrganizationPolicy(policy)
    await this.deps.store.putOrganizationPolicy(actor.organizationId, checked)
    this.deps.policies.setPolicy(actor.organizationId, checked)
    this.audit(actor, 'policy-change', undefined, { policy: checked })
    return checked
  }

  /** The owner's settings, and the rules in force (their own, or the organization's defaults). */
  privacyOf(user: User): { settings: PersonalSettings; usingDefaultRules: boolean } {
    const settings = this.deps.policies.settingsOf(user.address)
    return { settings, usingDefaultRules: settings.rules === undefined }
  }

  async setPrivacy(user: User, settings: PersonalSettings): Promise<PersonalSettings> {
    const checked = validatePersonalSettings(settings)
    await this.deps.store.putPersonalSettings(user.id, checked)
    this.deps.policies.setSettings(user.address, checked)
    this.audit(user, 'rule-change', user.address, { settings: checked })
    await this.settleWatchers(user)
    return checked
  }

  /** The addresses the owner blocks (the `blocked` rule: docs/privacy.md "Blocking"). */
  blocked(owner: User): readonly string[] {
    return blockedAddresses(this.privacyOf(owner).settings.rules ?? [])
  }

  /** Blocks addresses, as one more `block` rule and an `except` in every other rule. */
  async block(owner: User, addresses: readonly string[]): Promise<readonly string[]> {
    const { settings } = this.privacyOf(owner)
    const inForce = settings.rules ?? this.organizationPolicy(owner).defaultRules
    const next = await this.setPrivacy(
      owner,
      block(settings, inForce, addresses.map(normalizeAddress)),
    )
    return blockedAddresses(next.rules ?? [])
  }

  /** Unblocks addresses, or everyone blocked when none are given. */
  async unblock(owner: User, addresses?: readonly string[]): Promise<readonly string[]> {
    const { settings } = this.privacyOf(owner)
    const inForce = settings.rules ?? this.organizationPolicy(owner).defaultRules
    const next = await this.setPrivacy(
      owner,
      unblock(settings, inForce, addresses?.map(normalizeAddress)),
    )
    return blockedAddresses(next.rules ?? [])
  }

  /** Moves each watcher's subscription to what the owner's new rules make of it (`settleSubscription`). */
  private async settleWatchers(owner: User): Promise<void> {
    const profile = await this.deps.profiles.ensure(owner.address)
    if (!profile) return
    const now = this.deps.clock.now()
    for (const s of await this.deps.records.listWatchersOf(owner.id)) {
      const watcher = await this.deps.store.getUserByAddress(s.watcherAddress)
      if (!watcher) continue
      const approved = this.deps.policies.isApproved(owner.address, watcher.address)
      const handling = this.deps.policies.handlingFor(watcher, profile, now)
      const next = settleSubscription({ state: s.state, handling, approved })
      if (next.approved !== approved)
        this.deps.policies.setApproved(owner.address, watcher.address, false)
      if (next.state === s.state) continue
      await this.deps.records.put({
        watcherId: watcher.id,
        presentityId: owner.id,
        state: next.state,
        createdAt: s.createdAt,
      })
      this.deps.hub.notifyUser(owner.address, {
        type: 'watcher',
        watcher: watcher.address,
        state: next.state,
      })
    }
  }

  /** What `watcherAddress` would see of the owner now, and why. */
  async preview(
    owner: User,
    watcherAddress: string,
  ): Promise<{ permissions: Permissions; view: View }> {
    const address = normalizeAddress(watcherAddress)
    const watcher = await this.deps.store.getUserByAddress(address)
    const party = { address, organizationId: watcher?.organizationId ?? `external:${address}` }
    const snapshot = this.deps.engine.snapshot(owner.address) ?? (await this.ownSnapshot(owner))
    const now = this.deps.clock.now()
    const permissions = this.deps.policies.permissionsFor(party, snapshot.profile, now)
    return { permissions, view: computeView({ ...snapshot, permissions, now }) }
  }

  private async ownSnapshot(owner: User) {
    await this.deps.profiles.refresh(owner)
    return this.deps.engine.snapshot(owner.address)!
  }

  /** Who watches the owner and who asked (RFC 3857 watcher info). */
  async watchers(owner: User): Promise<readonly WatcherInfo[]> {
    const profile = (await this.deps.profiles.ensure(owner.address))!
    const now = this.deps.clock.now()
    const subscriptions = await this.deps.records.listWatchersOf(owner.id)
    const result: WatcherInfo[] = []
    for (const s of subscriptions) {
      const watcher = await this.deps.store.getUserByAddress(s.watcherAddress)
      const party = { address: s.watcherAddress, organizationId: watcher?.organizationId ?? '' }
      const { subscription } = this.deps.policies.permissionsFor(party, profile, now)
      result.push({
        watcherAddress: s.watcherAddress,
        state: s.state,
        handling: subscription,
        createdAt: s.createdAt,
      })
    }
    return result
  }

  async approve(owner: User, watcherAddress: string): Promise<void> {
    await this.decide(owner, watcherAddress, 'active')
  }

  async deny(owner: User, watcherAddress: string): Promise<void> {
    await this.decide(owner, watcherAddress, 'denied')
  }

  private async decide(owner: User, rawAddress: string, state: 'active' | 'denied'): Promise<void> {
    const address = normalizeAddress(rawAddress)
    const watcher = await this.deps.store.getUserByAddress(address)
    const existing = (await this.deps.records.listWatchersOf(owner.id)).find(
      (s) => s.watcherAddress === address,
    )
    if (!watcher || !existing) throw notFound(address)
    await this.deps.records.put({
      watcherId: watcher.id,
      presentityId: owner.id,
      state,
      createdAt: existing.createdAt,
    })
    this.deps.policies.setApproved(owner.address, address, state === 'active')
    this.audit(owner, 'subscription', address, { state })
    this.deps.hub.notifyUser(address, { type: 'subscription', address: owner.address, state })
    this.deps.hub.notifyUser(owner.address, { type: 'watcher', watcher: address, state })
  }

  /** Ends a watcher's subscription; they must ask again (and policy decides again). */
  async revoke(owner: User, rawAddress: string): Promise<void> {
    const address = normalizeAddress(rawAddress)
    const watcher = await this.deps.store.getUserByAddress(address)
    if (!watcher || !(await this.deps.records.delete(watcher.id, owner.id))) throw notFound(address)
    this.deps.policies.setApproved(owner.address, address, false)
    this.audit(owner, 'subscription', address, { state: 'revoked' })
    this.deps.hub.end(owner.address, address)
    this.deps.hub.notifyUser(owner.address, { type: 'watcher', watcher: address, state: 'revoked' })
  }

  /** Who received which contact method or location of the owner. */
  async disclosures(
    owner: User,
    query: { since?: number; limit?: number },
  ): Promise<readonly StoredAuditEvent[]> {
    await this.deps.audit.flush()
    return this.deps.store.listAudit({
      organizationId: owner.organizationId,
      kinds: ['disclosure'],
      subjectAddress: owner.address,
      ...query,
    })
  }

  /** Policy, rule, subscription, account and admin changes of the organization (admins). */
  async changes(
    actor: User,
    query: { since?: number; limit?: number },
  ): Promise<readonly StoredAuditEvent[]> {
    requireAdmin(actor, 'read the audit log')
    await this.deps.audit.flush()
    return this.deps.store.listAudit({
      organizationId: actor.organizationId,
      kinds: ['policy-change', 'rule-change', 'subscription', 'account', 'admin'],
      ...query,
    })
  }

  private audit(
    actor: User,
    kind: AuditKind,
    subject: string | undefined,
    data: Record<string, unknown>,
  ): void {
    this.deps.audit.record({
      organizationId: actor.organizationId,
      kind,
      at: this.deps.clock.now(),
      actorAddress: actor.address,
      ...(subject ? { subjectAddress: subject } : {}),
      data,
    })
  }
}
