// Me: my calendars: upload an iCalendar file or subscribe to an ICS URL that the server fetches;
// the list with when each was last read, why it failed and what it skipped; refresh and remove.
// Web app.
import { useState } from 'preact/hooks'
import type { BodyOf, ReplyOf } from '@narvaro/sdk'
import { Field, ItemButton } from '../../components.js'
import { TextField } from '../../form-fields.js'
import { formatTime, t } from '../../i18n/index.js'
import { client } from '../../session.js'
import { MeList, useMine } from './me-list.js'

type Calendar = ReplyOf<'/v1/me/calendars', 'get'>[number]
type Imported = ReplyOf<'/v1/me/calendars', 'post'>

/** What a read planned, in words: the count and what was skipped. */
const importText = (result: Imported): string =>
  t('calImported', { name: result.calendar.name, count: result.occurrences }) +
  (result.warnings.length > 0 ? ` ${t('calWarnings', { count: result.warnings.length })}` : '')

const CalendarItem = (props: { calendar: Calendar; refresh: () => void; remove: () => void }) => {
  const { calendar } = props
  const warnings = calendar.warnings ?? []
  return (
    <li data-calendar={calendar.name}>
      <div class="item-line">
        <span>
          <strong>{calendar.name}</strong> ·{' '}
          {calendar.url ? t('calSubscribed', { url: calendar.url }) : t('calUploaded')} ·{' '}
          <span data-field="read">
            {calendar.refreshedAt
              ? t('calReadAt', { time: formatTime(calendar.refreshedAt) })
              : t('calNeverRead')}
          </span>
        </span>
        <span class="buttons">
          <ItemButton label={t('refresh')} item={calendar.name} onClick={props.refresh} />
          <ItemButton label={t('remove')} item={calendar.name} onClick={props.remove} />
        </span>
      </div>
      {calendar.lastError ? (
        <p class="alert error" data-field="last-error">
          {t('calLastError', { message: calendar.lastError })}
        </p>
      ) : null}
      {warnings.length > 0 ? (
        <details>
          <summary>{t('calWarnings', { count: warnings.length })}</summary>
          <ul data-field="warnings">
            {warnings.map((warning, index) => (
              <li key={index}>{warning}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </li>
  )
}

/** An iCalendar file from this computer, named after the file unless a name is given. */
const UploadForm = (props: { add: (body: { name: string; ics: string }) => Promise<boolean> }) => {
  const [name, setName] = useState('')
  const [file, setFile] = useState<File | undefined>(undefined)
  const submit = (event: Event) => {
    event.preventDefault()
    if (!file) return
    const form = event.currentTarget as HTMLFormElement
    void file.text().then(async (ics) => {
      const named = name.trim() || file.name.replace(/\.ics$/i, '')
      if (await props.add({ name: named, ics })) {
        form.reset()
        setName('')
        setFile(undefined)
      }
    })
  }
  return (
    <form onSubmit={submit} aria-labelledby="cal-upload-title">
      <h3 id="cal-upload-title">{t('calUploadTitle')}</h3>
      <Field label={t('calFile')}>
        {(id) => (
          <input
            id={id}
            name="calendarFile"
            type="file"
            accept=".ics,text/calendar"
            required
            onChange={(e) => setFile(e.currentTarget.files?.[0])}
          />
        )}
      </Field>
      <TextField
        label={t('calNameOptional')}
        name="calendarName"
        maxLength={100}
        value={name}
        set={setName}
      />
      <button type="submit">{t('calUpload')}</button>
    </form>
  )
}

/** An ICS URL that the server itself fetches, every few minutes. */
const SubscribeForm = (props: {
  add: (body: { name: string; url: string; refreshMinutes: number }) => Promise<boolean>
}) => {
  const [name, setName] = useState('')
  const [url, setUrl] = useState('')
  const [minutes, setMinutes] = useState('15')
  const submit = (event: Event) => {
    event.preventDefault()
    const body = { name: name.trim(), url: url.trim(), refreshMinutes: Number(minutes) }
    void props.add(body).then((added) => {
      if (!added) return
      setName('')
      setUrl('')
    })
  }
  return (
    <form onSubmit={submit} aria-labelledby="cal-subscribe-title">
      <h3 id="cal-subscribe-title">{t('calSubscribeTitle')}</h3>
      <p class="hint">{t('calSubscribeHint')}</p>
      <TextField label={t('calUrl')} name="calendarUrl" required value={url} set={setUrl} />
      <TextField label={t('calName')} name="subscriptionName" required value={name} set={setName} />
      <TextField
        label={t('calEvery')}
        name="refreshMinutes"
        type="number"
        min={5}
        max={1440}
        required
        value={minutes}
        set={setMinutes}
      />
      <button type="submit">{t('calSubscribe')}</button>
    </form>
  )
}

export const Calendars = (props: { onDone: () => void }) => {
  const mine = useMine(async () => (await client.api.GET('/v1/me/calendars')).data, props.onDone)
  const imported = async (answer: Promise<{ data?: Imported }>) => {
    const { data } = await answer
    return data ? importText(data) : t('saved')
  }
  const path = (id: string) => ({ params: { path: { id } } })
  const add = (body: BodyOf<'/v1/me/calendars', 'post'>) =>
    mine.change(() => imported(client.api.POST('/v1/me/calendars', { body })))
  return (
    <MeList
      name="cal"
      title={t('calTitle')}
      hint={t('calExplain')}
      none={t('calNone')}
      empty={mine.items.length === 0}
      message={mine}
      items={mine.items.map((calendar) => (
        <CalendarItem
          key={calendar.id}
          calendar={calendar}
          refresh={() =>
            void mine.change(() =>
              imported(client.api.POST('/v1/me/calendars/{id}/refresh', path(calendar.id))),
            )
          }
          remove={() =>
            void mine.change(
              async () =>
                void (await client.api.DELETE('/v1/me/calendars/{id}', path(calendar.id))),
            )
          }
        />
      ))}
    >
      <div class="forms">
        <UploadForm add={add} />
        <SubscribeForm add={add} />
      </div>
    </MeList>
  )
}
