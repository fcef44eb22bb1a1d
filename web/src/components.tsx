// Small shared pieces of the screens: a labelled field, an alert, a button of one item, the card of
// one person's view; web app.
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import type { View } from '@narvaro/sdk'
import { formatTime, language, t } from './i18n/index.js'
import type { StringKey } from './i18n/en.js'
import { messageOf } from './session.js'

let fieldCount = 0
/** A unique id for a label's `for`, stable for the component's life. */
export const useId = (prefix: string): string => useState(() => `${prefix}-${++fieldCount}`)[0]

export const Field = (props: { label: string; children: (id: string) => ComponentChildren }) => {
  const id = useId('field')
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.children(id)}
    </div>
  )
}

export const Alert = (props: { error?: unknown; info?: string }) => {
  if (props.error !== undefined)
    return (
      <p class="alert error" role="alert">
        {t('error', { message: messageOf(props.error) })}
      </p>
    )
  if (props.info)
    return (
      <p class="alert info" role="status">
        {props.info}
      </p>
    )
  return null
}

/** Runs an action of a form, keeping its error or success for an Alert. */
export const useAction = () => {
  const [error, setError] = useState<unknown>(undefined)
  const [info, setInfo] = useState<string | undefined>(undefined)
  const run = async (action: () => Promise<string | undefined | void>): Promise<void> => {
    setError(undefined)
    setInfo(undefined)
    try {
      setInfo((await action()) ?? undefined)
    } catch (caught) {
      setError(caught)
    }
  }
  return { error, info, run }
}

export const availabilityText = (availability: string): string =>
  t(`av_${availability}` as StringKey)

export const activityText = (kind: string, text?: string): string =>
  kind === 'custom' && text ? text : t(`act_${kind}` as StringKey)

export const localTime = (timeZone: string | undefined, now: number): string =>
  timeZone
    ? new Intl.DateTimeFormat(language.value, { timeStyle: 'short', timeZone }).format(now)
    : t('hidden')

/** The first contact method a watcher can use now, by rank. */
export const bestReach = (view: View): string => {
  const methods = (view.contactMethods ?? []).filter((method) => method.reachable)
  const best = [...methods].sort((a, b) => a.rank - b.rank)[0]
  return best ? `${best.kind}: ${best.address}` : t('notReachable')
}

export const Badge = (props: { availability: string }) => (
  <span class={`badge av-${props.availability}`}>{availabilityText(props.availability)}</span>
)

/** What one view shows: the same card for the board, the preview and my own view. */
export const ViewCard = (props: { view: View; title?: string; now: number }) => {
  const { view } = props
  const activities = (view.activities ?? []).map((a) => activityText(a.kind, a.text)).join(', ')
  return (
    <article class="card" aria-label={props.title ?? view.displayName ?? view.address}>
      <h3>{props.title ?? view.displayName ?? view.address}</h3>
      <p class="address">{view.address}</p>
      <dl>
        <dt>{t('availability')}</dt>
        <dd data-field="availability">
          <Badge availability={view.availability} />
        </dd>
        <dt>{t('activities')}</dt>
        <dd data-field="activities">{activities || t('none')}</dd>
        <dt>{t('note')}</dt>
        <dd data-field="note">{view.note ? view.note.text : t('none')}</dd>
        {view.note?.expiresAt ? (
          <>
            <dt>{t('noteExpires')}</dt>
            <dd>{formatTime(view.note.expiresAt)}</dd>
          </>
        ) : null}
        <dt>{t('localTime')}</dt>
        <dd data-field="local-time">{localTime(view.timeZone, props.now)}</dd>
        <dt>{t('reachNow')}</dt>
        <dd data-field="reach">{bestReach(view)}</dd>
      </dl>
    </article>
  )
}

/** Epoch ms of a `datetime-local` input's value, or undefined when empty. */
export const epochOf = (local: string): number | undefined =>
  local ? new Date(local).getTime() : undefined

export const listOf = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0)

/** A button of one item in a list or table; its accessible name says which item (`Remove: x`). */
export const ItemButton = (props: {
  label: string
  item: string
  onClick: () => void
  pressed?: boolean
}) => (
  <button
    type="button"
    aria-label={`${props.label}: ${props.item}`}
    aria-pressed={props.pressed}
    onClick={props.onClick}
  >
    {props.label}
  </button>
)
