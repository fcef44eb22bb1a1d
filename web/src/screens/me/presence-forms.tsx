// Me: the forms of my presence itself: my own choice of availability (with "until" and activities),
// my note with its expiry, and my work location. Web app.
import { useState } from 'preact/hooks'
import { Alert, Field, activityText, epochOf, useAction } from '../../components.js'
import { t } from '../../i18n/index.js'
import type { StringKey } from '../../i18n/en.js'
import { client } from '../../session.js'

const choices = [
  'available',
  'busy',
  'do-not-disturb',
  'be-right-back',
  'away',
  'invisible',
] as const
const activityKinds = [
  'in-a-meeting',
  'in-a-call',
  'focusing',
  'commuting',
  'out-of-office',
] as const

export const ManualForm = (props: { onDone: () => void }) => {
  const [availability, setAvailability] = useState<(typeof choices)[number]>('busy')
  const [until, setUntil] = useState('')
  const [kinds, setKinds] = useState<readonly string[]>([])
  const { error, info, run } = useAction()
  const toggle = (kind: string, on: boolean) =>
    setKinds(on ? [...kinds, kind] : kinds.filter((k) => k !== kind))
  const set = (event: Event) => {
    event.preventDefault()
    const end = epochOf(until)
    void run(async () => {
      await client.setManual({
        availability,
        activities: kinds.map((kind) => ({ kind: kind as (typeof activityKinds)[number] })),
        ...(end ? { until: end } : {}),
      })
      props.onDone()
      return t('saved')
    })
  }
  const clear = () =>
    void run(async () => {
      await client.clearManual()
      props.onDone()
      return t('saved')
    })
  return (
    <form onSubmit={set} aria-labelledby="manual-title">
      <h2 id="manual-title">{t('manualChoice')}</h2>
      <Field label={t('availability')}>
        {(id) => (
          <select
            id={id}
            name="availability"
            value={availability}
            onChange={(e) => setAvailability(e.currentTarget.value as (typeof choices)[number])}
          >
            {choices.map((choice) => (
              <option key={choice} value={choice}>
                {t(`av_${choice}` as StringKey)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('until')}>
        {(id) => (
          <input
            id={id}
            name="until"
            type="datetime-local"
            value={until}
            onInput={(e) => setUntil(e.currentTarget.value)}
          />
        )}
      </Field>
      <fieldset>
        <legend>{t('activities')}</legend>
        {activityKinds.map((kind) => (
          <label class="check" key={kind}>
            <input
              type="checkbox"
              name={`activity-${kind}`}
              checked={kinds.includes(kind)}
              onChange={(e) => toggle(kind, e.currentTarget.checked)}
            />{' '}
            {activityText(kind)}
          </label>
        ))}
      </fieldset>
      <div class="buttons">
        <button type="submit">{t('set')}</button>
        <button type="button" onClick={clear}>
          {t('clear')}
        </button>
      </div>
      <Alert error={error} info={info} />
    </form>
  )
}

export const NoteForm = (props: { onDone: () => void }) => {
  const [text, setText] = useState('')
  const [expires, setExpires] = useState('')
  const { error, info, run } = useAction()
  const set = (event: Event) => {
    event.preventDefault()
    const expiresAt = epochOf(expires)
    void run(async () => {
      await client.setNote({ text, ...(expiresAt ? { expiresAt } : {}) })
      props.onDone()
      return t('saved')
    })
  }
  const clear = () =>
    void run(async () => {
      await client.clearNote()
      props.onDone()
      return t('saved')
    })
  return (
    <form onSubmit={set} aria-labelledby="note-title">
      <h2 id="note-title">{t('note')}</h2>
      <Field label={t('note')}>
        {(id) => (
          <input
            id={id}
            name="note"
            maxLength={500}
            required
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label={t('noteExpires')}>
        {(id) => (
          <input
            id={id}
            name="noteExpires"
            type="datetime-local"
            value={expires}
            onInput={(e) => setExpires(e.currentTarget.value)}
          />
        )}
      </Field>
      <div class="buttons">
        <button type="submit">{t('set')}</button>
        <button type="button" onClick={clear}>
          {t('clear')}
        </button>
      </div>
      <Alert error={error} info={info} />
    </form>
  )
}

const workModes = ['office', 'remote', 'travelling'] as const

export const WorkLocationForm = (props: { onDone: () => void }) => {
  const [mode, setMode] = useState<(typeof workModes)[number]>('office')
  const [site, setSite] = useState('')
  const { error, info, run } = useAction()
  const set = (event: Event) => {
    event.preventDefault()
    void run(async () => {
      const body = { mode, ...(mode === 'office' && site ? { site } : {}) }
      await client.api.PUT('/v1/me/presence/work-location', { body })
      props.onDone()
      return t('saved')
    })
  }
  const clear = () =>
    void run(async () => {
      await client.api.DELETE('/v1/me/presence/work-location')
      props.onDone()
      return t('saved')
    })
  return (
    <form onSubmit={set} aria-labelledby="work-title">
      <h2 id="work-title">{t('workLocation')}</h2>
      <Field label={t('workLocation')}>
        {(id) => (
          <select
            id={id}
            name="workMode"
            value={mode}
            onChange={(e) => setMode(e.currentTarget.value as (typeof workModes)[number])}
          >
            {workModes.map((m) => (
              <option key={m} value={m}>
                {t(`wl_${m}` as StringKey)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('site')}>
        {(id) => (
          <input id={id} name="site" value={site} onInput={(e) => setSite(e.currentTarget.value)} />
        )}
      </Field>
      <div class="buttons">
        <button type="submit">{t('set')}</button>
        <button type="button" onClick={clear}>
          {t('clear')}
        </button>
      </div>
      <Alert error={error} info={info} />
    </form>
  )
}
