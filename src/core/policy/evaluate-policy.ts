// The policy engine: turns an organization policy, a person's rules and settings, and who is asking
// into permissions. RFC 4745/5025 combination: rules only grant; each permission takes its most
// permissive value over the matching rules; ceilings are applied after, outside the rules; core.
import { isWithinHours } from '../model/hours.js'
import type { ContactScope, LocationGranularity, WeeklyHours } from '../model/presence-model.js'
import type { Permissions, SubscriptionHandling } from './permissions.js'
import { nothing, subscriptionHandlings } from './permissions.js'
import type {
  Ceiling,
  Grant,
  OrganizationPolicy,
  PersonalRule,
  PersonalSettings,
  RuleConditions,
} from './policy-model.js'
import { fullGrant } from './policy-model.js'
import { isOwner } from './effective-handling.js'

export interface WatcherParty {
  readonly address: string
  readonly organizationId: string
  /** Group ids the watcher belongs to. */
  readonly groups: readonly string[]
}

export interface PresentityParty {
  readonly address: string
  readonly organizationId: string
  readonly timeZone: string
  readonly workingHours?: WeeklyHours
  /** The presentity's contact methods, so single grants can be checked against the ceiling. */
  readonly contactMethods: readonly { readonly id: string; readonly scope: ContactScope }[]
}

export interface PolicyInput {
  readonly watcher: WatcherParty
  readonly presentity: PresentityParty
  readonly organizationPolicy: OrganizationPolicy
  readonly settings: PersonalSettings
  readonly now: number
}

const granularities: readonly LocationGranularity[] = ['none', 'country', 'city', 'exact']
const rankOf = (h: SubscriptionHandling) => subscriptionHandlings.indexOf(h)
const maxHandling = (a: SubscriptionHandling, b: SubscriptionHandling) =>
  rankOf(a) >= rankOf(b) ? a : b
const minHandling = (a: SubscriptionHandling, b: SubscriptionHandling) =>
  rankOf(a) <= rankOf(b) ? a : b
const maxLocation = (a: LocationGranularity, b: LocationGranularity) =>
  granularities.indexOf(a) >= granularities.indexOf(b) ? a : b
const minLocation = (a: LocationGranularity, b: LocationGranularity) =>
  granularities.indexOf(a) <= granularities.indexOf(b) ? a : b

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1)

/** True when a rule's conditions hold for this watcher now. */
export const ruleMatches = (conditions: RuleConditions, input: PolicyInput): boolean => {
  const { watcher, presentity, now } = input
  if (conditions.except?.includes(watcher.address)) return false
  if (conditions.validFrom !== undefined && now < conditions.validFrom) return false
  if (conditions.validUntil !== undefined && now >= conditions.validUntil) return false
  if (conditions.workingHours !== undefined) {
    const inside = isWithinHours(presentity.workingHours, presentity.timeZone, now)
    if ((conditions.workingHours === 'inside') !== inside) return false
  }
  return (
    conditions.everyone === true ||
    (conditions.ownOrganization === true && watcher.organizationId === presentity.organizationId) ||
    (conditions.addresses?.includes(watcher.address) ?? false) ||
    (conditions.domains?.includes(domainOf(watcher.address)) ?? false) ||
    (conditions.groups?.some((g) => watcher.groups.includes(g)) ?? false)
  )
}

interface Combined {
  readonly subscription: SubscriptionHandling
  readonly grant: Required<Omit<Grant, 'contactMethodIds' | 'contactScopes'>> & {
    readonly contactScopes: readonly ContactScope[]
    readonly contactMethodIds: readonly string[]
  }
}

/** The combination of no rule at all: the most private answer. */
const none: Combined = {
  subscription: nothing.subscription,
  grant: {
    activities: nothing.activities,
    note: nothing.note,
    mood: nothing.mood,
    place: nothing.place,
    workLocation: nothing.workLocation,
    freeBusy: nothing.freeBusy,
    location: nothing.location,
    timeZone: nothing.timeZone,
    lastSeen: nothing.lastSeen,
    devices: nothing.devices,
    contactScopes: nothing.contactScopes,
    contactMethodIds: nothing.contactMethodIds,
  },
}

const union = <T>(a: readonly T[], b: readonly T[] | undefined): readonly T[] =>
  b ? [...new Set([...a, ...b])].sort() : a

/** Each permission takes its most permissive value over the matching rules. */
export const combineRules = (rules: readonly PersonalRule[]): Combined =>
  rules.reduce<Combined>((acc, rule) => {
    const g = rule.grant
    return {
      subscription: maxHandling(acc.subscription, rule.subscription ?? 'block'),
      grant: {
        activities: acc.grant.activities || g.activities === true,
        note: acc.grant.note || g.note === true,
        mood: acc.grant.mood || g.mood === true,
        place: acc.grant.place || g.place === true,
        workLocation: acc.grant.workLocation || g.workLocation === true,
        freeBusy: acc.grant.freeBusy || g.freeBusy === true,
        location: maxLocation(acc.grant.location, g.location ?? 'none'),
        timeZone: acc.grant.timeZone || g.timeZone === true,
        lastSeen: acc.grant.lastSeen || g.lastSeen === true,
        devices: acc.grant.devices || g.devices === true,
        contactScopes: union(acc.grant.contactScopes, g.contactScopes),
        contactMethodIds: union(acc.grant.contactMethodIds, g.contactMethodIds),
      },
    }
  }, none)

