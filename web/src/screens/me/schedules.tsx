// Me: my schedule: planned do-not-disturb (or busy, away), notes and work locations, once or every
// week; the list with what each entry sets and when, a form to add one, and removal. Web app.
import { useEffect, useState } from 'preact/hooks'
import type { BodyOf, ReplyOf } from '@narvaro/sdk'
import { Alert, Field, availabilityText, epochOf, useAction } from '../../components.js'
import { formatTime, t } from '../../i18n/index.js'
import type { StringKey } from '../../i18n/en.js'
import { client } from '../../session.js'
import { HoursEditor, describeHours, spansOf, weekWith, type Week } from './weekly-hours.js'

type Entry = ReplyOf<'/v1/me/schedule', 'get'>[number]
type NewEntry = BodyOf<'/v1/me/schedule', 'post'>
type Sets = NewEntry['set']

const availabilities = ['do-not-disturb', 'busy', 'away', 'be-right-back'] as const
const modes = ['office', 'remote', 'travelling'] as const

/** What an entry sets, in words. */
const describeSet = (set: Sets): string => {
  const parts: string[] = []
  if (set.availability) parts.push(availabilityText(set.availability))
  if (set.note) parts.push(`“${set.note}”`)
  const place = set.workLocation
  if (place) parts.push(t(`wl_${place.mode}` as StringKey) + (place.site ? ` (${place.site})` : ''))
  return parts.join(', ')
}

/** When an entry applies, in words. */
const describeWhen = (when: Entry['when']): string =>
  'once' in when
    ? t('schOnceText', { from: formatTime(when.once.startsAt), to: formatTime(when.once.endsAt) })
    : t('schWeeklyText', { hours: describeHours(when.weekly, t('none')) })

const Select = (props: {
  label: string
  name: string
  value: string
  options: readonly string[]
  text: (value: string) => string
  set: (value: string) => void
}) => (
  <Field label={props.label}>
    {(id) => (
      <select
        id={id}
        name={props.name}
        value={props.value}
        onChange={(e) => props.set(e.currentTarget.value)}
      >
        <option value="">{t('schUnchanged')}</option>
        {props.options.map((option) => (
          <option key={option} value={option}>
            {props.text(option)}
          </option>
        ))}
      </select>
    )}
  </Field>
)

const TextField = (props: {
  label: string
  name: string
  value: string
  set: (value: string) => void
  dateTime?: boolean
  required?: boolean
}) => (
  <Field label={props.label}>
    {(id) => {
      const attributes = {
        id,
        name: props.name,
        required: props.required ?? false,
        value: props.value,
        onInput: (e: { currentTarget: HTMLInputElement }) => props.set(e.currentTarget.value),
      }
      return props.dateTime ? (
        <input type="datetime-local" {...attributes} />
      ) : (
        <input {...attributes} />
      )
    }}
  </Field>
)

/** The "sets" part of the form: availability, note and work location, each optional. */
const useSets = () => {
  const [availability, setAvailability] = useState('')
  const [note, setNote] = useState('')
  const [mode, setMode] = useState('')
  const [site, setSite] = useState('')
  const sets = (): Sets => ({
    ...(availability ? { availability: availability as Sets['availability'] } : {}),
    ...(note.trim() ? { note: note.trim() } : {}),
    ...(mode
      ? {
          workLocation: {
            mode: mode as (typeof modes)[number],
            ...(mode === 'office' && site.trim() ? { site: site.trim() } : {}),
          },
        }
      : {}),
  })
  const fields = (
    <fieldset>
      <legend>{t('schSets')}</legend>
      <Select
        label={t('schShownAs')}
        name="schAvailability"
        value={availability}
        options={availabilities}
        text={availabilityText}
        set={setAvailability}
      />
      <TextField label={t('schNote')} name="schNote" value={note} set={setNote} />
      <Select
        label={t('workLocation')}
        name="schWorkMode"
        value={mode}
        options={modes}
        text={(m) => t(`wl_${m}` as StringKey)}
        set={setMode}
      />
      {mode === 'office' ? (
        <TextField label={t('site')} name="schSite" value={site} set={setSite} />
      ) : null}
    </fieldset>
  )
  return { sets, fields }
}

