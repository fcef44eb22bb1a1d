// Reach: where a message of some urgency to a person would go now (route, for unified messaging),
// and one free person of a team with a skill, reachable by a kind (pick, for a help desk). Web app.
import { useState } from 'preact/hooks'
import type { ReplyOf, View } from '@narvaro/sdk'
import { Alert, useAction } from '../components.js'
import { Choice, TextField } from '../form-fields.js'
import { formatTime, t } from '../i18n/index.js'
import type { StringKey } from '../i18n/en.js'
import { client } from '../session.js'
import { contactKinds, kindText } from './me/contact-methods.js'

type RouteAnswer = ReplyOf<'/v1/route/{address}', 'get'>
type PickAnswer = ReplyOf<'/v1/pick', 'post'>
type Method = NonNullable<View['contactMethods']>[number]

const urgencies = ['low', 'normal', 'high', 'urgent'] as const
type Urgency = (typeof urgencies)[number]
type Kind = (typeof contactKinds)[number]

export const methodText = (method: Pick<Method, 'kind' | 'address'>): string =>
  `${kindText(method.kind)} (${method.address})`

const routeText = (answer: RouteAnswer): string => {
  const deliver = t(`reachDeliver_${answer.deliver}` as StringKey)
  const via = answer.via ? ` ${t('reachVia', { method: answer.via.address })}` : ''
  const why = t(`reachReason_${answer.reason}` as StringKey)
  const priority = answer.priorityAccess ? ` ${t('reachYesPriority')}` : ''
  return `${deliver}${via}. ${t('reachBecause', { reason: why })}${priority}`
}

/** Where a message to this person would go now, by urgency. */
export const RouteForm = (props: { address: string }) => {
  const [urgency, setUrgency] = useState<Urgency>('normal')
  const [answer, setAnswer] = useState<RouteAnswer | undefined>(undefined)
  const { error, run } = useAction()
  const submit = (event: Event) => {
    event.preventDefault()
    void run(async () => {
      const params = { path: { address: props.address }, query: { urgency } }
      const { data } = await client.api.GET('/v1/route/{address}', { params })
      setAnswer(data)
    })
  }
  return (
    <form onSubmit={submit} aria-labelledby="route-title">
      <h2 id="route-title">{t('reachRouteTitle')}</h2>
      <Choice
        label={t('reachUrgency')}
        name="urgency"
        value={urgency}
        choices={urgencies}
        text={(u) => t(`reachUrgency_${u}` as StringKey)}
        set={setUrgency}
      />
      <button type="submit">{t('reachRoute')}</button>
      {answer ? (
        <p role="status" data-field="route" data-deliver={answer.deliver}>
          {routeText(answer)}
        </p>
      ) : null}
      <Alert error={error} />
    </form>
  )
}

const pickText = (answer: PickAnswer): string => {
  if (answer.picked) {
    const { picked } = answer
    const name = picked.view.displayName ?? picked.address
    const how = picked.best ? methodText(picked.best) : picked.address
    return t('reachPicked', { name, method: how, count: answer.candidates })
  }
  const free = answer.firstFreeAt
    ? ` ${t('reachFirstFree', { time: formatTime(answer.firstFreeAt) })}`
    : ''
  return t('reachPickedNobody', { count: answer.candidates }) + free
}

/** One available person of a team (with a skill) who can take a kind now. */
export const PickForm = () => {
  const [team, setTeam] = useState('')
  const [skill, setSkill] = useState('')
  const [via, setVia] = useState<Kind>('voice')
  const [answer, setAnswer] = useState<PickAnswer | undefined>(undefined)
  const { error, run } = useAction()
  const submit = (event: Event) => {
    event.preventDefault()
    void run(async () => {
      const body = { team: team.trim(), via, ...(skill.trim() ? { skill: skill.trim() } : {}) }
      const { data } = await client.api.POST('/v1/pick', { body })
      setAnswer(data)
    })
  }
  return (
    <form onSubmit={submit} aria-labelledby="pick-title" class="me-section pick">
      <h2 id="pick-title">{t('reachPickTitle')}</h2>
      <p class="hint">{t('reachPickExplain')}</p>
      <TextField label={t('team')} name="pickTeam" required value={team} set={setTeam} />
      <TextField label={t('skill')} name="pickSkill" value={skill} set={setSkill} />
      <Choice
        label={t('reachBy')}
        name="pickVia"
        value={via}
        choices={contactKinds}
        text={kindText}
        set={setVia}
      />
      <button type="submit">{t('reachPick')}</button>
      {answer ? (
        <p role="status" data-field="pick">
          {pickText(answer)}
        </p>
      ) : null}
      <Alert error={error} />
    </form>
  )
}
