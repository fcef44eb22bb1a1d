// My contact lists on the board: make a list of people, add and remove members, delete it; the
// board's filter asks who of a list is available (a live who query by `list`). Web app.
import { useEffect, useState } from 'preact/hooks'
import type { ReplyOf } from '@narvaro/sdk'
import { Alert, listOf, useAction } from '../components.js'
import { TextField } from '../form-fields.js'
import { t } from '../i18n/index.js'
import { client } from '../session.js'

export type ContactList = ReplyOf<'/v1/me/contact-lists', 'get'>[number]

/** My contact lists and what can be done with them; each change loads them again. */
export const useContactLists = () => {
  const [lists, setLists] = useState<readonly ContactList[]>([])
  const { error, info, run } = useAction()
  const load = async () =>
    setLists(await client.api.GET('/v1/me/contact-lists').then((r) => r.data ?? []))
  useEffect(() => void run(load), [])
  const change = (action: () => Promise<unknown>) =>
    void run(async () => {
      await action()
      await load()
      return t('saved')
    })
  const path = (name: string) => ({ params: { path: { name } } })
  return {
    lists,
    error,
    info,
    create: (name: string, members: string[]) =>
      change(() => client.api.POST('/v1/me/contact-lists', { body: { name, members } })),
    remove: (name: string) =>
      change(() => client.api.DELETE('/v1/me/contact-lists/{name}', path(name))),
    add: (name: string, members: string[]) =>
      change(() =>
        client.api.POST('/v1/me/contact-lists/{name}/members', {
          ...path(name),
          body: { members },
        }),
      ),
    drop: (name: string, address: string) =>
      change(() =>
        client.api.DELETE('/v1/me/contact-lists/{name}/members/{address}', {
          params: { path: { name, address } },
        }),
      ),
  }
}

type Lists = ReturnType<typeof useContactLists>

const AddMember = (props: { list: ContactList; lists: Lists }) => {
  const [members, setMembers] = useState('')
  return (
    <form
      class="inline"
      aria-label={t('listAddTo', { list: props.list.name })}
      onSubmit={(event) => {
        event.preventDefault()
        props.lists.add(props.list.name, listOf(members))
        setMembers('')
      }}
    >
      <TextField
        label={t('listAddTo', { list: props.list.name })}
        name="members"
        required
        value={members}
        set={setMembers}
      />
      <button type="submit">{t('listAdd')}</button>
    </form>
  )
}

const OneList = (props: { list: ContactList; lists: Lists }) => {
  const { list, lists } = props
  return (
    <li class="contact-list">
      <h3>{list.name}</h3>
      {list.members.length === 0 ? <p>{t('listEmpty')}</p> : null}
      <ul aria-label={list.name}>
        {list.members.map((member) => (
          <li key={member.address}>
            {member.displayName} ({member.address}){' '}
            <button
              type="button"
              aria-label={t('listDrop', { person: member.address, list: list.name })}
              onClick={() => lists.drop(list.name, member.address)}
            >
              {t('remove')}
            </button>
          </li>
        ))}
      </ul>
      <AddMember list={list} lists={lists} />
      <button
        type="button"
        aria-label={t('listDelete', { list: list.name })}
        onClick={() => lists.remove(list.name)}
      >
        {t('listDeleteShort')}
      </button>
    </li>
  )
}

const NewList = (props: { lists: Lists }) => {
  const [name, setName] = useState('')
  const [members, setMembers] = useState('')
  return (
    <form
      aria-labelledby="new-list-title"
      onSubmit={(event) => {
        event.preventDefault()
        props.lists.create(name.trim(), listOf(members))
        setName('')
        setMembers('')
      }}
    >
      <h3 id="new-list-title">{t('listNew')}</h3>
      <TextField label={t('listName')} name="listName" required value={name} set={setName} />
      <TextField label={t('listMembers')} name="listMembers" value={members} set={setMembers} />
      <button type="submit">{t('listCreate')}</button>
    </form>
  )
}

export const ContactLists = (props: { lists: Lists }) => (
  <section aria-labelledby="lists-title">
    <h2 id="lists-title">{t('listsTitle')}</h2>
    {props.lists.lists.length === 0 ? <p>{t('noLists')}</p> : null}
    <ul class="contact-lists">
      {props.lists.lists.map((list) => (
        <OneList key={list.name} list={list} lists={props.lists} />
      ))}
    </ul>
    <NewList lists={props.lists} />
    <Alert error={props.lists.error} info={props.lists.info} />
  </section>
)
