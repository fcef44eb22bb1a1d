// The organization policy in one table: what each default rule gives, and the most that colleagues
// and everyone else may ever see (the ceilings), permission by permission; web app.
import { t } from '../../i18n/index.js'
import type { StringKey } from '../../i18n/en.js'
import type { OrganizationPolicy, Team } from './admin-api.js'
import {
  audienceText,
  grantFlags,
  handlingText,
  type Grant,
  type Handling,
} from './grant-editor.js'

interface Column {
  readonly heading: string
  readonly subscription: Handling | undefined
  readonly grant: Grant
}

const yesNo = (on: boolean | undefined): string => t(on ? 'adm_yes' : 'adm_no')

type Row = readonly [StringKey, (column: Column) => string]

/** One row per permission: the key of its label and its value in a column. */
const rows: readonly Row[] = [
  ['adm_subscription', (c) => handlingText(c.subscription)],
  ...grantFlags.map((flag): Row => [`adm_g_${flag}`, (c) => yesNo(c.grant[flag])]),
  ['adm_g_location', (c) => t(`adm_loc_${c.grant.location ?? 'none'}` as StringKey)],
  ['adm_g_work', (c) => yesNo(c.grant.contactScopes?.includes('work'))],
  ['adm_g_personal', (c) => yesNo(c.grant.contactScopes?.includes('personal'))],
]

const columnsOf = (policy: OrganizationPolicy, teams: readonly Team[]): readonly Column[] => [
  ...policy.defaultRules.map((rule, index) => ({
    heading: t('adm_defaultRuleFor', { n: index + 1, who: audienceText(rule, teams) }),
    subscription: rule.subscription,
    grant: rule.grant,
  })),
  { heading: t('adm_colleagueCeiling'), ...policy.colleagueCeiling },
  { heading: t('adm_externalCeiling'), ...policy.externalCeiling },
]

export const PolicySummary = (props: { policy: OrganizationPolicy; teams: readonly Team[] }) => {
  const columns = columnsOf(props.policy, props.teams)
  return (
    <div class="policy-summary">
      <table data-policy-summary>
        <caption>{t('adm_summaryCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('adm_permission')}</th>
            {columns.map((column) => (
              <th scope="col" key={column.heading}>
                {column.heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{t(label)}</th>
              {columns.map((column) => (
                <td key={column.heading}>{value(column)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {props.policy.defaultRules.length === 0 ? <p>{t('adm_noDefaultRules')}</p> : null}
      <p>{t(props.policy.offWorkOutsideHours ? 'adm_offWorkOn' : 'adm_offWorkOff')}</p>
    </div>
  )
}
