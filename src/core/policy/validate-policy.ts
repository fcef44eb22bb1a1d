// Checks and normalizes policies and personal settings before they are stored; core layer.
// Expected problems are `NRV_VALIDATION` errors naming the rule and the field.
import { NarvaroError } from '../errors.js'
import { normalizeAddress } from '../model/address.js'
import type { OrganizationPolicy, PersonalRule, PersonalSettings } from './policy-model.js'

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
    if (rule.grant.contactScopes?.includes('personal') || (rule.grant.contactMethodIds?.length ?? 0) > 0) {
      throw invalid(`default rule ${rule.id}: only the person may share personal or single contact methods`)
    }
  }
  return { ...policy, defaultRules: normalizeRules(policy.defaultRules) }
}

export const validatePersonalSettings = (settings: PersonalSettings): PersonalSettings => ({
  ...settings,
  ...(settings.rules ? { rules: normalizeRules(settings.rules) } : {}),
  ...(settings.appearOfflineTo ? { appearOfflineTo: [...new Set(settings.appearOfflineTo.map(normalizeAddress))] } : {}),
})
