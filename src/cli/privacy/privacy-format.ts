// Privacy as text: rules as table rows (who, handling, grants in the words of `--see`), permissions
// of a preview, and audit events; CLI layer, pure.
import type { Static } from 'typebox'
import type { AuditEventSchema, PermissionsSchema } from '../../transports/rest/privacy-schemas.js'
import { formatTable, formatWhen, truncate } from '../shared/output.js'
import type { Grant, Rule, RuleConditions } from './privacy-rules.js'
import { seeFlags } from './privacy-rules.js'

export type Permissions = Static<typeof PermissionsSchema>
export type AuditEvent = Static<typeof AuditEventSchema>

/** Group ids to names, for rules that name groups. */
export type GroupNames = ReadonlyMap<string, string>

const whoParts = (c: RuleConditions, groups: GroupNames): string[] => {
  const who: string[] = [...(c.addresses ?? [])]
  for (const domain of c.domains ?? []) who.push(`@${domain}`)
  for (const id of c.groups ?? []) who.push(`group ${groups.get(id) ?? id}`)
  if (c.ownOrganization) who.push('your organization')
  if (c.everyone) who.push('everyone')
  return who
}

/** `your organization except ola@acme.example, inside working hours`. */
export const conditionsText = (c: RuleConditions, groups: GroupNames, now = Date.now()): string => {
  const who = whoParts(c, groups)
  const parts = [who.length > 0 ? who.join(' and ') : 'nobody']
  if (c.except?.length) parts[0] += ` except ${c.except.join(', ')}`
  if (c.validFrom !== undefined) parts.push(`from ${formatWhen(c.validFrom, now)}`)
  if (c.validUntil !== undefined) parts.push(`until ${formatWhen(c.validUntil, now)}`)
  if (c.workingHours) parts.push(`${c.workingHours} working hours`)
  return parts.join(', ')
}

/** A grant in the words of `--see`: `activities, note, location=city, contact=work`. */
export const grantText = (grant: Grant): string => {
  const words: string[] = []
  for (const [word, field] of Object.entries(seeFlags)) if (grant[field]) words.push(word)
  if (grant.location && grant.location !== 'none') words.push(`location=${grant.location}`)
  for (const scope of grant.contactScopes ?? []) words.push(`contact=${scope}`)
  for (const id of grant.contactMethodIds ?? []) words.push(`contact-method=${id}`)
  return words.length > 0 ? words.join(', ') : 'availability only'
}

/** ID, WHO, HANDLING, GRANTS; a rule without handling grants no subscription by itself. */
export const ruleRows = (rules: readonly Rule[], groups: GroupNames): string[][] =>
  rules.map((rule) => [
    rule.id,
    conditionsText(rule.conditions, groups),
    rule.subscription ?? '-',
    grantText(rule.grant),
  ])

export const ruleHeaders = ['ID', 'WHO', 'HANDLING', 'GRANTS']

const yesNo = (value: boolean): string => (value ? 'yes' : 'no')

/** The permissions of a preview as an indented two-column list. */
export const describePermissions = (p: Permissions): string => {
  const sees = grantText({ ...p, location: 'none', contactScopes: [], contactMethodIds: [] })
  const contact = [...p.contactScopes, ...p.contactMethodIds.map((id) => `method ${id}`)]
  const rows = [
    ['handling', p.subscription],
    ['sees', sees === 'availability only' ? 'availability' : `availability, ${sees}`],
    ['location', p.location],
    ['contact methods', contact.length > 0 ? contact.join(', ') : 'none'],
    ['appear offline', yesNo(p.appearOffline)],
    ['off work', yesNo(p.offWork)],
  ]
  return formatTable(['', ''], rows)
    .split('\n')
    .slice(1)
    .map((line) => `  ${line}`)
    .join('\n')
}

const settingsSummary = (settings: Record<string, unknown>): string => {
  const rules = Array.isArray(settings['rules'])
    ? `${settings['rules'].length} rules`
    : 'default rules'
  const offline = Array.isArray(settings['appearOfflineTo'])
    ? settings['appearOfflineTo'].length
    : 0
  const outside = settings['shareOutsideWorkingHours'] === true ? ', shares outside hours' : ''
  return `${rules}, appears offline to ${offline}${outside}`
}

/** What an audit event recorded, in a few words. */
export const auditWhat = (event: AuditEvent): string => {
  const { data } = event
  switch (event.kind) {
    case 'disclosure':
      return Array.isArray(data['details']) ? data['details'].join(', ') : ''
    case 'subscription':
      return `subscription ${String(data['state'] ?? '')}`.trimEnd()
    case 'rule-change':
      return `settings: ${settingsSummary((data['settings'] ?? {}) as Record<string, unknown>)}`
    case 'policy-change':
      return 'organization policy replaced'
    default:
      return truncate(JSON.stringify(data), 60)
  }
}
