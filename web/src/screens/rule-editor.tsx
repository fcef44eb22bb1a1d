// My privacy rules as sentences, and the editor that adds one rule at a time: who (people,
// groups, domains, my organization, everyone; except some), when (working hours, a period), may
// they watch, and what they see (each grant, location to a granularity); web app.
import { useState } from 'preact/hooks'
import type { BodyOf, ReplyOf } from '@narvaro/sdk'
import { epochOf, listOf } from '../components.js'
import { Check, CheckList, Choice, TextField } from '../form-fields.js'
import { formatTime, t } from '../i18n/index.js'
import type { StringKey } from '../i18n/en.js'

export type Rule = NonNullable<BodyOf<'/v1/me/privacy', 'put'>['rules']>[number]
export type Group = ReplyOf<'/v1/groups', 'get'>[number]
type Handling = NonNullable<Rule['subscription']>
type Granularity = NonNullable<Rule['grant']['location']>
type Who = 'addresses' | 'groups' | 'domains' | 'org' | 'everyone'
type WorkingHours = 'any' | 'inside' | 'outside'

const grantKeys = [
  'activities',
  'note',
  'mood',
  'place',
  'workLocation',
  'timeZone',
  'lastSeen',
  'devices',
  'freeBusy',
] as const
const handlings: readonly Handling[] = ['allow', 'confirm', 'polite-block', 'block']
export const granularities: readonly Granularity[] = ['none', 'country', 'city', 'exact']
const whoChoices: readonly Who[] = ['addresses', 'groups', 'domains', 'org', 'everyone']

/** A group's name where it is known (rules keep group ids). */
export const groupName = (groups: readonly Group[], id: string): string =>
  groups.find((group) => group.id === id)?.name ?? id

/** The audiences of a rule: alternatives, so joined with "or". */
const audiencesOf = (rule: Rule, groups: readonly Group[]): string[] => {
  const c = rule.conditions
  const audiences: string[] = []
  if (c.everyone) audiences.push(t('rule_who_everyone'))
  if (c.ownOrganization) audiences.push(t('rule_who_org'))
  if (c.addresses?.length) audiences.push(t('rule_who_addresses', { list: c.addresses.join(', ') }))
  if (c.groups?.length) {
    const list = c.groups.map((id) => groupName(groups, id)).join(', ')
    audiences.push(t('ruleWhoGroups', { list }))
  }
  if (c.domains?.length) audiences.push(t('ruleWhoDomains', { list: c.domains.join(', ') }))
  return audiences
}

const whoOf = (rule: Rule, groups: readonly Group[]): string => {
  const c = rule.conditions
  const who = audiencesOf(rule, groups).join(` ${t('ruleOr')} `) || t('ruleWhoNobody')
  return c.except?.length ? `${who} ${t('rule_except', { list: c.except.join(', ') })}` : who
}

/** When a rule holds: its working hours and its period, in words; empty when always. */
const whenOf = (rule: Rule): string[] => {
  const c = rule.conditions
  const when: string[] = []
  if (c.workingHours) when.push(t(`ruleWhen_${c.workingHours}` as StringKey))
  if (c.validFrom !== undefined) when.push(t('ruleFrom', { time: formatTime(c.validFrom) }))
  if (c.validUntil !== undefined) when.push(t('ruleUntil', { time: formatTime(c.validUntil) }))
  return when
}

/** What a rule's grant shows beyond availability, in words. */
export const grantWords = (grant: Rule['grant']): string[] => {
  const seen = grantKeys.filter((key) => grant[key]).map((key) => t(`g_${key}` as StringKey))
  if (grant.contactScopes?.includes('work')) seen.push(t('g_workContacts'))
  if (grant.contactScopes?.includes('personal')) seen.push(t('g_personalContacts'))
  if (grant.location && grant.location !== 'none')
    seen.push(t('g_locationTo', { granularity: t(`gran_${grant.location}` as StringKey) }))
  return seen
}

/** One rule in words: who, when, what they see, how their subscriptions are handled. */
export const describeRule = (rule: Rule, groups: readonly Group[] = []): string => {
  const seen = grantWords(rule.grant)
  const parts = [whoOf(rule, groups), ...whenOf(rule)]
  parts.push(t('rule_sees', { list: seen.join(', ') || t('onlyAvailability') }))
  if (rule.subscription)
    parts.push(t('rule_subscription', { handling: t(`sub_${rule.subscription}` as StringKey) }))
  return parts.join('; ')
}

type GrantBox = (typeof grantKeys)[number] | 'workContacts' | 'personalContacts'

interface Draft {
  who: Who
  addresses: string
  groups: readonly string[]
  domains: string
  except: string
  workingHours: WorkingHours
  validFrom: string
  validUntil: string
  subscription: Handling
  location: Granularity
  grant: Record<GrantBox, boolean>
}

const emptyDraft: Draft = {
  who: 'addresses',
  addresses: '',
  groups: [],
  domains: '',
  except: '',
  workingHours: 'any',
  validFrom: '',
  validUntil: '',
  subscription: 'allow',
  location: 'none',
  grant: {
    activities: true,
    note: false,
    mood: false,
    place: false,
    workLocation: false,
    timeZone: true,
    lastSeen: false,
    devices: false,
    freeBusy: false,
    workContacts: true,
    personalContacts: false,
  },
}

const audienceOf = (draft: Draft): Rule['conditions'] => {
  switch (draft.who) {
    case 'org':
      return { ownOrganization: true }
    case 'everyone':
      return { everyone: true }
    case 'groups':
      return { groups: [...draft.groups] }
    case 'domains':
      return { domains: listOf(draft.domains) }
    default:
      return { addresses: listOf(draft.addresses) }
  }
}

