// The admin's teams section: the organization's teams (its groups, docs/directory.md) with their
// sizes, a new team, and the chosen team's members and skills; web app.
import { useState } from 'preact/hooks'
import { ItemButton, listOf, useAction } from '../../components.js'
import { TextField } from '../../form-fields.js'
import { t } from '../../i18n/index.js'
import { client } from '../../session.js'
import { qualified, type Team } from './admin-api.js'
import { AdminSection, AdminTable, CreateForm, useAdminList } from './admin-list.js'
import { TeamDetail } from './team-detail.js'

const NewTeam = (props: { onCreated: (team: Team) => Promise<void> }) => {
  const [name, setName] = useState('')
  const [members, setMembers] = useState('')
  const { error, run } = useAction()
  const submit = () =>
    void run(async () => {
      await props.onCreated(
        await client.createTeam({ name: name.trim(), members: listOf(members).map(qualified) }),
      )
      setName('')
      setMembers('')
    })
  return (
    <CreateForm
      name="new-team"
      title={t('adm_newTeam')}
      submit={t('adm_createTeam')}
      error={error}
      onSubmit={submit}
    >
      <TextField label={t('adm_teamName')} required value={name} set={setName} />
      <TextField label={t('adm_teamMembersList')} value={members} set={setMembers} />
    </CreateForm>
  )
}

const TeamTable = (props: {
  teams: readonly Team[]
  chosen: string | undefined
  onChoose: (id: string) => void
}) => (
  <AdminTable
    columns={[t('adm_teamName'), t('adm_memberCount')]}
    items={props.teams}
    empty={t('adm_noTeams')}
    row={(team) => (
      <tr key={team.id} data-team={team.name}>
        <td>{team.name}</td>
        <td>{team.members.length}</td>
        <td>
          <ItemButton
            label={t('adm_manageTeam')}
            item={team.name}
            pressed={props.chosen === team.id}
            onClick={() => props.onChoose(team.id)}
          />
        </td>
      </tr>
    )}
  />
)

export const TeamsSection = () => {
  const [chosen, setChosen] = useState<string | undefined>(undefined)
  const { list: teams, load, error, info, run } = useAdminList(() => client.teams())
  const team = teams.find((candidate) => candidate.id === chosen)
  const onRemoved = (removed: Team) =>
    void run(async () => {
      setChosen(undefined)
      await load()
      return t('adm_teamRemoved', { name: removed.name })
    })
  return (
    <AdminSection
      name="teams"
      title={t('adm_teamsTitle')}
      intro={t('adm_teamsIntro')}
      table={<TeamTable teams={teams} chosen={chosen} onChoose={setChosen} />}
      message={{ error, info }}
    >
      {team ? (
        <TeamDetail key={team.id} team={team} onChanged={() => run(load)} onRemoved={onRemoved} />
      ) : null}
      <NewTeam
        onCreated={async (created) => {
          await load()
          setChosen(created.id)
        }}
      />
    </AdminSection>
  )
}