/** The "when" part of the form: once between two instants, or weekly hours. */
const useWhen = () => {
  const [repeat, setRepeat] = useState<'once' | 'weekly'>('once')
  const [from, setFrom] = useState('')
  const [until, setUntil] = useState('')
  const [week, setWeek] = useState<Week>(
    weekWith(['mon', 'tue', 'wed', 'thu', 'fri'], '18:00', '22:00'),
  )
  const when = (): NewEntry['when'] =>
    repeat === 'weekly'
      ? { weekly: spansOf(week) }
      : { once: { startsAt: epochOf(from) ?? 0, endsAt: epochOf(until) ?? 0 } }
  const radio = (value: 'once' | 'weekly') => (
    <label class="check">
      <input
        type="radio"
        name="schRepeat"
        value={value}
        checked={repeat === value}
        onChange={() => setRepeat(value)}
      />{' '}
      {t(value === 'once' ? 'schOnce' : 'schWeekly')}
    </label>
  )
  const fields = (
    <fieldset>
      <legend>{t('schWhen')}</legend>
      {radio('once')}
      {radio('weekly')}
      {repeat === 'once' ? (
        <>
          <TextField
            label={t('schFrom')}
            name="schFrom"
            dateTime
            required
            value={from}
            set={setFrom}
          />
          <TextField
            label={t('until')}
            name="schUntil"
            dateTime
            required
            value={until}
            set={setUntil}
          />
        </>
      ) : (
        <HoursEditor legend={t('schHours')} week={week} onChange={setWeek} />
      )}
    </fieldset>
  )
  return { when, fields }
}

/** The form of a new entry; the list remounts it (empty) after each entry it added. */
const AddForm = (props: { add: (entry: NewEntry) => Promise<boolean> }) => {
  const [name, setName] = useState('')
  const sets = useSets()
  const when = useWhen()
  const submit = (event: Event) => {
    event.preventDefault()
    const entry = { name: name.trim(), set: sets.sets(), when: when.when() }
    void props.add(entry)
  }
  return (
    <form onSubmit={submit} aria-labelledby="sch-add-title">
      <h3 id="sch-add-title">{t('schAddTitle')}</h3>
      <TextField label={t('schName')} name="schName" required value={name} set={setName} />
      {sets.fields}
      {when.fields}
      <button type="submit">{t('schAdd')}</button>
    </form>
  )
}

export const Schedules = (props: { onDone: () => void }) => {
  const [entries, setEntries] = useState<readonly Entry[]>([])
  const { error, info, run } = useAction()
  const reload = async () => {
    const { data } = await client.api.GET('/v1/me/schedule')
    setEntries(data ?? [])
  }
  useEffect(() => void run(reload), [])
  const change = async (action: () => Promise<unknown>): Promise<boolean> => {
    let done = false
    await run(async () => {
      await action()
      await reload()
      done = true
      props.onDone()
      return t('saved')
    })
    return done
  }
  const [added, setAdded] = useState(0)
  const add = async (body: NewEntry) => {
    const done = await change(() => client.api.POST('/v1/me/schedule', { body }))
    if (done) setAdded((count) => count + 1)
    return done
  }
  const remove = (id: string) =>
    change(() => client.api.DELETE('/v1/me/schedule/{id}', { params: { path: { id } } }))
  return (
    <section aria-labelledby="sch-title" class="me-section">
      <h2 id="sch-title">{t('schTitle')}</h2>
      <p class="hint">{t('schExplain')}</p>
      {entries.length === 0 ? <p>{t('schNone')}</p> : null}
      <ul class="items" aria-labelledby="sch-title">
        {entries.map((entry) => (
          <li key={entry.id} data-schedule={entry.name} class="item-line">
            <span>
              <strong>{entry.name}</strong>: {describeSet(entry.set)}; {describeWhen(entry.when)}
            </span>
            <button
              type="button"
              aria-label={`${t('remove')}: ${entry.name}`}
              onClick={() => void remove(entry.id)}
            >
              {t('remove')}
            </button>
          </li>
        ))}
      </ul>
      <Alert error={error} info={info} />
      <AddForm key={added} add={add} />
    </section>
  )
}