const conditionsOf = (draft: Draft): Rule['conditions'] => {
  const except = listOf(draft.except)
  const from = epochOf(draft.validFrom)
  const until = epochOf(draft.validUntil)
  return {
    ...audienceOf(draft),
    ...(except.length ? { except } : {}),
    ...(draft.workingHours !== 'any' ? { workingHours: draft.workingHours } : {}),
    ...(from !== undefined ? { validFrom: from } : {}),
    ...(until !== undefined ? { validUntil: until } : {}),
  }
}

const ruleOf = (draft: Draft): Rule => {
  const grant: Rule['grant'] = {}
  for (const key of grantKeys) if (draft.grant[key]) grant[key] = true
  const scopes = [
    ...(draft.grant.workContacts ? (['work'] as const) : []),
    ...(draft.grant.personalContacts ? (['personal'] as const) : []),
  ]
  if (scopes.length) grant.contactScopes = scopes
  if (draft.location !== 'none') grant.location = draft.location
  return {
    id: `rule-${Date.now().toString(36)}`,
    conditions: conditionsOf(draft),
    subscription: draft.subscription,
    grant,
  }
}

type Edit = (patch: Partial<Draft>) => void

/** Checkboxes of the organization's groups and teams. */
export const GroupBoxes = (props: {
  legend: string
  name: string
  groups: readonly Group[]
  chosen: readonly string[]
  onChange: (chosen: string[]) => void
}) => (
  <CheckList
    legend={props.legend}
    choices={props.groups.map((group) => group.id)}
    chosen={props.chosen}
    text={(id) => props.groups.find((group) => group.id === id)?.name ?? id}
    name={() => props.name}
    set={props.onChange}
  >
    {props.groups.length === 0 ? <p>{t('noGroups')}</p> : null}
  </CheckList>
)

/** A text field of the draft, named after its key. */
const DraftText = (props: {
  label: string
  name: 'addresses' | 'domains' | 'except'
  draft: Draft
  set: Edit
}) => (
  <TextField
    label={props.label}
    name={props.name}
    value={props.draft[props.name]}
    set={(value) => props.set({ [props.name]: value })}
  />
)

const Audience = (props: { draft: Draft; set: Edit; groups: readonly Group[] }) => {
  const { draft, set } = props
  if (draft.who === 'addresses')
    return <DraftText label={t('ruleAddresses')} name="addresses" draft={draft} set={set} />
  if (draft.who === 'domains')
    return <DraftText label={t('ruleDomains')} name="domains" draft={draft} set={set} />
  if (draft.who === 'groups')
    return (
      <GroupBoxes
        legend={t('ruleGroups')}
        name="group"
        groups={props.groups}
        chosen={draft.groups}
        onChange={(groups) => set({ groups })}
      />
    )
  return null
}

const When = (props: { draft: Draft; set: Edit }) => {
  const { draft, set } = props
  const date = (name: 'validFrom' | 'validUntil', label: string) => (
    <TextField
      label={label}
      name={name}
      type="datetime-local"
      value={draft[name]}
      set={(value) => set({ [name]: value })}
    />
  )
  return (
    <>
      <Choice
        label={t('ruleWorkingHours')}
        name="workingHours"
        value={draft.workingHours}
        choices={['any', 'inside', 'outside'] as const}
        text={(choice) => t(`ruleHours_${choice}` as StringKey)}
        set={(workingHours) => set({ workingHours })}
      />
      {date('validFrom', t('ruleValidFrom'))}
      {date('validUntil', t('ruleValidUntil'))}
    </>
  )
}

const Grants = (props: { draft: Draft; set: Edit }) => {
  const { draft, set } = props
  const box = (key: GrantBox, label: string) => (
    <Check
      key={key}
      label={label}
      name={`grant-${key}`}
      checked={draft.grant[key]}
      set={(on) => set({ grant: { ...draft.grant, [key]: on } })}
    />
  )
  return (
    <fieldset>
      <legend>{t('grantTitle')}</legend>
      {grantKeys.map((key) => box(key, t(`g_${key}` as StringKey)))}
      {box('workContacts', t('g_workContacts'))}
      {box('personalContacts', t('g_personalContacts'))}
      <Choice
        label={t('ruleLocation')}
        name="location"
        value={draft.location}
        choices={granularities}
        text={(choice) => t(`gran_${choice}` as StringKey)}
        set={(location) => set({ location })}
      />
    </fieldset>
  )
}

export const RuleEditor = (props: { groups: readonly Group[]; onAdd: (rule: Rule) => void }) => {
  const [draft, setDraft] = useState<Draft>(emptyDraft)
  const set: Edit = (patch) => setDraft({ ...draft, ...patch })
  return (
    <form
      aria-labelledby="rule-title"
      onSubmit={(event) => {
        event.preventDefault()
        props.onAdd(ruleOf(draft))
        setDraft(emptyDraft)
      }}
    >
      <h3 id="rule-title">{t('addRule')}</h3>
      <Choice
        label={t('ruleWho')}
        name="who"
        value={draft.who}
        choices={whoChoices}
        text={(choice) => t(`ruleWhoChoice_${choice}` as StringKey)}
        set={(who) => set({ who })}
      />
      <Audience draft={draft} set={set} groups={props.groups} />
      <DraftText label={t('ruleExcept')} name="except" draft={draft} set={set} />
      <When draft={draft} set={set} />
      <Choice
        label={t('ruleSubscription')}
        name="subscription"
        value={draft.subscription}
        choices={handlings}
        text={(choice) => t(`sub_${choice}` as StringKey)}
        set={(subscription) => set({ subscription })}
      />
      <Grants draft={draft} set={set} />
      <button type="submit">{t('addRule')}</button>
    </form>
  )
}
