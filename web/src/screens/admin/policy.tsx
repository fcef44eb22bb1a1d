// The admin's organization policy section: the policy in a table (default rules and ceilings,
// docs/privacy.md), and its editor, which saves the whole policy at once; web app.
import { useEffect, useState } from 'preact/hooks'
import { Alert, useAction } from '../../components.js'
import { t } from '../../i18n/index.js'
import { client } from '../../session.js'
import { adminApi, type OrganizationPolicy, type Team } from './admin-api.js'
import {
  AudienceEditor,
  GrantEditor,
  HandlingSelect,
  audienceText,
  type Rule,
} from './grant-editor.js'
import { PolicySummary } from './policy-summary.js'

type Ceiling = OrganizationPolicy['colleagueCeiling']
type CeilingKey = 'colleagueCeiling' | 'externalCeiling'

/** A new default rule: colleagues, allowed, seeing activities and work contact methods. */
const newRule = (): Rule => ({
  id: `org-default-${Date.now().toString(36)}`,
  conditions: { ownOrganization: true },
  subscription: 'allow',
  grant: { activities: true, contactScopes: ['work'] },
})

const CeilingEditor = (props: {
  name: CeilingKey
  ceiling: Ceiling
  onChange: (next: Ceiling) => void
}) => {
  const { ceiling, onChange } = props
  return (
    <fieldset class="policy-part" data-part={props.name}>
      <legend>{t(`adm_${props.name}`)}</legend>
      <p>{t(`adm_${props.name}Help`)}</p>
      <HandlingSelect
        value={ceiling.subscription}
        onChange={(subscription) => onChange({ ...ceiling, subscription })}
      />
      <GrantEditor
        grant={ceiling.grant}
        personal
        onChange={(grant) => onChange({ ...ceiling, grant })}
      />
    </fieldset>
  )
}

const RuleEditor = (props: {
  rule: Rule
  index: number
  teams: readonly Team[]
  onChange: (next: Rule | undefined) => void
}) => {
  const { rule, onChange } = props
  const heading = t('adm_defaultRuleFor', {
    n: props.index + 1,
    who: audienceText(rule, props.teams),
  })
  return (
    <fieldset class="policy-part" data-part={`default-${props.index + 1}`}>
      <legend>{heading}</legend>
      <AudienceEditor rule={rule} teams={props.teams} onChange={onChange} />
      <HandlingSelect
        value={rule.subscription ?? 'block'}
        onChange={(subscription) => onChange({ ...rule, subscription })}
      />
      <GrantEditor
        grant={rule.grant}
        personal={false}
        onChange={(grant) => onChange({ ...rule, grant })}
      />
      <button
        type="button"
        aria-label={`${t('adm_removeRule')}: ${heading}`}
        onClick={() => onChange(undefined)}
      >
        {t('adm_removeRule')}
      </button>
    </fieldset>
  )
}

const DefaultRules = (props: {
  rules: readonly Rule[]
  teams: readonly Team[]
  onChange: (next: readonly Rule[]) => void
}) => {
  const { rules, onChange } = props
  const setRule = (index: number, next: Rule | undefined) =>
    onChange(rules.flatMap((rule, i) => (i !== index ? [rule] : next ? [next] : [])))
  return (
    <div class="default-rules">
      <h3>{t('adm_defaultRules')}</h3>
      <p>{t('adm_defaultRulesHelp')}</p>
      {rules.map((rule, index) => (
        <RuleEditor
          key={rule.id}
          rule={rule}
          index={index}
          teams={props.teams}
          onChange={(next) => setRule(index, next)}
        />
      ))}
      <button type="button" onClick={() => onChange([...rules, newRule()])}>
        {t('adm_addDefaultRule')}
      </button>
    </div>
  )
}

const PolicyEditor = (props: {
  saved: OrganizationPolicy
  teams: readonly Team[]
  onSave: (next: OrganizationPolicy) => void
}) => {
  const [draft, setDraft] = useState(props.saved)
  useEffect(() => setDraft(props.saved), [props.saved])
  const set = (part: Partial<OrganizationPolicy>) => setDraft({ ...draft, ...part })
  const changed = JSON.stringify(draft) !== JSON.stringify(props.saved)
  return (
    <form
      aria-labelledby="policy-edit-title"
      onSubmit={(event) => {
        event.preventDefault()
        props.onSave(draft)
      }}
    >
      <h3 id="policy-edit-title">{t('adm_editPolicy')}</h3>
      <DefaultRules
        rules={draft.defaultRules}
        teams={props.teams}
        onChange={(rules) => set({ defaultRules: [...rules] })}
      />
      <h3>{t('adm_ceilings')}</h3>
      {(['colleagueCeiling', 'externalCeiling'] as const).map((name) => (
        <CeilingEditor
          key={name}
          name={name}
          ceiling={draft[name]}
          onChange={(next) => set({ [name]: next })}
        />
      ))}
      <label class="check">
        <input
          type="checkbox"
          checked={draft.offWorkOutsideHours}
          onChange={(e) => set({ offWorkOutsideHours: e.currentTarget.checked })}
        />{' '}
        {t('adm_offWorkOutsideHours')}
      </label>
      <div class="buttons">
        <button type="submit">{t('adm_savePolicy')}</button>
        <button type="button" disabled={!changed} onClick={() => setDraft(props.saved)}>
          {t('adm_undoChanges')}
        </button>
      </div>
      {changed ? <p>{t('adm_unsaved')}</p> : null}
    </form>
  )
}

export const PolicySection = () => {
  const [policy, setPolicy] = useState<OrganizationPolicy | undefined>(undefined)
  const [teams, setTeams] = useState<readonly Team[]>([])
  const { error, info, run } = useAction()
  useEffect(
    () =>
      void run(async () => {
        const [saved, known] = await Promise.all([adminApi.policy(), client.teams()])
        setTeams(known)
        setPolicy(saved)
      }),
    [],
  )
  const save = (next: OrganizationPolicy) =>
    void run(async () => {
      setPolicy(await adminApi.setPolicy(next))
      return t('adm_policySaved')
    })
  return (
    <section aria-labelledby="policy-title">
      <h2 id="policy-title">{t('adm_policyTitle')}</h2>
      <p>{t('adm_policyIntro')}</p>
      {policy ? <PolicySummary policy={policy} teams={teams} /> : <p>{t('loading')}</p>}
      {policy ? <PolicyEditor saved={policy} teams={teams} onSave={save} /> : null}
      <Alert error={error} info={info} />
    </section>
  )
}
