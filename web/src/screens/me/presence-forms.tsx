// Me: the forms of my presence itself: my own choice of availability (with "until" and activities),
// my note with its expiry, and my work location. Web app.
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { Alert, activityText, epochOf, useAction } from '../../components.js'
import { CheckList, Choice, TextField, TitledForm } from '../../form-fields.js'
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
const workModes = ['office', 'remote', 'travelling'] as const

/** One part of my presence: its fields, set by submitting and cleared by a button. */
const PresenceForm = (props: {
  id: string
  title: string
  onDone: () => void
  set: () => Promise<unknown>
  clear: () => Promise<unknown>
  children: ComponentChildren
}) => {
  const { error, info, run } = useAction()
  const change = (action: () => Promise<unknown>) =>
    void run(async () => {
      await action()
      props.onDone()
      return t('saved')
    })
  return (
    <TitledForm id={props.id} heading="h2" title={props.title} onSubmit={() => change(props.set)}>
      {props.children}
      <div class="buttons">
        <button type="submit">{t('set')}</button>
        <button type="button" onClick={() => change(props.clear)}>
          {t('clear')}
        </button>
      </div>
      <Alert error={error} info={info} />
    </TitledForm>
  )
}

export const ManualForm = (props: { onDone: () => void }) => {
  const [availability, setAvailability] = useState<(typeof choices)[number]>('busy')
  const [until, setUntil] = useState('')
  const [kinds, setKinds] = useState<readonly (typeof activityKinds)[number][]>([])
  const set = () => {
    const end = epochOf(until)
    return client.setManual({
      availability,
      activities: kinds.map((kind) => ({ kind })),
      ...(end ? { until: end } : {}),
    })
  }
  return (
    <PresenceForm
      id="manual-title"
      title={t('manualChoice')}
      onDone={props.onDone}
      set={set}
      clear={() => client.clearManual()}
    >
      <Choice
        label={t('availability')}
        name="availability"
        value={availability}
        choices={choices}
        text={(choice) => t(`av_${choice}` as StringKey)}
        set={setAvailability}
      />
      <TextField
        label={t('until')}
        name="until"
        type="datetime-local"
        value={until}
        set={setUntil}
      />
      <CheckList
        legend={t('activities')}
        choices={activityKinds}
        chosen={kinds}
        text={(kind) => activityText(kind)}
        name={(kind) => `activity-${kind}`}
        set={setKinds}
      />
    </PresenceForm>
  )
}

export const NoteForm = (props: { onDone: () => void }) => {
  const [text, setText] = useState('')
  const [expires, setExpires] = useState('')
  const set = () => {
    const expiresAt = epochOf(expires)
    return client.setNote({ text, ...(expiresAt ? { expiresAt } : {}) })
  }
  return (
    <PresenceForm
      id="note-title"
      title={t('note')}
      onDone={props.onDone}
      set={set}
      clear={() => client.clearNote()}
    >
      <TextField
        label={t('note')}
        name="note"
        maxLength={500}
        required
        value={text}
        set={setText}
      />
      <TextField
        label={t('noteExpires')}
        name="noteExpires"
        type="datetime-local"
        value={expires}
        set={setExpires}
      />
    </PresenceForm>
  )
}

export const WorkLocationForm = (props: { onDone: () => void }) => {
  const [mode, setMode] = useState<(typeof workModes)[number]>('office')
  const [site, setSite] = useState('')
  const set = () => {
    const body = { mode, ...(mode === 'office' && site ? { site } : {}) }
    return client.api.PUT('/v1/me/presence/work-location', { body })
  }
  return (
    <PresenceForm
      id="work-title"
      title={t('workLocation')}
      onDone={props.onDone}
      set={set}
      clear={() => client.api.DELETE('/v1/me/presence/work-location')}
    >
      <Choice
        label={t('workLocation')}
        name="workMode"
        value={mode}
        choices={workModes}
        text={(m) => t(`wl_${m}` as StringKey)}
        set={setMode}
      />
      <TextField label={t('site')} name="site" value={site} set={setSite} />
    </PresenceForm>
  )
}
