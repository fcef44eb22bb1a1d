// The admin's integrations section: the organization's integration sources (phone system,
// conference service...) with their state, a new one whose token is shown once, rotate and revoke
// (docs/integrations.md); web app.
import { useState } from 'preact/hooks'
import { ItemButton, useAction } from '../../components.js'
import { CheckList, TextField } from '../../form-fields.js'
import { formatTime, t } from '../../i18n/index.js'
import type { StringKey } from '../../i18n/en.js'
import { adminApi, type Integration, type IssuedIntegration } from './admin-api.js'
import { AdminSection, AdminTable, CreateForm, useAdminList } from './admin-list.js'
import { ShownOnce } from './shown-once.js'

const kinds = ['phone', 'conference', 'integration'] as const
type Kind = (typeof kinds)[number]

const kindText = (kind: string): string => t(`adm_kind_${kind}` as StringKey)
const kindsText = (list: readonly string[]): string => list.map(kindText).join(', ')

const stateOf = (integration: Integration): string =>
  integration.revokedAt === undefined
    ? t('adm_active')
    : t('adm_revokedAt', { time: formatTime(integration.revokedAt) })

const NewIntegration = (props: { onIssued: (issued: IssuedIntegration) => Promise<void> }) => {
  const [name, setName] = useState('')
  const [chosen, setChosen] = useState<readonly Kind[]>(['phone'])
  const { error, run } = useAction()
  const submit = () =>
    void run(async () => {
      await props.onIssued(
        await adminApi.createIntegration({ name: name.trim(), kinds: [...chosen] }),
      )
      setName('')
    })
  return (
    <CreateForm
      name="new-integration"
      title={t('adm_newIntegration')}
      submit={t('adm_createIntegration')}
      disabled={chosen.length === 0}
      error={error}
      onSubmit={submit}
    >
      <TextField label={t('adm_integrationName')} required value={name} set={setName} />
      <CheckList
        legend={t('adm_integrationKinds')}
        choices={kinds}
        chosen={chosen}
        text={kindText}
        set={setChosen}
      />
    </CreateForm>
  )
}

const IntegrationRow = (props: { integration: Integration; onAction: (a: Action) => void }) => {
  const i = props.integration
  const active = i.revokedAt === undefined
  return (
    <tr data-integration={i.name} data-state={active ? 'active' : 'revoked'}>
      <td>{i.name}</td>
      <td>{kindsText(i.kinds)}</td>
      <td>{stateOf(i)}</td>
      <td>{i.lastUsedAt === undefined ? t('adm_never') : formatTime(i.lastUsedAt)}</td>
      <td>
        {active ? (
          <div class="buttons">
            <ItemButton
              label={t('adm_rotateToken')}
              item={i.name}
              onClick={() => props.onAction({ kind: 'rotate', integration: i })}
            />
            <ItemButton
              label={t('revoke')}
              item={i.name}
              onClick={() => props.onAction({ kind: 'revoke', integration: i })}
            />
          </div>
        ) : null}
      </td>
    </tr>
  )
}

interface Action {
  readonly kind: 'rotate' | 'revoke'
  readonly integration: Integration
}

export const IntegrationsSection = () => {
  const [issued, setIssued] = useState<IssuedIntegration | undefined>(undefined)
  const { list, load, error, info, run } = useAdminList(adminApi.integrations)
  const onIssued = async (next: IssuedIntegration) => {
    setIssued(next)
    await load()
  }
  const onAction = ({ kind, integration }: Action) =>
    void run(async () => {
      if (kind === 'rotate') return onIssued(await adminApi.rotateIntegration(integration.id))
      if (!confirm(t('adm_confirmRevoke', { name: integration.name }))) return
      await adminApi.revokeIntegration(integration.id)
      await load()
      return t('adm_revoked', { name: integration.name })
    })
  const table = (
    <AdminTable
      columns={[
        t('adm_integrationName'),
        t('adm_integrationKinds'),
        t('adm_state'),
        t('adm_lastUsed'),
      ]}
      items={list}
      empty={t('adm_noIntegrations')}
      row={(integration) => (
        <IntegrationRow key={integration.id} integration={integration} onAction={onAction} />
      )}
    />
  )
  const shown = issued ? (
    <ShownOnce
      label={t('adm_tokenOf', { name: issued.integration.name })}
      value={issued.token}
      onDone={() => setIssued(undefined)}
    />
  ) : null
  return (
    <AdminSection
      name="integrations"
      title={t('adm_integrationsTitle')}
      intro={t('adm_integrationsIntro')}
      table={table}
      beforeMessage={shown}
      message={{ error, info }}
    >
      <NewIntegration onIssued={onIssued} />
    </AdminSection>
  )
}
