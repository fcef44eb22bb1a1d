// Me: my schedule: planned do-not-disturb (or busy, away), notes and work locations, once or every
// week; the list with what each entry sets and when, a form to add one, and removal. Web app.
import { useState } from 'preact/hooks'
import type { BodyOf, ReplyOf } from '@narvaro/sdk'
import { ItemButton, availabilityText, epochOf } from '../../components.js'
import { Choice, TextField } from '../../form-fields.js'
import { formatTime, t } from '../../i18n/index.js'
import type { StringKey } from '../../i18n/en.js'
import { client } from '../../session.js'
import { MeList, useMine } from './me-list.js'
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

/** The "sets" part of the form: availability, note and work location, each optional. */
const useSets = () => {
  const [availability, setAvailability] = useState<(typeof availabilities)[number] | ''>('')
  const [note, setNote] = useState('')
  const [mode, setMode] = useState<(typeof modes)[number] | ''>('')
  const [site, setSite] = useState('')
  const sets = (): Sets => ({
    ...(availability ? { availability } : {}),
    ...(note.trim() ? { note: note.trim() } : {}),
    ...(mode
      ? {
          workLocation: {
            mode,
            ...(mode === 'office' && site.trim() ? { site: site.trim() } : {}),
          },
        }
      : {}),
  })
  const fields = (
    <fieldset>
      <legend>{t('schSets')}</legend>
      <Choice
        label={t('schShownAs')}
        name="schAvailability"
        value={availability}
        choices={availabilities}
        text={availabilityText}
        set={setAvailability}
        unset={t('schUnchanged')}
      />
      <TextField label={t('schNote')} name="schNote" value={note} set={setNote} />
      <Choice
        label={t('workLocation')}
        name="schWorkMode"
        value={mode}
        choices={modes}
        text={(m) => t(`wl_${m}` as StringKey)}
        set={setMode}
        unset={t('schUnchanged')}
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
            type="datetime-local"
            required
            value={from}
            set={setFrom}
          />
          <TextField
            label={t('until')}
            name="schUntil"
            type="datetime-local"
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
  const mine = useMine(async () => (await client.api.GET('/v1/me/schedule')).data, props.onDone)
  const add = (body: NewEntry) =>
    mine.add(async () => void (await client.api.POST('/v1/me/schedule', { body })))
  const remove = (id: string) =>
    mine.change(
      async () =>
        void (await client.api.DELETE('/v1/me/schedule/{id}', { params: { path: { id } } })),
    )
  return (
    <MeList
      name="sch"
      title={t('schTitle')}
      hint={t('schExplain')}
      none={t('schNone')}
      empty={mine.items.length === 0}
      message={mine}
      items={mine.items.map((entry) => (
        <li key={entry.id} data-schedule={entry.name} class="item-line">
          <span>
            <strong>{entry.name}</strong>: {describeSet(entry.set)}; {describeWhen(entry.when)}
          </span>
          <ItemButton label={t('remove')} item={entry.name} onClick={() => void remove(entry.id)} />
        </li>
      ))}
    >
      <AddForm key={mine.addFormKey} add={add} />
    </MeList>
  )
}