/** The ceiling caps every permission: a value above it falls to it. */
export const applyCeiling = (
  combined: Combined,
  ceiling: Ceiling,
  contactMethods: PresentityParty['contactMethods'],
): Combined => {
  const c = ceiling.grant
  const g = combined.grant
  const scopes = c.contactScopes ?? []
  return {
    subscription: minHandling(combined.subscription, ceiling.subscription),
    grant: {
      activities: g.activities && c.activities === true,
      note: g.note && c.note === true,
      mood: g.mood && c.mood === true,
      place: g.place && c.place === true,
      workLocation: g.workLocation && c.workLocation === true,
      freeBusy: g.freeBusy && c.freeBusy === true,
      location: minLocation(g.location, c.location ?? 'none'),
      timeZone: g.timeZone && c.timeZone === true,
      lastSeen: g.lastSeen && c.lastSeen === true,
      devices: g.devices && c.devices === true,
      contactScopes: g.contactScopes.filter((s) => scopes.includes(s)),
      contactMethodIds: g.contactMethodIds.filter((id) => {
        const method = contactMethods.find((m) => m.id === id)
        return method !== undefined && scopes.includes(method.scope)
      }),
    },
  }
}

/** Organization default rules never grant personal contact methods: only the person may. */
const withoutPersonal = (rules: readonly PersonalRule[]): readonly PersonalRule[] =>
  rules.map((r) => ({
    ...r,
    grant: {
      ...r.grant,
      contactScopes: (r.grant.contactScopes ?? []).filter((s) => s !== 'personal'),
      contactMethodIds: [],
    },
  }))

/** What the owner sees of themselves: the full grant, allowed. */
export const everything: Permissions = {
  ...combineRules([{ id: 'owner', conditions: {}, subscription: 'allow', grant: fullGrant }]).grant,
  subscription: 'allow',
  appearOffline: false,
  offWork: false,
}

// The steps below are pure functions of immutable inputs (policies, rules and contact method lists
// are replaced, never changed in place), so their results are remembered per input object: a
// watcher joining thousands of presentities under the same policy costs a few lookups, not a
// fresh combination each time. The caches are weak: a replaced policy takes its results with it.

const organizationRules = new WeakMap<readonly PersonalRule[], readonly PersonalRule[]>()
/** Combinations per rule list, by which of its rules matched (a bit per rule). */
const combinations = new WeakMap<readonly PersonalRule[], Map<number, Combined>>()
const capped = new WeakMap<Combined, WeakMap<Ceiling, WeakMap<object, Combined>>>()
/** The final permissions per capped combination: [appearOffline][offWork]. */
const finals = new WeakMap<Combined, Permissions[]>()
/** Past this many rules, combinations are not remembered (the bit mask would not fit). */
const maxMaskedRules = 30

const rulesOf = (
  settings: PersonalSettings,
  policy: OrganizationPolicy,
): readonly PersonalRule[] => {
  if (settings.rules) return settings.rules
  let rules = organizationRules.get(policy.defaultRules)
  if (!rules)
    organizationRules.set(policy.defaultRules, (rules = withoutPersonal(policy.defaultRules)))
  return rules
}

const combineMatching = (
  rules: readonly PersonalRule[],
  input: PolicyInput,
): Combined | undefined => {
  if (rules.length > maxMaskedRules) {
    const matching = rules.filter((rule) => ruleMatches(rule.conditions, input))
    return matching.length === 0 ? undefined : combineRules(matching)
  }
  let mask = 0
  for (let i = 0; i < rules.length; i++)
    if (ruleMatches(rules[i]!.conditions, input)) mask |= 1 << i
  if (mask === 0) return undefined
  let byMask = combinations.get(rules)
  if (!byMask) combinations.set(rules, (byMask = new Map()))
  let combined = byMask.get(mask)
  if (!combined)
    byMask.set(mask, (combined = combineRules(rules.filter((_, i) => (mask & (1 << i)) !== 0))))
  return combined
}

const cappedBy = (
  combined: Combined,
  ceiling: Ceiling,
  contactMethods: PresentityParty['contactMethods'],
): Combined => {
  let byCeiling = capped.get(combined)
  if (!byCeiling) capped.set(combined, (byCeiling = new WeakMap()))
  let byMethods = byCeiling.get(ceiling)
  if (!byMethods) byCeiling.set(ceiling, (byMethods = new WeakMap()))
  let result = byMethods.get(contactMethods)
  if (!result)
    byMethods.set(contactMethods, (result = applyCeiling(combined, ceiling, contactMethods)))
  return result
}

const finalOf = (combined: Combined, appearOffline: boolean, offWork: boolean): Permissions => {
  let four = finals.get(combined)
  if (!four) finals.set(combined, (four = []))
  const slot = (appearOffline ? 2 : 0) + (offWork ? 1 : 0)
  return (four[slot] ??= {
    subscription: combined.subscription,
    ...combined.grant,
    appearOffline,
    offWork,
  })
}

/**
 * Decides what one watcher may see of one presentity now. Deterministic and pure; equal inputs give
 * the same (frozen in practice: never mutated) permissions object.
 */
export const evaluatePolicy = (input: PolicyInput): Permissions => {
  const { watcher, presentity, organizationPolicy: policy, settings, now } = input
  if (isOwner(watcher, presentity)) return everything
  const combined = combineMatching(rulesOf(settings, policy), input)
  if (!combined) return nothing
  const colleague = watcher.organizationId === presentity.organizationId
  const ceiling = colleague ? policy.colleagueCeiling : policy.externalCeiling
  const result = cappedBy(combined, ceiling, presentity.contactMethods)
  if (result.subscription === 'block') return nothing
  const offHours =
    policy.offWorkOutsideHours &&
    settings.shareOutsideWorkingHours !== true &&
    presentity.workingHours !== undefined &&
    presentity.workingHours.length > 0 &&
    !isWithinHours(presentity.workingHours, presentity.timeZone, now)
  return finalOf(result, settings.appearOfflineTo?.includes(watcher.address) === true, offHours)
}
