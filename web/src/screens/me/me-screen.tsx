// Me: my availability and why I am shown as I am (the provenance of my presence), the forms of my
// presence, then my contact methods, working hours, schedule and calendars. Web app.
import { useEffect, useState } from 'preact/hooks'
import type { ReplyOf } from '@narvaro/sdk'
import { Alert, Badge, ViewCard, activityText, useAction } from '../../components.js'
import { formatTime, t } from '../../i18n/index.js'
import type { StringKey } from '../../i18n/en.js'
import { client } from '../../session.js'
import { Calendars } from './calendars.js'
import { ContactMethods } from './contact-methods.js'
import { ManualForm, NoteForm, WorkLocationForm } from './presence-forms.js'
import { Schedules } from './schedules.js'
import { WorkingHours } from './working-hours.js'

type MyPresence = ReplyOf<'/v1/me/presence', 'get'>
type Provenance = MyPresence['presence']['provenance']

/** "Why am I shown as busy?": the rule that decided, in words. */
export const explain = (provenance: Provenance): string => {
  const { rule, until, activity, sourceId } = provenance.availability
  return t(`why_${rule}` as StringKey, {
    until: until ? t('whyUntil', { time: formatTime(until) }) : '',
    activity: activity ? activityText(activity) : '',
    source: sourceId ?? '',
  })
}

export const MeScreen = () => {
  const [mine, setMine] = useState<MyPresence | undefined>(undefined)
  const { error, run } = useAction()
  const load = () => void run(async () => setMine(await client.myPresence()))
  useEffect(load, [])
  const presence = mine?.presence
  return (
    <section>
      <h1>{t('meTitle')}</h1>
      <Alert error={error} />
      {presence && mine ? (
        <div class="summary">
          <p>
            {t('myAvailability')}: <Badge availability={presence.availability} />
          </p>
          <h2>{t('whyTitle')}</h2>
          <p data-field="why">{explain(presence.provenance)}</p>
          <ViewCard view={mine.view} now={Date.now()} />
        </div>
      ) : null}
      <div class="forms">
        <ManualForm onDone={load} />
        <NoteForm onDone={load} />
        <WorkLocationForm onDone={load} />
      </div>
      <ContactMethods onDone={load} />
      <WorkingHours onDone={load} />
      <Schedules onDone={load} />
      <Calendars onDone={load} />
    </section>
  )
}
