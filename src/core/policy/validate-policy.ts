// Checks and normalizes policies and personal settings before they are stored; core layer.
// Expected problems are `NRV_VALIDATION` errors naming the rule and the field.
import { NarvaroError } from '../errors.js'
import { normalizeAddress } from '../model/address.js'
import { contactKinds, type ContactKind } from '../model/presence-model.js'
import type {
  OrganizationPolicy,
  PersonalRule,
  PersonalSettings,
  PriorityAccess,
} from './policy-model.js'

const invalid = (message: string) => new NarvaroError('NRV_VALIDATION', message)

const normalizeRule = (rule: PersonalRule): PersonalRule => {
  const c = rule.conditions
  if (c.validFrom !== undefined && c.validUntil !== undefined && c.validFrom >= c.validUntil) {
    throw invalid(`rule ${rule.id}: validFrom must be before validUntil`)
  }
  const addresses = c.addresses?.map(normalizeAddress)
  const except = c.except?.map(normalizeAddress)
  const domains = c.domains?.map((d) => d.trim().toLowerCase())
  return {
    ...rule,
    conditions: {
      ...c,
      ...(addresses ? { addresses } : {}),
      ...(except ? { except } : {}),
      ...(domains ? { domains } : {}),
    },
  }
}

const normalizeRules = (rules: readonly PersonalRule[]): readonly PersonalRule[] => {
  const ids = new Set<string>()
  return rules.map((rule) => {
    if (ids.has(rule.id)) throw invalid(`rule id ${rule.id} is used twice`)
    ids.add(rule.id)
    return normalizeRule(rule)
  })
}

/** Organization default rules may not grant personal contact methods: only the person may. */
export const validateOrganizationPolicy = (policy: OrganizationPolicy): OrganizationPolicy => {
  for (const rule of policy.defaultRules) {
    if (
      rule.grant.contactScopes?.includes('personal') ||
      (rule.grant.contactMethodIds?.length ?? 0) > 0
    ) {
      throw invalid(
        `default rule ${rule.id}: only the person may share personal or single contact methods`,
      )
    }
  }
  return { ...policy, defaultRules: normalizeRules(policy.defaultRules) }
}

/** Bounds of the priority-access list: it is read on every reachability check. */
export const priorityAccessLimits = { entries: 50, addresses: 1000, groups: 100 } as const

const normalizeKinds = (kinds: readonly string[], where: string): readonly ContactKind[] => {
  const unknown = kinds.find((k) => !(contactKinds as readonly string[]).includes(k))
  if (unknown !== undefined) throw invalid(`${where}: unknown contact kind ${unknown}`)
  if (kinds.length === 0) throw invalid(`${where}: names no contact kind`)
  return contactKinds.filter((k) => kinds.includes(k))
}

const normalizePriorityAccess = (entry: PriorityAccess, index: number): PriorityAccess => {
  const where = `priority access ${index + 1}`
  const { addresses = [], groups = [] } = entry
  if (addresses.length > priorityAccessLimits.addresses) {
    throw invalid(`${where}: at most ${priorityAccessLimits.addresses} addresses`)
  }
  if (groups.length > priorityAccessLimits.groups) {
    throw invalid(`${where}: at most ${priorityAccessLimits.groups} groups`)
  }
  if (groups.some((g) => g.trim() === '')) throw invalid(`${where}: a group id is empty`)
  if (addresses.length === 0 && groups.length === 0) {
    throw invalid(`${where}: names nobody (no addresses, no groups)`)
  }
  return {
    ...(entry.addresses ? { addresses: [...new Set(addresses.map(normalizeAddress))] } : {}),
    ...(entry.groups ? { groups: [...new Set(groups.map((g) => g.trim()))] } : {}),
    kinds: normalizeKinds(entry.kinds, where),
  }
}

const normalizePriorityAccessList = (
  list: readonly PriorityAccess[],
): readonly PriorityAccess[] => {
  if (list.length > priorityAccessLimits.entries) {
    throw invalid(`priority access: at most ${priorityAccessLimits.entries} entries`)
  }
  return list.map(normalizePriorityAccess)
}

export const validatePersonalSettings = (settings: PersonalSettings): PersonalSettings => ({
  ...settings,
  ...(settings.rules ? { rules: normalizeRules(settings.rules) } : {}),
  ...(settings.appearOfflineTo
    ? { appearOfflineTo: [...new Set(settings.appearOfflineTo.map(normalizeAddress))] }
    : {}),
  ...(settings.priorityAccess
    ? { priorityAccess: normalizePriorityAccessList(settings.priorityAccess) }
    : {}),
})
