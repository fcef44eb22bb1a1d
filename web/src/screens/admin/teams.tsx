// The admin's teams section: the organization's teams (its groups, docs/directory.md) with their
// sizes, a new team, and the chosen team's members and skills; web app.
import { useEffect, useState } from 'preact/hooks'
import { Alert, Field, listOf, useAction } from '../../components.js'
import { t } from '../../i18n/index.js'
import { client } from '../../session.js'
import { qualified, type Team } from './admin-api.js'
import { TeamDetail } from './team-detail.js'

const NewTeam = (props: { onCreated: (team: Team) => Promise<void> }) => {
  const [name, setName] = useState('')
  const [members, setMembers] = useState('')
  const { error, run } = useAction()
  const submit = (event: Event) => {
    event.preventDefault()
    void run(async () => {
      await props.onCreated(
        await client.createTeam({ name: name.trim(), members: listOf(members).map(qualified) }),
      )
      setName('')
      setMembers('')
    })
  }
  return (
    <form aria-labelledby="new-team-title" onSubmit={submit}>
      <h3 id="new-team-title">{t('adm_newTeam')}</h3>
      <Field label={t('adm_teamName')}>
        {(id) => (
          <input id={id} required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        )}
      </Field>
      <Field label={t('adm_teamMembersList')}>
        {(id) => (
          <input id={id} value={members} onInput={(e) => setMembers(e.currentTarget.value)} />
        )}
      </Field>
      <button type="submit">{t('adm_createTeam')}</button>
      <Alert error={error} />
    </form>
  )
}

const TeamTable = (props: {
  teams: readonly Team[]
  chosen: string | undefined
  onChoose: (id: string) => void
}) =>
  props.teams.length === 0 ? (
    <p>{t('adm_noTeams')}</p>
  ) : (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('adm_teamName')}</th>
          <th scope="col">{t('adm_memberCount')}</th>
          <th scope="col">
            <span class="visually-hidden">{t('adm_actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.teams.map((team) => (
          <tr key={team.id} data-team={team.name}>
            <td>{team.name}</td>
            <td>{team.members.length}</td>
            <td>
              <button
                type="button"
                aria-label={`${t('adm_manageTeam')}: ${team.name}`}
                aria-pressed={props.chosen === team.id}
                onClick={() => props.onChoose(team.id)}
              >
                {t('adm_manageTeam')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )

export const TeamsSection = () => {
  const [teams, setTeams] = useState<readonly Team[]>([])
  const [chosen, setChosen] = useState<string | undefined>(undefined)
  const { error, info, run } = useAction()
  const load = async () => setTeams(await client.teams())
  useEffect(() => void run(load), [])
  const team = teams.find((candidate) => candidate.id === chosen)
  const onRemoved = (removed: Team) =>
    void run(async () => {
      setChosen(undefined)
      await load()
      return t('adm_teamRemoved', { name: removed.name })
    })
  return (
    <section aria-labelledby="teams-title">
      <h2 id="teams-title">{t('adm_teamsTitle')}</h2>
      <p>{t('adm_teamsIntro')}</p>
      <TeamTable teams={teams} chosen={chosen} onChoose={setChosen} />
      <Alert error={error} info={info} />
      {team ? (
        <TeamDetail key={team.id} team={team} onChanged={() => run(load)} onRemoved={onRemoved} />
      ) : null}
      <NewTeam
        onCreated={async (created) => {
          await load()
          setChosen(created.id)
        }}
      />
    </section>
  )
}
