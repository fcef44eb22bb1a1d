// The convenience edits of `narvaro privacy`: `--see` lists as grants, targets as rule conditions,
// generated rule ids, and adding or removing one rule of the rules in force; CLI layer, pure.
import type { Static } from 'typebox'
import type { Mutable } from '../../core/model/mutable.js'
import { contactScopes, locationGranularities } from '../../core/model/presence-model.js'
import type {
  GrantSchema,
  PersonalSettingsSchema,
  RuleConditionsSchema,
  RuleSchema,
} from '../../transports/rest/privacy-schemas.js'
import { usageError } from '../shared/cli-error.js'
import { commaList } from '../shared/cli-input.js'

export type Grant = Static<typeof GrantSchema>
export type Rule = Static<typeof RuleSchema>
export type RuleConditions = Static<typeof RuleConditionsSchema>
export type PersonalSettings = Static<typeof PersonalSettingsSchema>

/** The `--see` words of the boolean grants (also how `privacy show` prints them). */
export const seeFlags = {
  activities: 'activities',
  note: 'note',
  mood: 'mood',
  place: 'place',
  'work-location': 'workLocation',
  'free-busy': 'freeBusy',
  'time-zone': 'timeZone',
  'last-seen': 'lastSeen',
  devices: 'devices',
} as const satisfies Record<string, keyof Grant>

export const seeWords = [
  ...Object.keys(seeFlags),
  `location=${locationGranularities.join('|')}`,
  `contact=${contactScopes.join('|')}`,
  'contact-method=ID',
]

const oneOf = <T extends string>(values: readonly T[], value: string, item: string): T => {
  if ((values as readonly string[]).includes(value)) return value as T
  throw usageError(`--see ${item}: give one of ${values.join(', ')}`)
}

const addSeeItem = (grant: Mutable<Grant>, item: string): void => {
  const [word = '', value] = item.split('=', 2)
  const flag = seeFlags[word as keyof typeof seeFlags]
  if (flag !== undefined && value === undefined) {
    grant[flag] = true
  } else if (word === 'location' && value !== undefined) {
    grant.location = oneOf(locationGranularities, value, item)
  } else if (word === 'contact' && value !== undefined) {
    const scope = oneOf(contactScopes, value, item)
    grant.contactScopes = [...new Set([...(grant.contactScopes ?? []), scope])]
  } else if (word === 'contact-method' && value) {
    grant.contactMethodIds = [...new Set([...(grant.contactMethodIds ?? []), value])]
  } else {
    throw usageError(`--see ${JSON.stringify(item)}: use ${seeWords.join(', ')}`)
  }
}

/** `note,activities,location=city,contact=work` as a grant. */
export const parseSee = (raw: string | undefined): Grant => {
  const grant: Mutable<Grant> = {}
  for (const item of commaList(raw ?? '')) addSeeItem(grant, item)
  return grant
}

/** Who a new rule is for, and the stem of its generated id. */
export interface RuleTarget {
  readonly conditions: RuleConditions
  readonly stem: string
  /** Who, as `privacy show` says it. */
  readonly label: string
}

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)

export const addressTarget = (address: string): RuleTarget => ({
  conditions: { addresses: [address] },
  stem: `watcher-${slug(address)}`,
  label: address,
})
export const domainTarget = (domain: string): RuleTarget => ({
  conditions: { domains: [domain.trim().toLowerCase()] },
  stem: `domain-${slug(domain)}`,
  label: `@${domain.trim().toLowerCase()}`,
})
export const groupTarget = (group: { id: string; name: string }): RuleTarget => ({
  conditions: { groups: [group.id] },
  stem: `group-${slug(group.name) || slug(group.id)}`,
  label: `group ${group.name}`,
})
export const organizationTarget: RuleTarget = {
  conditions: { ownOrganization: true },
  stem: 'organization',
  label: 'your organization',
}

/** `stem`, or `stem-2`, `stem-3`… when that id is taken. */
export const freeRuleId = (stem: string, rules: readonly Rule[]): string => {
  const taken = new Set(rules.map((rule) => rule.id))
  let id = stem
  for (let n = 2; taken.has(id); n++) id = `${stem}-${n}`
  return id
}

/** JSON with sorted keys: two rules that mean the same compare equal. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  const entries = Object.entries(value).filter(([, v]) => v !== undefined)
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
}

/** A rule of `rules` that grants exactly what `rule` would (ids aside), if there is one. */
export const sameRule = (rules: readonly Rule[], rule: Omit<Rule, 'id'>): Rule | undefined => {
  const wanted = canonical({ ...rule, id: '' })
  return rules.find((r) => canonical({ ...r, id: '' }) === wanted)
}

/** The settings with `rules` as the person's own rules. */
export const withRules = (
  settings: PersonalSettings,
  rules: readonly Rule[],
): PersonalSettings => ({
  ...settings,
  rules,
})
