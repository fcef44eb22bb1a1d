// A person's rules as an RFC 5025 pres-rules document (common policy, RFC 4745) and back: identities,
// `except` and validity in common policy's own elements, sub-handling and the provide-* of RFC 5025,
// and what Närvaro adds (groups, own organization, working hours, work location, free/busy, location
// granularity, time zone, last seen, contact methods) in its own namespace. Transport layer.
import { Element } from 'ltx'
import type { Grant, PersonalRule, RuleConditions } from '../../core/policy/policy-model.js'
import { XmlDocumentError, parseXmlDocument } from '../shared/xml-document.js'

export const commonPolicyNs = 'urn:ietf:params:xml:ns:common-policy'
export const presRulesNs = 'urn:ietf:params:xml:ns:pres-rules'
export const narvaroPolicyNs = 'urn:x-narvaro:params:xml:ns:policy'
export const presRulesType = 'application/auth-policy+xml'

/** The RFC 5025 provide-* elements of Närvaro's boolean grants. */
const provides: readonly [keyof Grant, string][] = [
  ['activities', 'provide-activities'],
  ['note', 'provide-note'],
  ['mood', 'provide-mood'],
  ['place', 'provide-place-type'],
  ['devices', 'provide-devices'],
  ['timeZone', 'provide-time-offset'],
]

/** Närvaro's own boolean grants, in its namespace. */
const ownGrants: readonly (keyof Grant)[] = ['workLocation', 'freeBusy', 'lastSeen']

const identity = (conditions: RuleConditions): Element | undefined => {
  const { addresses = [], domains = [], everyone, except = [] } = conditions
  if (addresses.length === 0 && domains.length === 0 && !everyone) return undefined
  const element = new Element('cr:identity')
  for (const a of addresses) element.c('cr:one', { id: `sip:${a}` })
  const excepts = (many: Element) => {
    for (const e of except) many.c('cr:except', { id: `sip:${e}` })
  }
  for (const d of domains) excepts(element.c('cr:many', { domain: d }))
  if (everyone) excepts(element.c('cr:many'))
  return element
}

const conditionsElement = (c: RuleConditions): Element => {
  const element = new Element('cr:conditions')
  const id = identity(c)
  if (id) element.cnode(id)
  if (c.validFrom !== undefined || c.validUntil !== undefined) {
    const validity = element.c('cr:validity')
    validity.c('cr:from').t(new Date(c.validFrom ?? 0).toISOString())
    validity.c('cr:until').t(new Date(c.validUntil ?? 8.64e15).toISOString())
  }
  for (const g of c.groups ?? []) element.c('nv:group', { id: g })
  if (c.ownOrganization) element.c('nv:own-organization')
  if (c.workingHours) element.c('nv:working-hours').t(c.workingHours)
  return element
}

const transformations = (grant: Grant): Element => {
  const element = new Element('cr:transformations')
  for (const [key, name] of provides) {
    if (!grant[key]) continue
    if (name === 'provide-devices') element.c(`pr:${name}`).c('pr:all-devices')
    else element.c(`pr:${name}`).t('true')
  }
  for (const key of ownGrants) if (grant[key]) element.c(`nv:${key}`).t('true')
  if (grant.location && grant.location !== 'none') element.c('nv:location').t(grant.location)
  for (const s of grant.contactScopes ?? []) element.c('nv:contact-scope').t(s)
  for (const m of grant.contactMethodIds ?? []) element.c('nv:contact-method', { id: m })
  return element
}

