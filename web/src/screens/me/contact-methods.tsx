// Me: my contact methods (kind, address, work or personal, rank, and the hours when each may be
// used): the list, a form to add one, and editing a method's rank and hours in place. Web app.
import { useEffect, useState } from 'preact/hooks'
import type { BodyOf, ReplyOf } from '@narvaro/sdk'
import { Alert, Field, useAction } from '../../components.js'
import { t } from '../../i18n/index.js'
import type { StringKey } from '../../i18n/en.js'
import { client } from '../../session.js'
import { HoursEditor, describeHours, spansOf, weekOf, weekWith, type Week } from './weekly-hours.js'

type Method = ReplyOf<'/v1/me/contact-methods', 'get'>[number]
type MethodInput = BodyOf<'/v1/me/contact-methods', 'put'>[number]

export const contactKinds = ['im', 'voice', 'video', 'sms', 'email', 'phone'] as const
const scopes = ['work', 'personal'] as const

export const kindText = (kind: string): string => t(`cmKind_${kind}` as StringKey)
const scopeText = (scope: string): string => t(`cmScope_${scope}` as StringKey)

const inputOf = (method: Method): MethodInput => ({
  kind: method.kind,
  address: method.address,
  rank: method.rank,
  scope: method.scope,
  ...(method.hours && method.hours.length > 0 ? { hours: method.hours } : {}),
})

const workWeek = weekWith(['mon', 'tue', 'wed', 'thu', 'fri'])

/** Rank and usable hours: what both adding and editing a method set. */
const RankAndHours = (props: {
  rank: string
  setRank: (rank: string) => void
  week: Week | undefined
  setWeek: (week: Week | undefined) => void
}) => (
  <>
    <Field label={t('cmRank')}>
      {(id) => (
        <input
          id={id}
          name="rank"
          type="number"
          min={0}
          max={1000}
          required
          value={props.rank}
          onInput={(e) => props.setRank(e.currentTarget.value)}
        />
      )}
    </Field>
    <label class="check">
      <input
        type="checkbox"
        name="limitHours"
        checked={props.week !== undefined}
        onChange={(e) => props.setWeek(e.currentTarget.checked ? workWeek : undefined)}
      />{' '}
      {t('cmLimitHours')}
    </label>
    {props.week ? (
      <HoursEditor legend={t('cmHours')} week={props.week} onChange={props.setWeek} />
    ) : null}
  </>
)

const Choice = (props: {
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
        {props.options.map((option) => (
          <option key={option} value={option}>
            {props.text(option)}
          </option>
        ))}
      </select>
    )}
  </Field>
)

/** A new method: kind, address and scope, then rank and hours; remounted (empty) once added. */
const AddForm = (props: { nextRank: number; save: (method: MethodInput) => Promise<boolean> }) => {
  const [kind, setKind] = useState<string>('im')
  const [address, setAddress] = useState('')
  const [scope, setScope] = useState<string>('work')
  const [rank, setRank] = useState(String(props.nextRank))
  const [week, setWeek] = useState<Week | undefined>(undefined)
  const submit = (event: Event) => {
    event.preventDefault()
    const method = { kind, address: address.trim(), scope, rank: Number(rank) } as MethodInput
    void props.save(week ? { ...method, hours: spansOf(week) } : method)
  }
  return (
    <form onSubmit={submit} aria-labelledby="cm-add-title">
      <h3 id="cm-add-title">{t('cmAddTitle')}</h3>
      <Choice
        label={t('cmKind')}
        name="kind"
        value={kind}
        options={contactKinds}
        text={kindText}
        set={setKind}
      />
      <Field label={t('cmAddress')}>
        {(id) => (
          <input
            id={id}
            name="address"
            required
            maxLength={320}
            value={address}
            onInput={(e) => setAddress(e.currentTarget.value)}
          />
        )}
      </Field>
      <Choice
        label={t('cmScope')}
        name="scope"
        value={scope}
        options={scopes}
        text={scopeText}
        set={setScope}
      />
      <RankAndHours rank={rank} setRank={setRank} week={week} setWeek={setWeek} />
      <button type="submit">{t('cmAdd')}</button>
    </form>
  )
}

