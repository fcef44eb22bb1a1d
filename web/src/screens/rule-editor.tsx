// My privacy rules as sentences, and a simple editor that adds or removes one rule at a time;
// web app.
import { useState } from 'preact/hooks'
import type { BodyOf } from '@narvaro/sdk'
import { Field, listOf } from '../components.js'
import { t } from '../i18n/index.js'
import type { StringKey } from '../i18n/en.js'

export type Rule = NonNullable<BodyOf<'/v1/me/privacy', 'put'>['rules']>[number]
type Handling = NonNullable<Rule['subscription']>

const grantKeys = ['activities', 'note', 'workLocation', 'timeZone', 'lastSeen', 'devices'] as const
const handlings: readonly Handling[] = ['allow', 'confirm', 'polite-block', 'block']

const whoOf = (rule: Rule): string => {
  const c = rule.conditions
  const who = c.everyone
    ? t('rule_who_everyone')
    : c.ownOrganization
      ? t('rule_who_org')
      : t('rule_who_addresses', { list: [...(c.addresses ?? []), ...(c.groups ?? [])].join(', ') })
  return c.except?.length ? `${who} ${t('rule_except', { list: c.except.join(', ') })}` : who
}

/** One rule in words: who, what they see, how their subscriptions are handled. */
export const describeRule = (rule: Rule): string => {
  const g = rule.grant
  const seen = grantKeys.filter((key) => g[key]).map((key) => t(`g_${key}` as StringKey))
  if (g.contactScopes?.includes('work')) seen.push(t('g_workContacts'))
  if (g.location && g.location !== 'none') seen.push(`${t('g_location')} (${g.location})`)
  const parts = [whoOf(rule), t('rule_sees', { list: seen.join(', ') || t('onlyAvailability') })]
  if (rule.subscription)
    parts.push(t('rule_subscription', { handling: t(`sub_${rule.subscription}` as StringKey) }))
  return parts.join('; ')
}

interface Draft {
  who: 'org' | 'addresses'
  addresses: string
  except: string
  subscription: Handling
  grant: Record<(typeof grantKeys)[number] | 'workContacts', boolean>
}

const emptyDraft: Draft = {
  who: 'addresses',
  addresses: '',
  except: '',
  subscription: 'allow',
  grant: {
    activities: true,
    note: false,
    workLocation: false,
    timeZone: true,
    lastSeen: false,
    devices: false,
    workContacts: true,
  },
}

const ruleOf = (draft: Draft): Rule => {
  const except = listOf(draft.except)
  const conditions =
    draft.who === 'org' ? { ownOrganization: true } : { addresses: listOf(draft.addresses) }
  const grant: Rule['grant'] = {}
  for (const key of grantKeys) if (draft.grant[key]) grant[key] = true
  if (draft.grant.workContacts) grant.contactScopes = ['work']
  return {
    id: `rule-${Date.now().toString(36)}`,
    conditions: except.length ? { ...conditions, except } : conditions,
    subscription: draft.subscription,
    grant,
  }
}

export const RuleEditor = (props: { onAdd: (rule: Rule) => void }) => {
  const [draft, setDraft] = useState<Draft>(emptyDraft)
  const grantBox = (key: keyof Draft['grant'], label: string) => (
    <label class="check" key={key}>
      <input
        type="checkbox"
        name={`grant-${key}`}
        checked={draft.grant[key]}
        onChange={(e) =>
          setDraft({ ...draft, grant: { ...draft.grant, [key]: e.currentTarget.checked } })
        }
      />{' '}
      {label}
    </label>
  )
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
      <Field label={t('ruleWho')}>
        {(id) => (
          <select
            id={id}
            name="who"
            value={draft.who}
            onChange={(e) => setDraft({ ...draft, who: e.currentTarget.value as Draft['who'] })}
          >
            <option value="addresses">{t('ruleAddresses')}</option>
            <option value="org">{t('rule_who_org')}</option>
          </select>
        )}
      </Field>
      {draft.who === 'addresses' ? (
        <Field label={t('ruleAddresses')}>
          {(id) => (
            <input
              id={id}
              name="addresses"
              value={draft.addresses}
              onInput={(e) => setDraft({ ...draft, addresses: e.currentTarget.value })}
            />
          )}
        </Field>
      ) : null}
      <Field label={t('ruleExcept')}>
        {(id) => (
          <input
            id={id}
            name="except"
            value={draft.except}
            onInput={(e) => setDraft({ ...draft, except: e.currentTarget.value })}
          />
        )}
      </Field>
      <Field label={t('ruleSubscription')}>
        {(id) => (
          <select
            id={id}
            name="subscription"
            value={draft.subscription}
            onChange={(e) =>
              setDraft({ ...draft, subscription: e.currentTarget.value as Handling })
            }
          >
            {handlings.map((h) => (
              <option key={h} value={h}>
                {t(`sub_${h}` as StringKey)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset>
        <legend>{t('grantTitle')}</legend>
        {grantKeys.map((key) => grantBox(key, t(`g_${key}` as StringKey)))}
        {grantBox('workContacts', t('g_workContacts'))}
      </fieldset>
      <button type="submit">{t('addRule')}</button>
    </form>
  )
}