/** The rules as a pres-rules document. */
export const presRulesXml = (rules: readonly PersonalRule[]): string => {
  const root = new Element('cr:ruleset', {
    'xmlns:cr': commonPolicyNs,
    'xmlns:pr': presRulesNs,
    'xmlns:nv': narvaroPolicyNs,
  })
  for (const rule of rules) {
    const element = root.c('cr:rule', { id: rule.id })
    element.cnode(conditionsElement(rule.conditions))
    if (rule.subscription) element.c('cr:actions').c('pr:sub-handling').t(rule.subscription)
    element.cnode(transformations(rule.grant))
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root.toString()}`
}

/** Why a pres-rules document cannot be taken (400 NRV_VALIDATION). */
export class PresRulesError extends Error {}

const nsOf = (element: Element): string | undefined => {
  for (let e: Element | null = element; e; e = e.parent) {
    const ns = e.attrs['xmlns'] as string | undefined
    if (ns !== undefined) return ns
  }
  return undefined
}

const kids = (element: Element | undefined, name?: string): Element[] =>
  (element?.children ?? []).filter(
    (c): c is Element => c instanceof Element && (name === undefined || c.name === name),
  )

const withoutSip = (id: unknown): string => String(id ?? '').replace(/^sips?:/i, '')

const readIdentity = (identity: Element, c: Record<string, unknown>): void => {
  const addresses: string[] = []
  const domains: string[] = []
  const except: string[] = []
  for (const e of kids(identity)) {
    if (e.name === 'one') addresses.push(withoutSip(e.attrs['id']))
    else if (e.name === 'many') {
      const domain = e.attrs['domain'] as string | undefined
      if (domain) domains.push(domain)
      else c['everyone'] = true
      for (const x of kids(e, 'except')) except.push(withoutSip(x.attrs['id']))
    } else throw new PresRulesError(`an unknown identity condition: ${e.name.slice(0, 40)}`)
  }
  if (addresses.length > 0) c['addresses'] = addresses
  if (domains.length > 0) c['domains'] = domains
  if (except.length > 0) c['except'] = except
}

/** The conditions of a rule; an unknown one refuses the document (ignoring it would widen the rule). */
const readConditions = (element: Element | undefined): RuleConditions => {
  const c: Record<string, unknown> = {}
  for (const e of kids(element)) {
    if (e.name === 'identity') readIdentity(e, c)
    else if (e.name === 'validity') {
      const from = Date.parse(kids(e, 'from')[0]?.getText() ?? '')
      const until = Date.parse(kids(e, 'until')[0]?.getText() ?? '')
      if (Number.isFinite(from)) c['validFrom'] = from
      if (Number.isFinite(until) && until < 8.64e15) c['validUntil'] = until
    } else if (e.name === 'group' && nsOf(e) === narvaroPolicyNs)
      c['groups'] = [...((c['groups'] as string[]) ?? []), String(e.attrs['id'] ?? '')]
    else if (e.name === 'own-organization' && nsOf(e) === narvaroPolicyNs)
      c['ownOrganization'] = true
    else if (e.name === 'working-hours' && nsOf(e) === narvaroPolicyNs)
      c['workingHours'] = e.getText()
    else throw new PresRulesError(`an unknown condition: ${e.name.slice(0, 40)}`)
  }
  return c as RuleConditions
}

/** The grants of a rule; unknown transformations give nothing (RFC 4745: grants only add). */
const readGrant = (element: Element | undefined): Grant => {
  const g: Record<string, unknown> = {}
  for (const e of kids(element)) {
    const ns = nsOf(e)
    const provide = provides.find(([, name]) => name === e.name)
    if (ns === presRulesNs && provide)
      g[provide[0]] =
        e.name === 'provide-devices' ? kids(e).length > 0 : e.getText().trim() === 'true'
    else if (ns !== narvaroPolicyNs) continue
    else if ((ownGrants as readonly string[]).includes(e.name))
      g[e.name] = e.getText().trim() === 'true'
    else if (e.name === 'location') g['location'] = e.getText().trim()
    else if (e.name === 'contact-scope')
      g['contactScopes'] = [...((g['contactScopes'] as string[]) ?? []), e.getText().trim()]
    else if (e.name === 'contact-method')
      g['contactMethodIds'] = [
        ...((g['contactMethodIds'] as string[]) ?? []),
        String(e.attrs['id'] ?? ''),
      ]
  }
  return g as Grant
}

/** The rules of a pres-rules document, to be checked against the rules' schema by the caller. */
export const rulesOfPresRules = (text: string): PersonalRule[] => {
  let root: Element
  try {
    root = parseXmlDocument(text, { maxChars: 64 * 1024, maxDepth: 8, maxAttributes: 8 })
  } catch (error) {
    if (error instanceof XmlDocumentError) throw new PresRulesError(error.message)
    throw error
  }
  if (root.name !== 'ruleset' || nsOf(root) !== commonPolicyNs)
    throw new PresRulesError('not a common-policy ruleset')
  return kids(root, 'rule').map((rule) => {
    const handling = kids(kids(rule, 'actions')[0], 'sub-handling')[0]?.getText().trim()
    return {
      id: String(rule.attrs['id'] ?? ''),
      conditions: readConditions(kids(rule, 'conditions')[0]),
      ...(handling ? { subscription: handling as PersonalRule['subscription'] } : {}),
      grant: readGrant(kids(rule, 'transformations')[0]),
    }
  })
}
