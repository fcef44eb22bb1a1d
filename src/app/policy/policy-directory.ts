// In-memory copies of what the policy engine needs (organization policies, personal settings, group
// memberships, approvals of confirm subscriptions), so permissions are decided synchronously on the
// notification path; app layer. The store is the durable copy.
import type { ContactKind, Profile } from '../../core/model/presence-model.js'
import { priorityAccessFor } from '../../core/reach/priority-access-for.js'
import { decidePermissions } from '../../core/policy/decide-permissions.js'
import type { Party, PresentityParty } from '../../core/policy/decide-permissions.js'
import type { Permissions, SubscriptionHandling } from '../../core/policy/permissions.js'
import type {
  OrganizationPolicy,
  PersonalSettings,
  RuleConditions,
} from '../../core/policy/policy-model.js'
import { defaultOrganizationPolicy } from '../../core/policy/policy-model.js'
import type { ChangeBus, PolicyScope, PolicyUpdate } from '../../ports/bus.js'
import type { PolicyStore } from '../../ports/policy-store.js'
import type { PresenceStore } from '../../ports/store.js'
import { answeredPermissions } from '../../core/policy/effective-handling.js'

const noGroups: readonly string[] = []

/** The presentity side of the policy input, once per profile (profiles are replaced, not changed). */
const parties = new WeakMap<Profile, PresentityParty>()
const partyOf = (profile: Profile): PresentityParty => {
  let party = parties.get(profile)
  if (!party) {
    party = {
      address: profile.address,
      organizationId: profile.organizationId,
      timeZone: profile.timeZone,
      contactMethods: profile.contactMethods,
      ...(profile.workingHours ? { workingHours: profile.workingHours } : {}),
    }
    parties.set(profile, party)
  }
  return party
}

/** What a policy change can affect (the scope of a `policy-changed` event on the change channel). */
export type PolicyChange = PolicyScope

/**
 * Askers who see every presentity alike, as far as the policy engine can tell them apart: the same
 * organization, mail domain and groups, and named by nobody (no rule, appear-offline list, priority
 * list or approval names their address). `party` decides for all of them: it has their domain and
 * groups and an address that is no one's, so that it is not the owner of any presentity either.
 */
export interface AskerClass {
  readonly key: string
  readonly party: Party & { readonly groups: readonly string[] }
}

/** A watcher, with their groups when they are not looked up by address (an asker class's party). */
export type Asker = Party & { readonly groups?: readonly string[] }

/** The address of a class's party: not an address anyone can have (no local part). */
const classAddress = (domain: string) => `@${domain}`

/** The addresses a person's settings name, as watchers. */
const namedIn = (settings: PersonalSettings, into: Set<string>): void => {
  for (const rule of settings.rules ?? []) namedInRule(rule.conditions, into)
  for (const address of settings.appearOfflineTo ?? []) into.add(address)
  for (const entry of settings.priorityAccess ?? [])
    for (const address of entry.addresses ?? []) into.add(address)
}

const namedInRule = (conditions: RuleConditions, into: Set<string>): void => {
  for (const address of conditions.addresses ?? []) into.add(address)
  for (const address of conditions.except ?? []) into.add(address)
}

export class PolicyDirectory {
  private readonly policies = new Map<string, OrganizationPolicy>()
  private readonly settings = new Map<string, PersonalSettings>()
  private readonly groups = new Map<string, readonly string[]>()
  /** `presentity\nwatcher` of confirm subscriptions the presentity approved. */
  private readonly approved = new Set<string>()
  /** Addresses some rule, list or approval names (`classOf`), rebuilt after a change. */
  private named: Set<string> | undefined
  /** Counts changes of what permissions are decided on (`revision`). */
  private changes = 0

