// Me: my contact methods (kind, address, work or personal, rank, and the hours when each may be
// used): the list, a form to add one, and editing a method's rank and hours in place. Web app.
import { useState } from 'preact/hooks'
import type { BodyOf, ReplyOf } from '@narvaro/sdk'
import { ItemButton } from '../../components.js'
import { Check, Choice, TextField } from '../../form-fields.js'
import { t } from '../../i18n/index.js'
import type { StringKey } from '../../i18n/en.js'
import { client } from '../../session.js'
import { MeList, useMine } from './me-list.js'
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
    <TextField
      label={t('cmRank')}
      name="rank"
      type="number"
      min={0}
      max={1000}
      required
      value={props.rank}
      set={props.setRank}
    />
    <Check
      label={t('cmLimitHours')}
      name="limitHours"
      checked={props.week !== undefined}
      set={(on) => props.setWeek(on ? workWeek : undefined)}
    />
    {props.week ? (
      <HoursEditor legend={t('cmHours')} week={props.week} onChange={props.setWeek} />
    ) : null}
  </>
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
        choices={contactKinds}
        text={kindText}
        set={setKind}
      />
      <TextField
        label={t('cmAddress')}
        name="address"
        required
        maxLength={320}
        value={address}
        set={setAddress}
      />
      <Choice
        label={t('cmScope')}
        name="scope"
        value={scope}
        choices={scopes}
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
        <ItemButton label={t('cmEdit')} item={name} onClick={props.edit} />
        <ItemButton label={t('remove')} item={name} onClick={props.remove} />
      </span>
    </div>
  )
}

export const ContactMethods = (props: { onDone: () => void }) => {
  const mine = useMine(
    async () => (await client.api.GET('/v1/me/contact-methods')).data,
    props.onDone,
  )
  const methods = mine.items
  const [editing, setEditing] = useState<string | undefined>(undefined)
  /** The API replaces the whole list (and gives every method a new id), and answers with it. */
  const replacing = (next: readonly MethodInput[]) => async () => {
    const { data } = await client.api.PUT('/v1/me/contact-methods', { body: [...next] })
    mine.setItems(data ?? [])
    setEditing(undefined)
  }
  const replace = (next: readonly MethodInput[]) => mine.change(replacing(next), { reload: false })
  const addMethod = (method: MethodInput) =>
    mine.add(replacing([...methods.map(inputOf), method]), { reload: false })
  const others = (id: string) => methods.filter((m) => m.id !== id).map(inputOf)
  const sorted = [...methods].sort((a, b) => a.rank - b.rank)
  const nextRank = methods.reduce((max, m) => Math.max(max, m.rank + 1), 1)
  return (
    <MeList
      name="cm"
      title={t('cmTitle')}
      hint={t('cmExplain')}
      none={t('cmNone')}
      empty={methods.length === 0}
      message={mine}
      items={sorted.map((method) => (
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
    >
      <AddForm key={mine.addFormKey} nextRank={nextRank} save={addMethod} />
    </MeList>
  )
}
