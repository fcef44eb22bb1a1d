// The admin's webhooks section: my webhook endpoints with their state (enabled, or disabled and
// why), a new one whose secret is shown once, rotate the secret, enable or disable, delete, and
// an endpoint's delivery log (docs/integrations.md). Web app.
import { useState } from 'preact/hooks'
import { ItemButton, listOf, useAction } from '../../components.js'
import { CheckList, TextField } from '../../form-fields.js'
import { formatTime, t } from '../../i18n/index.js'
import type { StringKey } from '../../i18n/en.js'
import { adminApi, type Webhook, type WebhookWithSecret } from './admin-api.js'
import { AdminSection, AdminTable, CreateForm, useAdminList } from './admin-list.js'
import { DeliveryLog } from './webhook-deliveries.js'
import { ShownOnce } from './shown-once.js'

const events = ['presence', 'available', 'gathering'] as const
type EventType = (typeof events)[number]

const eventText = (event: string): string => t(`adm_event_${event}` as StringKey)
const eventsText = (list: readonly string[]): string => list.map(eventText).join(', ')

const stateOf = (hook: Webhook): string =>
  hook.enabled
    ? hook.failureCount > 0
      ? t('adm_enabledFailing', { count: hook.failureCount })
      : t('adm_enabled')
    : t('adm_disabledBecause', { reason: hook.disabledReason ?? t('adm_disabledByHand') })

const NewWebhook = (props: { onCreated: (hook: WebhookWithSecret) => Promise<void> }) => {
  const [url, setUrl] = useState('')
  const [addresses, setAddresses] = useState('')
  const [chosen, setChosen] = useState<readonly EventType[]>(['presence'])
  const { error, run } = useAction()
  const submit = () =>
    void run(async () => {
      const body = { url: url.trim(), addresses: listOf(addresses), events: [...chosen] }
      await props.onCreated(await adminApi.createWebhook(body))
      setUrl('')
      setAddresses('')
    })
  return (
    <CreateForm
      name="new-webhook"
      title={t('adm_newWebhook')}
      submit={t('adm_createWebhook')}
      disabled={chosen.length === 0}
      error={error}
      onSubmit={submit}
    >
      <TextField label={t('adm_webhookUrl')} type="url" required value={url} set={setUrl} />
      <TextField label={t('adm_webhookAddresses')} value={addresses} set={setAddresses} />
      <CheckList
        legend={t('adm_webhookEvents')}
        choices={events}
        chosen={chosen}
        text={eventText}
        set={setChosen}
      />
    </CreateForm>
  )
}

type Verb = 'rotate' | 'toggle' | 'delete' | 'log'
interface Action {
  readonly verb: Verb
  readonly hook: Webhook
}

const verbLabel = (verb: Verb, hook: Webhook): string =>
  verb === 'toggle' ? t(hook.enabled ? 'adm_disable' : 'adm_enable') : t(`adm_hook_${verb}`)

const WebhookRow = (props: { hook: Webhook; onAction: (action: Action) => void }) => {
  const { hook } = props
  return (
    <tr data-webhook={hook.url} data-enabled={String(hook.enabled)}>
      <td class="wrap">{hook.url}</td>
      <td>{eventsText(hook.events)}</td>
      <td class="wrap">{hook.addresses.join(', ') || t('none')}</td>
      <td data-field="state">{stateOf(hook)}</td>
      <td>
        <div class="buttons">
          {(['log', 'rotate', 'toggle', 'delete'] as const).map((verb) => (
            <ItemButton
              key={verb}
              label={verbLabel(verb, hook)}
              item={hook.url}
              onClick={() => props.onAction({ verb, hook })}
            />
          ))}
        </div>
      </td>
    </tr>
  )
}

/** What one action of a row does; returns the message to show, if any. */
const perform = async (
  { verb, hook }: Action,
  show: { secret: (hook: WebhookWithSecret) => void; log: (hook: Webhook) => void },
): Promise<string | undefined> => {
  if (verb === 'log') return void show.log(hook)
  if (verb === 'rotate') {
    const rotated = await adminApi.rotateWebhook(hook.id)
    show.secret(rotated)
    const until = rotated.previousSecretExpiresAt
    return until === undefined ? undefined : t('adm_oldSecretUntil', { time: formatTime(until) })
  }
  if (verb === 'toggle')
    return void (await adminApi.setWebhook(hook.id, { enabled: !hook.enabled }))
  if (!confirm(t('adm_confirmDeleteWebhook', { url: hook.url }))) return undefined
  await adminApi.removeWebhook(hook.id)
  return t('adm_webhookDeleted', { url: hook.url })
}

export const WebhooksSection = () => {
  const [secret, setSecret] = useState<WebhookWithSecret | undefined>(undefined)
  const [logOf, setLogOf] = useState<Webhook | undefined>(undefined)
  const { list, load, error, info, run } = useAdminList(async () => {
    const next = await adminApi.webhooks()
    // The log shown follows its endpoint: its new state, or gone with it.
    setLogOf((shown) => next.find((hook) => hook.id === shown?.id))
    return next
  })
  const onAction = (action: Action) =>
    void run(async () => {
      const message = await perform(action, { secret: setSecret, log: setLogOf })
      await load()
      return message
    })
  const onCreated = async (hook: WebhookWithSecret) => {
    setSecret(hook)
    await load()
  }
  const table = (
    <AdminTable
      columns={[
        t('adm_webhookUrl'),
        t('adm_webhookEvents'),
        t('adm_webhookAddresses'),
        t('adm_state'),
      ]}
      items={list}
      empty={t('adm_noWebhooks')}
      row={(hook) => <WebhookRow key={hook.id} hook={hook} onAction={onAction} />}
    />
  )
  const shown = secret ? (
    <ShownOnce
      label={t('adm_secretOf', { url: secret.url })}
      value={secret.secret}
      onDone={() => setSecret(undefined)}
    />
  ) : null
  return (
    <AdminSection
      name="webhooks"
      title={t('adm_webhooksTitle')}
      intro={t('adm_webhooksIntro')}
      table={table}
      beforeMessage={shown}
      message={{ error, info }}
    >
      {logOf ? <DeliveryLog hook={logOf} onClose={() => setLogOf(undefined)} /> : null}
      <NewWebhook onCreated={onCreated} />
    </AdminSection>
  )
}
