// Reach: the best way to reach a person now, as their policy lets me see it: their contact methods
// ranked, each with the server's answer to "can I reach them this way now?" and why not; then where a
// message of some urgency would go (route) and picking a free person of a team (pick). Web app.
import { useEffect, useState } from 'preact/hooks'
import type { ReplyOf, View } from '@narvaro/sdk'
import { Alert, ViewCard, useAction } from '../components.js'
import { AddressForm } from '../form-fields.js'
import { formatTime, t } from '../i18n/index.js'
import type { StringKey } from '../i18n/en.js'
import { client } from '../session.js'
import { kindText } from './me/contact-methods.js'
import { PickForm, RouteForm, methodText } from './reach-workflows.js'

type ReachAnswer = ReplyOf<'/v1/reach/{address}', 'get'>
type Method = NonNullable<View['contactMethods']>[number]

interface Finding {
  readonly address: string
  readonly view: View
  /** The server's best way now (from "who is available"), when it answers for this person. */
  readonly best?: Method
  readonly answers: ReadonlyMap<string, ReachAnswer>
}

/** A reason code of the API (a situation or a missing method) in words. */
export const reasonText = (reason: string): string => t(`reachReason_${reason}` as StringKey)

const sameMethod = (a: Method | undefined, b: Method): boolean =>
  a !== undefined && a.kind === b.kind && a.address === b.address

/** The best first, then those that get through now, then by the person's own rank. */
const ranked = (finding: Finding): readonly Method[] =>
  [...(finding.view.contactMethods ?? [])].sort(
    (a, b) =>
      Number(sameMethod(finding.best, b)) - Number(sameMethod(finding.best, a)) ||
      Number(finding.answers.get(b.kind)?.reachable ?? false) -
        Number(finding.answers.get(a.kind)?.reachable ?? false) ||
      a.rank - b.rank,
  )

const find = async (address: string): Promise<Finding> => {
  const [{ view }, who] = await Promise.all([
    client.presenceOf(address),
    client.who({ addresses: address }).catch(() => []),
  ])
  const kinds = [...new Set((view.contactMethods ?? []).map((method) => method.kind))]
  const answers = await Promise.all(
    kinds.map(async (via) => {
      const params = { path: { address }, query: { via } }
      const { data } = await client.api.GET('/v1/reach/{address}', { params })
      return [via, data!] as const
    }),
  )
  const best = who.find((entry) => entry.address === view.address)?.best
  return { address: view.address, view, ...(best ? { best } : {}), answers: new Map(answers) }
}

/** Why a way works or not, in words. */
const whyText = (answer: ReachAnswer | undefined): string => {
  if (!answer) return t('none')
  if (answer.reachable) return answer.priorityAccess ? t('reachYesPriority') : t('reachYes')
  const until = answer.until ? t('reachUntil', { time: formatTime(answer.until) }) : ''
  const reason = answer.reason ? reasonText(answer.reason) : t('reachNo')
  const instead = answer.alternative
    ? ` ${t('reachTryInstead', { method: methodText(answer.alternative) })}`
    : ''
  return `${reason}${until}.${instead}`
}

const MethodRow = (props: { method: Method; answer?: ReachAnswer; best: boolean }) => {
  const { method, answer } = props
  const yes = answer?.reachable === true
  return (
    <li data-method={`${method.kind}:${method.address}`} data-reachable={String(yes)}>
      <strong>{kindText(method.kind)}</strong>: {method.address}
      {props.best ? <span class="tag best">{t('reachBest')}</span> : null}{' '}
      <span class={`tag ${yes ? 'yes' : 'no'}`}>{yes ? t('reachCan') : t('reachCannot')}</span>
      <br />
      <span class="hint" data-field="why">
        {whyText(answer)}
      </span>
    </li>
  )
}

const Result = (props: { finding: Finding }) => {
  const { finding } = props
  const methods = ranked(finding)
  const name = finding.view.displayName ?? finding.address
  const best = methods.find((method) => finding.answers.get(method.kind)?.reachable)
  return (
    <div class="reach-result">
      <section aria-labelledby="reach-ways-title">
        <h2 id="reach-ways-title">{t('reachWaysTitle', { name })}</h2>
        <p data-field="best-now">
          {best ? t('reachBestNow', { method: methodText(best) }) : t('reachNobodyNow', { name })}
        </p>
        {methods.length === 0 ? <p>{t('reachNoMethods')}</p> : null}
        <ol class="ways">
          {methods.map((method) => (
            <MethodRow
              key={`${method.kind}:${method.address}`}
              method={method}
              answer={finding.answers.get(method.kind)}
              best={sameMethod(finding.best, method)}
            />
          ))}
        </ol>
      </section>
      <ViewCard view={finding.view} now={Date.now()} />
      <RouteForm address={finding.address} />
    </div>
  )
}

/** `/reach?address=…` opens the screen with that person shown, so other screens can link here. */
const linkedAddress = (): string => new URLSearchParams(location.search).get('address') ?? ''

export const ReachScreen = () => {
  const [address, setAddress] = useState(linkedAddress)
  const [finding, setFinding] = useState<Finding | undefined>(undefined)
  const { error, run } = useAction()
  const show = (whom: string) => {
    setFinding(undefined)
    void run(async () => setFinding(await find(whom)))
  }
  useEffect(() => {
    if (address.trim()) show(address.trim())
  }, [])
  return (
    <section>
      <h1>{t('reachTitle')}</h1>
      <p class="hint">{t('reachExplain')}</p>
      <AddressForm
        title={t('reachAsk')}
        label={t('reachAddress')}
        name="reachAddress"
        value={address}
        set={setAddress}
        submit={t('reachShow')}
        onSubmit={() => show(address.trim())}
      />
      <Alert error={error} />
      {finding ? <Result finding={finding} /> : null}
      <PickForm />
    </section>
  )
}
