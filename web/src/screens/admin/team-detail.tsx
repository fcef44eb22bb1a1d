// One team in the admin's teams section: its members with their titles and skills (from the
// directory), adding and removing members, a member's title and skills, and removing the team;
// web app.
import { useEffect, useState } from 'preact/hooks'
import { Alert, ItemButton, listOf, useAction } from '../../components.js'
import { TextField, TitledForm } from '../../form-fields.js'
import { t } from '../../i18n/index.js'
import { client } from '../../session.js'
import { AdminTable } from './admin-list.js'
import { adminApi, qualified, teamPageSize, type DirectoryEntry, type Team } from './admin-api.js'

const SkillsEditor = (props: { entry: DirectoryEntry; onSaved: () => Promise<void> }) => {
  const [title, setTitle] = useState(props.entry.title ?? '')
  const [skills, setSkills] = useState(props.entry.tags.join(', '))
  const { error, info, run } = useAction()
  const submit = () =>
    void run(async () => {
      const tags = listOf(skills).map((tag) => tag.toLowerCase())
      await adminApi.setEntry(props.entry.address, { title: title.trim() || null, tags })
      await props.onSaved()
      return t('saved')
    })
  return (
    <TitledForm
      id="skills-title"
      heading="h4"
      title={t('adm_skillsOf', { name: props.entry.displayName })}
      onSubmit={submit}
    >
      <TextField label={t('adm_personTitle')} value={title} set={setTitle} />
      <TextField label={t('adm_skills')} value={skills} set={setSkills} />
      <button type="submit">{t('save')}</button>
      <Alert error={error} info={info} />
    </TitledForm>
  )
}

interface MemberActions {
  readonly edit: (entry: DirectoryEntry) => void
  readonly remove: (address: string) => void
}

const MemberRow = (props: { entry: DirectoryEntry; actions: MemberActions }) => {
  const { entry, actions } = props
  return (
    <tr data-member={entry.address}>
      <td class="wrap">{entry.address}</td>
      <td>{entry.displayName}</td>
      <td>{entry.title ?? t('none')}</td>
      <td data-field="skills">{entry.tags.join(', ') || t('none')}</td>
      <td>
        <div class="buttons">
          <ItemButton
            label={t('adm_editSkills')}
            item={entry.address}
            onClick={() => actions.edit(entry)}
          />
          <ItemButton
            label={t('adm_removeMember')}
            item={entry.address}
            onClick={() => actions.remove(entry.address)}
          />
        </div>
      </td>
    </tr>
  )
}

const MemberTable = (props: { entries: readonly DirectoryEntry[]; actions: MemberActions }) => (
  <AdminTable
    columns={[t('address'), t('displayName'), t('adm_personTitle'), t('adm_skillsColumn')]}
    items={props.entries}
    empty={t('adm_noMembers')}
    row={(entry) => <MemberRow key={entry.address} entry={entry} actions={props.actions} />}
  />
)

const AddMember = (props: { onAdd: (address: string) => Promise<boolean> }) => {
  const [address, setAddress] = useState('')
  const submit = (event: Event) => {
    event.preventDefault()
    void props.onAdd(qualified(address.trim())).then((added) => added && setAddress(''))
  }
  return (
    <form class="inline" aria-label={t('adm_addMember')} onSubmit={submit}>
      <TextField
        label={t('adm_memberAddress')}
        name="memberAddress"
        required
        value={address}
        set={setAddress}
      />
      <button type="submit">{t('adm_addMember')}</button>
    </form>
  )
}

/** The team's members as the directory shows them, reloaded when the membership changes. */
const useMembers = (team: Team) => {
  const [page, setPage] = useState<{ entries: readonly DirectoryEntry[]; more: boolean }>({
    entries: [],
    more: false,
  })
  const load = async () => {
    const reply = await adminApi.teamMembers(team.id)
    setPage({ entries: reply.entries, more: reply.next !== undefined })
  }
  return { page, load }
}

export const TeamDetail = (props: {
  team: Team
  onChanged: () => Promise<void>
  onRemoved: (team: Team) => void
}) => {
  const { team } = props
  const { page, load } = useMembers(team)
  const [editing, setEditing] = useState<DirectoryEntry | undefined>(undefined)
  const { error, info, run } = useAction()
  useEffect(() => void run(load), [team.members.join(',')])
  /** Replaces the members; true when the server took the change. */
  const setMembers = async (members: readonly string[], message: string): Promise<boolean> => {
    let done = false
    await run(async () => {
      await client.setTeamMembers(team.id, [...members])
      done = true
      await props.onChanged()
      return message
    })
    return done
  }
  const actions: MemberActions = {
    edit: setEditing,
    remove: (address) =>
      void setMembers(
        team.members.filter((member) => member !== address),
        t('adm_memberRemoved', { address, team: team.name }),
      ),
  }
  const removeTeam = () =>
    void run(async () => {
      if (!confirm(t('adm_confirmRemoveTeam', { name: team.name }))) return
      await adminApi.removeTeam(team.id)
      props.onRemoved(team)
    })
  return (
    <section aria-labelledby="team-detail-title" class="team-detail" data-team-detail={team.name}>
      <h3 id="team-detail-title">{t('adm_teamDetail', { name: team.name })}</h3>
      <MemberTable entries={page.entries} actions={actions} />
      {page.more ? <p>{t('adm_moreMembers', { count: teamPageSize })}</p> : null}
      <AddMember
        onAdd={(address) =>
          setMembers([...team.members, address], t('adm_memberAdded', { address, team: team.name }))
        }
      />
      <Alert error={error} info={info} />
      {editing ? (
        <SkillsEditor key={editing.address} entry={editing} onSaved={() => run(load)} />
      ) : null}
      <button type="button" class="danger" onClick={removeTeam}>
        {t('adm_removeTeam', { name: team.name })}
      </button>
    </section>
  )
}
