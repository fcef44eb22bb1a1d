// The admin's integrations section: the organization's integration sources (phone system,
// conference service...) with their state, a new one whose token is shown once, rotate and revoke
// (docs/integrations.md); web app.
import { useEffect, useState } from 'preact/hooks'
import { Alert, Field, useAction } from '../../components.js'
import { formatTime, t } from '../../i18n/index.js'
import type { StringKey } from '../../i18n/en.js'
import { adminApi, type Integration, type IssuedIntegration } from './admin-api.js'
import { ShownOnce } from './shown-once.js'

const kinds = ['phone', 'conference', 'integration'] as const
type Kind = (typeof kinds)[number]

const kindsText = (list: readonly string[]): string =>
  list.map((kind) => t(`adm_kind_${kind}` as StringKey)).join(', ')

const stateOf = (integration: Integration): string =>
  integration.revokedAt === undefined
    ? t('adm_active')
    : t('adm_revokedAt', { time: formatTime(integration.revokedAt) })

const NewIntegration = (props: { onIssued: (issued: IssuedIntegration) => Promise<void> }) => {
  const [name, setName] = useState('')
  const [chosen, setChosen] = useState<readonly Kind[]>(['phone'])
  const { error, run } = useAction()
  const toggle = (kind: Kind, on: boolean) =>
    setChosen(on ? [...chosen, kind] : chosen.filter((k) => k !== kind))
  const submit = (event: Event) => {
    event.preventDefault()
    void run(async () => {
      await props.onIssued(
        await adminApi.createIntegration({ name: name.trim(), kinds: [...chosen] }),
      )
      setName('')
    })
  }
  return (
    <form aria-labelledby="new-integration-title" onSubmit={submit}>
      <h3 id="new-integration-title">{t('adm_newIntegration')}</h3>
      <Field label={t('adm_integrationName')}>
        {(id) => (
          <input id={id} required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        )}
      </Field>
      <fieldset>
        <legend>{t('adm_integrationKinds')}</legend>
        {kinds.map((kind) => (
          <label class="check" key={kind}>
            <input
              type="checkbox"
              checked={chosen.includes(kind)}
              onChange={(e) => toggle(kind, e.currentTarget.checked)}
            />{' '}
            {t(`adm_kind_${kind}` as StringKey)}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={chosen.length === 0}>
        {t('adm_createIntegration')}
      </button>
      <Alert error={error} />
    </form>
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
            <button
              type="button"
              aria-label={`${t('adm_rotateToken')}: ${i.name}`}
              onClick={() => props.onAction({ kind: 'rotate', integration: i })}
            >
              {t('adm_rotateToken')}
            </button>
            <button
              type="button"
              aria-label={`${t('revoke')}: ${i.name}`}
              onClick={() => props.onAction({ kind: 'revoke', integration: i })}
            >
              {t('revoke')}
            </button>
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

const IntegrationTable = (props: {
  list: readonly Integration[]
  onAction: (a: Action) => void
}) =>
  props.list.length === 0 ? (
    <p>{t('adm_noIntegrations')}</p>
  ) : (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('adm_integrationName')}</th>
          <th scope="col">{t('adm_integrationKinds')}</th>
          <th scope="col">{t('adm_state')}</th>
          <th scope="col">{t('adm_lastUsed')}</th>
          <th scope="col">
            <span class="visually-hidden">{t('adm_actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.list.map((integration) => (
          <IntegrationRow
            key={integration.id}
            integration={integration}
            onAction={props.onAction}
          />
        ))}
      </tbody>
    </table>
  )

export const IntegrationsSection = () => {
  const [list, setList] = useState<readonly Integration[]>([])
  const [issued, setIssued] = useState<IssuedIntegration | undefined>(undefined)
  const { error, info, run } = useAction()
  const load = async () => setList(await adminApi.integrations())
  useEffect(() => void run(load), [])
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
  return (
    <section aria-labelledby="integrations-title">
      <h2 id="integrations-title">{t('adm_integrationsTitle')}</h2>
      <p>{t('adm_integrationsIntro')}</p>
      <IntegrationTable list={list} onAction={onAction} />
      {issued ? (
        <ShownOnce
          label={t('adm_tokenOf', { name: issued.integration.name })}
          value={issued.token}
          onDone={() => setIssued(undefined)}
        />
      ) : null}
      <Alert error={error} info={info} />
      <NewIntegration onIssued={onIssued} />
    </section>
  )
}
