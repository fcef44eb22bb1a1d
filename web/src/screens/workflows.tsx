// Workflows: gather a quick meeting of the free people, answer my invitations (live), and be told
// when someone becomes available (with a browser notification when allowed). Web app.
import { useEffect, useState } from 'preact/hooks'
import type { ReplyOf } from '@narvaro/sdk'
import { Alert, listOf, useAction } from '../components.js'
import { Check, TextField } from '../form-fields.js'
import { formatTime, t } from '../i18n/index.js'
import { client, live } from '../session.js'

type Invitation = ReplyOf<'/v1/me/invitations', 'get'>[number]
type Gathering = ReplyOf<'/v1/gatherings', 'post'>

/** The answers to the meeting I gathered last, kept up to date by the live connection. */
const Answers = (props: { gathering: Gathering }) => (
  <section aria-labelledby="answers-title">
    <h3 id="answers-title">{t('answersTitle', { topic: props.gathering.topic })}</h3>
    <ul>
      {props.gathering.invitees.map((invitee) => (
        <li key={invitee.address} data-invitee={invitee.address} data-state={invitee.state}>
          {invitee.address}: {invitee.state}
        </li>
      ))}
    </ul>
  </section>
)

const GatherForm = () => {
  const [topic, setTopic] = useState('')
  const [addresses, setAddresses] = useState('')
  const [team, setTeam] = useState('')
  const [inviteLater, setInviteLater] = useState(false)
  const [gathering, setGathering] = useState<Gathering | undefined>(undefined)
  const { error, info, run } = useAction()
  useEffect(
    () =>
      live?.on('gathering', (event) =>
        setGathering((current) =>
          current?.id === event.gathering
            ? {
                ...current,
                invitees: current.invitees.map((invitee) =>
                  invitee.address === event.address ? { ...invitee, state: event.state } : invitee,
                ),
              }
            : current,
        ),
      ),
    [],
  )
  const submit = (event: Event) => {
    event.preventDefault()
    void run(async () => {
      const list = listOf(addresses)
      const reply = await client.gather({
        topic,
        inviteLater,
        ...(list.length ? { addresses: list } : {}),
        ...(team ? { team } : {}),
      })
      setGathering(reply)
      const invited = reply.invitees.filter((invitee) => invitee.state === 'invited')
      return t('gathered', { count: invited.length })
    })
  }
  return (
    <form onSubmit={submit} aria-labelledby="gather-title">
      <h2 id="gather-title">{t('gatherTitle')}</h2>
      <TextField label={t('topic')} name="topic" value={topic} set={setTopic} />
      <TextField label={t('addresses')} name="addresses" value={addresses} set={setAddresses} />
      <TextField label={t('team')} name="team" value={team} set={setTeam} />
      <Check
        label={t('inviteLater')}
        name="inviteLater"
        checked={inviteLater}
        set={setInviteLater}
      />
      <button type="submit">{t('gather')}</button>
      <Alert error={error} info={info} />
      {gathering ? <Answers gathering={gathering} /> : null}
    </form>
  )
}

const Invitations = () => {
  const [invitations, setInvitations] = useState<readonly Invitation[]>([])
  const { error, info, run } = useAction()
  const load = () => void run(async () => setInvitations(await client.invitations()))
  useEffect(() => {
    load()
    const stops = [live?.on('invitation', load), live?.on('invitation-ended', load)]
    return () => stops.forEach((stop) => stop?.())
  }, [])
  const answer = (id: string, reply: 'accept' | 'decline') =>
    void run(async () => {
      await client.answerInvitation(id, { answer: reply })
      setInvitations(await client.invitations())
      return t('answered', { answer: t(reply) })
    })
  const open = invitations.filter((i) => i.state === 'invited')
  return (
    <section aria-labelledby="invitations-title">
      <h2 id="invitations-title">{t('invitationsTitle')}</h2>
      {invitations.length === 0 ? <p>{t('noInvitations')}</p> : null}
      <ul>
        {invitations.map((i) => (
          <li key={i.gathering} data-invitation={i.gathering}>
            {t('invitedBy', { organizer: i.organizer, topic: i.topic })} ({formatTime(i.expiresAt)},{' '}
            {i.state}){' '}
            {open.includes(i) ? (
              <>
                <button type="button" onClick={() => answer(i.gathering, 'accept')}>
                  {t('accept')}
                </button>{' '}
                <button type="button" onClick={() => answer(i.gathering, 'decline')}>
                  {t('decline')}
                </button>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <Alert error={error} info={info} />
    </section>
  )
}

const notifyAvailable = (address: string): void => {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return
  new Notification(t('appName'), { body: t('isAvailable', { address }) })
}

const NotifyForm = () => {
  const [address, setAddress] = useState('')
  const [fired, setFired] = useState<string | undefined>(undefined)
  const { error, info, run } = useAction()
  useEffect(
    () =>
      live?.on('available', (event) => {
        setFired(t('isAvailable', { address: event.address }))
        notifyAvailable(event.address)
      }),
    [],
  )
  const submit = (event: Event) => {
    event.preventDefault()
    void run(async () => {
      if (typeof Notification !== 'undefined' && Notification.permission === 'default')
        await Notification.requestPermission()
      await client.notifyWhenAvailable({ address: address.trim(), expiresInSeconds: 8 * 3600 })
      return t('notifySet', { address: address.trim() })
    })
  }
  return (
    <form onSubmit={submit} aria-labelledby="notify-title">
      <h2 id="notify-title">{t('notifyTitle')}</h2>
      <TextField
        label={t('address')}
        name="notifyAddress"
        type="email"
        required
        value={address}
        set={setAddress}
      />
      <button type="submit">{t('notify')}</button>
      <Alert error={error} info={fired ?? info} />
    </form>
  )
}

export const WorkflowsScreen = () => (
  <section>
    <h1>{t('workflowsTitle')}</h1>
    <div class="forms">
      <GatherForm />
      <NotifyForm />
    </div>
    <Invitations />
  </section>
)
