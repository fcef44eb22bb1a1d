// The pieces of the organization policy's editor: what a grant or ceiling lets a watcher see, a
// subscription handling, and the audience of a default rule (docs/privacy.md); web app.
import { useId } from '../../components.js'
import { Check, Choice } from '../../form-fields.js'
import { t } from '../../i18n/index.js'
import type { StringKey } from '../../i18n/en.js'
import type { OrganizationPolicy, Team } from './admin-api.js'

export type Rule = OrganizationPolicy['defaultRules'][number]
export type Grant = Rule['grant']
export type Handling = OrganizationPolicy['colleagueCeiling']['subscription']
type Location = NonNullable<Grant['location']>

/** The yes-or-no parts of a grant, in the order docs/privacy.md lists them. */
export const grantFlags = [
  'activities',
  'note',
  'mood',
  'place',
  'workLocation',
  'freeBusy',
  'timeZone',
  'lastSeen',
  'devices',
] as const
export const locations: readonly Location[] = ['none', 'country', 'city', 'exact']
/** Most private first, as RFC 5025 orders them. */
export const handlings: readonly Handling[] = ['block', 'confirm', 'polite-block', 'allow']
const scopes = ['work', 'personal'] as const

export const handlingText = (handling: Handling | undefined): string =>
  t(`adm_sub_${handling ?? 'block'}` as StringKey)

export const HandlingSelect = (props: { value: Handling; onChange: (next: Handling) => void }) => (
  <Choice
    label={t('adm_subscription')}
    value={props.value}
    choices={handlings}
    text={handlingText}
    set={props.onChange}
  />
)

const withScope = (grant: Grant, scope: (typeof scopes)[number], on: boolean): Grant => {
  const rest = (grant.contactScopes ?? []).filter((s) => s !== scope)
  return { ...grant, contactScopes: on ? [...rest, scope] : rest }
}

/**
 * A grant as checkboxes and a location select. `personal` is offered only where the policy may
 * grant personal contact methods (ceilings); default rules never may.
 */
export const GrantEditor = (props: {
  grant: Grant
  personal: boolean
  onChange: (next: Grant) => void
}) => {
  const { grant, onChange } = props
  const legend = useId('grant')
  const box = (key: string, label: string, checked: boolean, set: (on: boolean) => Grant) => (
    <Check key={key} label={label} checked={checked} set={(on) => onChange(set(on))} />
  )
  return (
    <fieldset class="grant" aria-labelledby={legend}>
      <legend id={legend}>{t('adm_theyMaySee')}</legend>
      {grantFlags.map((flag) =>
        box(flag, t(`adm_g_${flag}` as StringKey), grant[flag] === true, (on) => ({
          ...grant,
          [flag]: on,
        })),
      )}
      {scopes
        .filter((scope) => props.personal || scope === 'work')
        .map((scope) =>
          box(
            scope,
            t(`adm_g_${scope}` as StringKey),
            grant.contactScopes?.includes(scope) === true,
            (on) => withScope(grant, scope, on),
          ),
        )}
      <Choice
        label={t('adm_g_location')}
        value={grant.location ?? 'none'}
        choices={locations}
        text={(l) => t(`adm_loc_${l}` as StringKey)}
        set={(location) => onChange({ ...grant, location })}
      />
    </fieldset>
  )
}

const audiences = ['org', 'everyone', 'teams'] as const
type Audience = (typeof audiences)[number]

const audienceOf = (rule: Rule): Audience =>
  rule.conditions.everyone ? 'everyone' : rule.conditions.groups ? 'teams' : 'org'

/** The conditions for an audience; other conditions of the rule (addresses, validity) are kept. */
const withAudience = (
  rule: Rule,
  audience: Audience,
  teamIds: readonly string[],
): Rule['conditions'] => {
  const { everyone: _e, ownOrganization: _o, groups: _g, ...kept } = rule.conditions
  if (audience === 'everyone') return { ...kept, everyone: true }
  if (audience === 'org') return { ...kept, ownOrganization: true }
  return { ...kept, groups: [...teamIds] }
}

const TeamChoice = (props: {
  teams: readonly Team[]
  chosen: readonly string[]
  onChange: (next: readonly string[]) => void
}) => {
  const legend = useId('teams')
  if (props.teams.length === 0) return <p>{t('adm_noTeams')}</p>
  return (
    <fieldset aria-labelledby={legend}>
      <legend id={legend}>{t('adm_audienceTeams')}</legend>
      {props.teams.map((team) => (
        <Check
          key={team.id}
          label={team.name}
          checked={props.chosen.includes(team.id)}
          set={(on) =>
            props.onChange(
              on ? [...props.chosen, team.id] : props.chosen.filter((id) => id !== team.id),
            )
          }
        />
      ))}
    </fieldset>
  )
}

/** Who a default rule is for: colleagues, everyone, or members of chosen teams (by id). */
export const AudienceEditor = (props: {
  rule: Rule
  teams: readonly Team[]
  onChange: (next: Rule) => void
}) => {
  const { rule } = props
  const audience = audienceOf(rule)
  const chosen = rule.conditions.groups ?? []
  const set = (next: Audience, teamIds: readonly string[]) =>
    props.onChange({ ...rule, conditions: withAudience(rule, next, teamIds) })
  return (
    <>
      <Choice
        label={t('adm_audience')}
        value={audience}
        choices={audiences}
        text={(a) => t(`adm_aud_${a}`)}
        set={(next) => set(next, chosen)}
      />
      {audience === 'teams' ? (
        <TeamChoice teams={props.teams} chosen={chosen} onChange={(ids) => set('teams', ids)} />
      ) : null}
    </>
  )
}

/** A rule's audience in words, for the summary; teams by name. */
export const audienceText = (rule: Rule, teams: readonly Team[]): string => {
  const c = rule.conditions
  const parts: string[] = []
  if (c.everyone) parts.push(t('adm_aud_everyone'))
  if (c.ownOrganization) parts.push(t('adm_aud_org'))
  const names = (c.groups ?? []).map((id) => teams.find((team) => team.id === id)?.name ?? id)
  if (names.length) parts.push(t('adm_aud_teamsList', { list: names.join(', ') }))
  if (c.addresses?.length) parts.push(c.addresses.join(', '))
  if (c.domains?.length) parts.push(c.domains.join(', '))
  const who = parts.join(t('adm_or')) || t('adm_aud_nobody')
  return c.except?.length ? `${who} ${t('adm_except', { list: c.except.join(', ') })}` : who
}
