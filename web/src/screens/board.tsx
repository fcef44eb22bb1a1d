// The team board: the people I watch, or the live answer of one who query (team, skill, search,
// list), with the live views of all of them, watched or not; filters; updates arrive without a
// reload. Web app.
import { useEffect, useState } from 'preact/hooks'
import type { View } from '@narvaro/sdk'
import { Alert, ViewCard, useAction } from '../components.js'
import { AddressForm, Choice, TextField } from '../form-fields.js'
import { t } from '../i18n/index.js'
import { client, live, views } from '../session.js'
import { useLiveWho, type WhoAnswer } from './board-who.js'
import { ContactLists, useContactLists, type ContactList } from './board-lists.js'

const useNow = (): number => {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000)
    return () => clearInterval(timer)
  }, [])
  return now
}

const WatchForm = () => {
  const [address, setAddress] = useState('')
  const { error, run } = useAction()
  const submit = () =>
    void run(async () => {
      await client.subscribe({ address: address.trim() })
      await live?.subscribe([address.trim()])
      setAddress('')
    })
  return (
    <AddressForm
      title={t('watchPerson')}
      label={t('watchPerson')}
      name="watch"
      value={address}
      set={setAddress}
      submit={t('watch')}
      onSubmit={submit}
    >
      <Alert error={error} />
    </AddressForm>
  )
}

interface Filters {
  availableOnly: boolean
  team: string
  skill: string
  search: string
  list: string
}

const ListChoice = (props: {
  lists: readonly ContactList[]
  value: string
  onChange: (list: string) => void
}) => (
  <Choice
    label={t('filterList')}
    name="list"
    value={props.value}
    choices={props.lists.map((list) => list.name)}
    text={(name) => name}
    set={props.onChange}
    unset={t('filterAnyList')}
  />
)

const FilterForm = (props: {
  lists: readonly ContactList[]
  onApply: (filters: Filters) => void
}) => {
  const [filters, setFilters] = useState<Filters>({
    availableOnly: false,
    team: '',
    skill: '',
    search: '',
    list: '',
  })
  const text = (key: 'team' | 'skill' | 'search') => (
    <TextField
      label={t(key)}
      name={key}
      value={filters[key]}
      set={(value) => setFilters({ ...filters, [key]: value })}
    />
  )
  return (
    <form
      class="inline"
      aria-label={t('filters')}
      onSubmit={(event) => {
        event.preventDefault()
        props.onApply(filters)
      }}
    >
      <label class="check">
        <input
          type="checkbox"
          name="availableOnly"
          checked={filters.availableOnly}
          onChange={(e) => {
            const next = { ...filters, availableOnly: e.currentTarget.checked }
            setFilters(next)
            props.onApply(next)
          }}
        />{' '}
        {t('availableOnly')}
      </label>
      {text('team')}
      {text('skill')}
      {text('search')}
      <ListChoice
        lists={props.lists}
        value={filters.list}
        onChange={(list) => setFilters({ ...filters, list })}
      />
      <button type="submit">{t('apply')}</button>
    </form>
  )
}

/** The live views of the people I watch, or of the query's answer (kept current by its changes). */
const peopleOf = (answer: WhoAnswer | undefined, live: ReadonlyMap<string, View>): View[] =>
  answer ? [...answer.entries.values()].map((entry) => entry.view) : [...live.values()]

export const BoardScreen = () => {
  const now = useNow()
  const [answer, ask] = useLiveWho()
  const [availableOnly, setAvailableOnly] = useState(false)
  const { error, run } = useAction()
  const lists = useContactLists()
  const apply = (filters: Filters) => {
    setAvailableOnly(filters.availableOnly)
    const query = {
      ...(filters.team ? { team: filters.team } : {}),
      ...(filters.skill ? { skill: filters.skill } : {}),
      ...(filters.search ? { search: filters.search } : {}),
      ...(filters.list ? { list: filters.list } : {}),
    }
    const asked = Object.keys(query).length > 0
    const only = filters.availableOnly ? { availability: ['available' as const] } : {}
    void run(() => ask(asked ? { ...query, ...only } : undefined))
  }
  const people = peopleOf(answer, views.value)
    .filter((view) => !availableOnly || view.availability === 'available')
    .sort((a, b) => (a.displayName ?? a.address).localeCompare(b.displayName ?? b.address))
  return (
    <section>
      <h1>{t('boardTitle')}</h1>
      <WatchForm />
      <FilterForm lists={lists.lists} onApply={apply} />
      <Alert error={error} />
      <h2>{t('people')}</h2>
      {people.length === 0 ? <p>{t('nobody')}</p> : null}
      <div class="cards" aria-live="polite">
        {people.map((view) => (
          <ViewCard key={view.address} view={view} now={now} />
        ))}
      </div>
      <ContactLists lists={lists} />
    </section>
  )
}
