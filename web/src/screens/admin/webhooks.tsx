// The admin's webhooks section: my webhook endpoints with their state (enabled, or disabled and
// why), a new one whose secret is shown once, rotate the secret, enable or disable, delete, and
// an endpoint's delivery log (docs/integrations.md). Web app.
import { useEffect, useState } from 'preact/hooks'
import { Alert, Field, listOf, useAction } from '../../components.js'
import { formatTime, t } from '../../i18n/index.js'
import type { StringKey } from '../../i18n/en.js'
import { adminApi, type Webhook, type WebhookWithSecret } from './admin-api.js'
import { DeliveryLog } from './webhook-deliveries.js'
import { ShownOnce } from './shown-once.js'

const events = ['presence', 'available', 'gathering'] as const
type EventType = (typeof events)[number]

const eventsText = (list: readonly string[]): string =>
  list.map((event) => t(`adm_event_${event}` as StringKey)).join(', ')

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
  const toggle = (event: EventType, on: boolean) =>
    setChosen(on ? [...chosen, event] : chosen.filter((e) => e !== event))
  const submit = (event: Event) => {
    event.preventDefault()
    void run(async () => {
      const body = { url: url.trim(), addresses: listOf(addresses), events: [...chosen] }
      await props.onCreated(await adminApi.createWebhook(body))
      setUrl('')
      setAddresses('')
    })
  }
  return (
    <form aria-labelledby="new-webhook-title" onSubmit={submit}>
      <h3 id="new-webhook-title">{t('adm_newWebhook')}</h3>
      <Field label={t('adm_webhookUrl')}>
        {(id) => (
          <input
            id={id}
            type="url"
            required
            value={url}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label={t('adm_webhookAddresses')}>
        {(id) => (
          <input id={id} value={addresses} onInput={(e) => setAddresses(e.currentTarget.value)} />
        )}
      </Field>
      <fieldset>
        <legend>{t('adm_webhookEvents')}</legend>
        {events.map((name) => (
          <label class="check" key={name}>
            <input
              type="checkbox"
              checked={chosen.includes(name)}
              onChange={(e) => toggle(name, e.currentTarget.checked)}
            />{' '}
            {t(`adm_event_${name}` as StringKey)}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={chosen.length === 0}>
        {t('adm_createWebhook')}
      </button>
      <Alert error={error} />
    </form>
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
            <button
              key={verb}
              type="button"
              aria-label={`${verbLabel(verb, hook)}: ${hook.url}`}
              onClick={() => props.onAction({ verb, hook })}
            >
              {verbLabel(verb, hook)}
            </button>
          ))}
        </div>
      </td>
    </tr>
  )
}

const WebhookTable = (props: { list: readonly Webhook[]; onAction: (action: Action) => void }) =>
  props.list.length === 0 ? (
    <p>{t('adm_noWebhooks')}</p>
  ) : (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('adm_webhookUrl')}</th>
          <th scope="col">{t('adm_webhookEvents')}</th>
          <th scope="col">{t('adm_webhookAddresses')}</th>
          <th scope="col">{t('adm_state')}</th>
          <th scope="col">
            <span class="visually-hidden">{t('adm_actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.list.map((hook) => (
          <WebhookRow key={hook.id} hook={hook} onAction={props.onAction} />
        ))}
      </tbody>
    </table>
  )

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
  const [list, setList] = useState<readonly Webhook[]>([])
  const [secret, setSecret] = useState<WebhookWithSecret | undefined>(undefined)
  const [logOf, setLogOf] = useState<Webhook | undefined>(undefined)
  const { error, info, run } = useAction()
  const load = async () => {
    const next = await adminApi.webhooks()
    setList(next)
    // The log shown follows its endpoint: its new state, or gone with it.
    setLogOf((shown) => next.find((hook) => hook.id === shown?.id))
  }
  useEffect(() => void run(load), [])
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
  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">{t('adm_webhooksTitle')}</h2>
      <p>{t('adm_webhooksIntro')}</p>
      <WebhookTable list={list} onAction={onAction} />
      {secret ? (
        <ShownOnce
          label={t('adm_secretOf', { url: secret.url })}
          value={secret.secret}
          onDone={() => setSecret(undefined)}
        />
      ) : null}
      <Alert error={error} info={info} />
      {logOf ? <DeliveryLog hook={logOf} onClose={() => setLogOf(undefined)} /> : null}
      <NewWebhook onCreated={onCreated} />
    </section>
  )
}