/** A method's rank and hours changed in place. */
const EditForm = (props: {
  method: Method
  save: (method: MethodInput) => Promise<boolean>
  cancel: () => void
}) => {
  const { method } = props
  const [rank, setRank] = useState(String(method.rank))
  const [week, setWeek] = useState<Week | undefined>(
    method.hours && method.hours.length > 0 ? weekOf(method.hours) : undefined,
  )
  const submit = (event: Event) => {
    event.preventDefault()
    const { hours: _old, ...rest } = inputOf(method)
    void props.save({ ...rest, rank: Number(rank), ...(week ? { hours: spansOf(week) } : {}) })
  }
  const name = `${kindText(method.kind)}: ${method.address}`
  return (
    <form onSubmit={submit} aria-label={t('cmEditTitle', { method: name })} class="edit">
      <RankAndHours rank={rank} setRank={setRank} week={week} setWeek={setWeek} />
      <div class="buttons">
        <button type="submit">{t('save')}</button>
        <button type="button" onClick={props.cancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  )
}

const MethodItem = (props: { method: Method; edit: () => void; remove: () => void }) => {
  const { method } = props
  const name = `${kindText(method.kind)}: ${method.address}`
  return (
    <div class="item-line">
      <span>
        <strong>{name}</strong> ({scopeText(method.scope)}) ·{' '}
        <span data-field="rank">{t('cmRankIs', { rank: method.rank })}</span> ·{' '}
        <span data-field="hours">{describeHours(method.hours, t('cmAnyTime'))}</span>
      </span>
      <span class="buttons">
        <button type="button" aria-label={`${t('cmEdit')}: ${name}`} onClick={props.edit}>
          {t('cmEdit')}
        </button>
        <button type="button" aria-label={`${t('remove')}: ${name}`} onClick={props.remove}>
          {t('remove')}
        </button>
      </span>
    </div>
  )
}

export const ContactMethods = (props: { onDone: () => void }) => {
  const [methods, setMethods] = useState<readonly Method[]>([])
  const [editing, setEditing] = useState<string | undefined>(undefined)
  const { error, info, run } = useAction()
  const load = () =>
    void run(async () => {
      const { data } = await client.api.GET('/v1/me/contact-methods')
      setMethods(data ?? [])
    })
  useEffect(load, [])
  /** The API replaces the whole list (and gives every method a new id). */
  const replace = async (next: readonly MethodInput[]): Promise<boolean> => {
    let saved = false
    await run(async () => {
      const { data } = await client.api.PUT('/v1/me/contact-methods', { body: [...next] })
      setMethods(data ?? [])
      setEditing(undefined)
      saved = true
      props.onDone()
      return t('saved')
    })
    return saved
  }
  const [added, setAdded] = useState(0)
  const addMethod = async (method: MethodInput) => {
    const done = await replace([...methods.map(inputOf), method])
    if (done) setAdded((count) => count + 1)
    return done
  }
  const others = (id: string) => methods.filter((m) => m.id !== id).map(inputOf)
  const sorted = [...methods].sort((a, b) => a.rank - b.rank)
  const nextRank = methods.reduce((max, m) => Math.max(max, m.rank + 1), 1)
  return (
    <section aria-labelledby="cm-title" class="me-section">
      <h2 id="cm-title">{t('cmTitle')}</h2>
      <p class="hint">{t('cmExplain')}</p>
      {methods.length === 0 ? <p>{t('cmNone')}</p> : null}
      <ul class="items" aria-labelledby="cm-title">
        {sorted.map((method) => (
          <li key={method.id} data-method={`${method.kind}:${method.address}`}>
            <MethodItem
              method={method}
              edit={() => setEditing(method.id)}
              remove={() => void replace(others(method.id))}
            />
            {editing === method.id ? (
              <EditForm
                method={method}
                save={(m) => replace([...others(method.id), m])}
                cancel={() => setEditing(undefined)}
              />
            ) : null}
          </li>
        ))}
      </ul>
      <Alert error={error} info={info} />
      <AddForm key={added} nextRank={nextRank} save={addMethod} />
    </section>
  )
}
