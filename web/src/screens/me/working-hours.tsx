// Me: my working hours per weekday and my time zone (outside the hours, colleagues may see only that
// I am off work, as the organization's policy says). Web app.
import { useEffect, useState } from 'preact/hooks'
import { Alert, Field, useAction } from '../../components.js'
import { t } from '../../i18n/index.js'
import { client } from '../../session.js'
import { HoursEditor, describeHours, spansOf, weekOf, weekWith, type Week } from './weekly-hours.js'

const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone
const knownZones = (): readonly string[] =>
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []

const officeWeek = weekWith(['mon', 'tue', 'wed', 'thu', 'fri'])

export const WorkingHours = (props: { onDone: () => void }) => {
  const [timeZone, setTimeZone] = useState('')
  const [week, setWeek] = useState<Week>(officeWeek)
  const [current, setCurrent] = useState<string | undefined>(undefined)
  const { error, info, run } = useAction()
  const show = (me: Awaited<ReturnType<typeof client.me>>) => {
    setTimeZone(me.timeZone)
    setWeek(me.workingHours?.length ? weekOf(me.workingHours, officeWeek) : officeWeek)
    setCurrent(`${describeHours(me.workingHours, t('whNone'))} (${me.timeZone})`)
  }
  useEffect(() => void run(async () => show(await client.me())), [])
  const save = (workingHours: ReturnType<typeof spansOf>) =>
    void run(async () => {
      const body = { timeZone: timeZone.trim(), workingHours }
      const { data } = await client.api.PATCH('/v1/me', { body })
      if (data) show(data)
      props.onDone()
      return t('saved')
    })
  const submit = (event: Event) => {
    event.preventDefault()
    save(spansOf(week))
  }
  return (
    <section aria-labelledby="wh-title" class="me-section">
      <h2 id="wh-title">{t('whTitle')}</h2>
      <p class="hint">{t('whExplain')}</p>
      <p>
        {t('whCurrent')}: <span data-field="working-hours">{current ?? t('loading')}</span>
      </p>
      <form onSubmit={submit} aria-labelledby="wh-title">
        <Field label={t('whTimeZone')}>
          {(id) => (
            <>
              <input
                id={id}
                name="timeZone"
                required
                list={`${id}-zones`}
                placeholder={browserZone()}
                value={timeZone}
                onInput={(e) => setTimeZone(e.currentTarget.value)}
              />
              <datalist id={`${id}-zones`}>
                {knownZones().map((zone) => (
                  <option key={zone} value={zone} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <HoursEditor legend={t('whHours')} week={week} onChange={setWeek} />
        <div class="buttons">
          <button type="submit">{t('save')}</button>
          <button type="button" onClick={() => save([])}>
            {t('whClear')}
          </button>
        </div>
        <Alert error={error} info={info} />
      </form>
    </section>
  )
}