  /** Every change is put on the change channel, which the hub, live queries and tickers obey. */
  constructor(
    private readonly bus?: ChangeBus,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /**
   * A change of the facts a policy decides on (a profile, a time boundary); `update` carries the new
   * value to the other nodes of a cluster.
   */
  changed(scope: PolicyChange, update?: PolicyUpdate): void {
    this.touch()
    const event = { type: 'policy-changed', scope, ...(update ? { update } : {}) } as const
    this.bus?.publish(event).catch(this.onError)
  }

  /** Applies a change another node of the cluster made (it is on the change channel already). */
  apply(update: PolicyUpdate): void {
    this.touch()
    switch (update.kind) {
      case 'policy':
        return void this.policies.set(update.organizationId, update.policy)
      case 'settings':
        return void this.settings.set(update.address, update.settings)
      case 'groups':
        return void this.groups.set(update.address, update.groups)
      case 'approved':
        return this.approve(update.presentity, update.watcher, update.approved)
      case 'forget':
        this.settings.delete(update.address)
        return void this.groups.delete(update.address)
      case 'profile':
        return
    }
  }

  private approve(presentity: string, watcher: string, approved: boolean): void {
    this.touch()
    const key = `${presentity}\n${watcher}`
    if (approved) this.approved.add(key)
    else this.approved.delete(key)
  }

  /** Loads everything for one organization from the store (at start, or after a bulk change). */
  async loadOrganization(
    store: PresenceStore & PolicyStore,
    organizationId: string,
  ): Promise<void> {
    const policy = await store.getOrganizationPolicy(organizationId)
    this.touch()
    this.policies.set(organizationId, policy ?? defaultOrganizationPolicy)
    const users = await store.listUsers(organizationId)
    const byId = new Map(users.map((u) => [u.id, u.address]))
    const settings = await store.listPersonalSettings(organizationId)
    this.touch()
    for (const [userId, personal] of settings) {
      const address = byId.get(userId)
      if (address) this.settings.set(address, personal)
    }
    for (const user of users) {
      const groups = await store.listGroupsOf(user.id)
      this.touch()
      this.groups.set(user.address, groups)
      const watchers = await store.listWatchersOf(user.id)
      this.touch()
      for (const s of watchers) {
        if (s.state === 'active') this.approved.add(`${user.address}\n${s.watcherAddress}`)
      }
    }
  }

  /**
   * Changes with every change of what permissions are decided on here (policies, settings, groups,
   * approvals, a profile or a time boundary told through `changed`): permissions decided at one
   * revision hold, for the same profile object, as long as the revision is the same.
   */
  get revision(): number {
    return this.changes
  }

  /** Something permissions are decided on changes (now, in the same turn). */
  private touch(): void {
    this.named = undefined
    this.changes++
  }

  policyOf(organizationId: string): OrganizationPolicy {
    return this.policies.get(organizationId) ?? defaultOrganizationPolicy
  }

  settingsOf(address: string): PersonalSettings {
    return this.settings.get(address) ?? {}
  }

  setPolicy(organizationId: string, policy: OrganizationPolicy): void {
    this.policies.set(organizationId, policy)
    this.changed(
      { kind: 'organization', organizationId },
      { kind: 'policy', organizationId, policy },
    )
  }

  setSettings(address: string, settings: PersonalSettings): void {
    this.settings.set(address, settings)
    this.changed({ kind: 'presentity', address }, { kind: 'settings', address, settings })
  }

  setGroups(address: string, groups: readonly string[]): void {
    this.groups.set(address, groups)
    this.changed({ kind: 'watcher', address }, { kind: 'groups', address, groups })
  }

  setApproved(presentity: string, watcher: string, approved: boolean): void {
    this.approve(presentity, watcher, approved)
    const update = { kind: 'approved', presentity, watcher, approved } as const
    this.changed({ kind: 'pair', presentity, watcher }, update)
  }

  forget(address: string): void {
    this.settings.delete(address)
    this.groups.delete(address)
    this.changed({ kind: 'presentity', address }, { kind: 'forget', address })
    this.changed({ kind: 'watcher', address })
  }

  /** The groups `address` belongs to (none for an unknown address). */
  groupsOf(address: string): readonly string[] {
    return this.groups.get(address) ?? noGroups
  }

  /**
   * The class of askers `asker` belongs to (`AskerClass`): a named asker is a class of their own,
   * decided as themselves.
   */
  classOf(asker: Party): AskerClass {
    const groups = [...this.groupsOf(asker.address)].sort()
    const domain = asker.address.slice(asker.address.lastIndexOf('@') + 1)
    const named = this.namedWatchers().has(asker.address)
    const address = named ? asker.address : classAddress(domain)
    const key = [asker.organizationId, domain, groups.join(','), named ? asker.address : ''].join(
      '\n',
    )
    return { key, party: { address, organizationId: asker.organizationId, groups } }
  }

  /** Every address a rule, an appear-offline or priority list, or an approval names. */
  private namedWatchers(): ReadonlySet<string> {
    if (this.named) return this.named
    const named = new Set<string>()
    for (const policy of this.policies.values())
      for (const rule of policy.defaultRules) namedInRule(rule.conditions, named)
    for (const settings of this.settings.values()) namedIn(settings, named)
    for (const key of this.approved) named.add(key.slice(key.indexOf('\n') + 1))
    return (this.named = named)
  }

  /** By which contact kinds `watcher` may still reach `presentity` through do-not-disturb. */
  priorityFor(watcher: Asker, presentity: string): readonly ContactKind[] {
    return priorityAccessFor(this.settingsOf(presentity), {
      address: watcher.address,
      organizationId: watcher.organizationId,
      groups: watcher.groups ?? this.groupsOf(watcher.address),
    })
  }

  /**
   * What `watcher` may see of the presentity of `profile` now, as every service answers it: the
   * policy engine's decision as the core answers it to this watcher (`answeredPermissions`: an
   * approved confirm counts as allow, a colleague's block reads as polite-block).
   */
  permissionsFor(watcher: Asker, profile: Profile, now: number): Permissions {
    const decided = this.engineFor(watcher, profile, now)
    return answeredPermissions(decided, {
      approved:
        decided.subscription === 'confirm' && this.isApproved(profile.address, watcher.address),
      sameOrganization: watcher.organizationId === profile.organizationId,
    })
  }

  /** Whether the presentity approved `watcher`'s confirm subscription. */
  isApproved(presentity: string, watcher: string): boolean {
    return this.approved.has(`${presentity}\n${watcher}`)
  }

  /** The policy engine's handling for `watcher`, before an approval or a block translation. */
  handlingFor(watcher: Party, profile: Profile, now: number): SubscriptionHandling {
    return this.engineFor(watcher, profile, now).subscription
  }

  private engineFor(watcher: Asker, profile: Profile, now: number): Permissions {
    return decidePermissions({
      watcher: {
        address: watcher.address,
        organizationId: watcher.organizationId,
        groups: watcher.groups ?? this.groupsOf(watcher.address),
      },
      presentity: partyOf(profile),
      organizationPolicy: this.policyOf(profile.organizationId),
      settings: this.settingsOf(profile.address),
      now,
    })
  }
}
