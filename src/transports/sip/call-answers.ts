// Presence-based answers to a direct call (Närvaro as a SIP redirect server for a PBX): an INVITE for
// a person, authenticated as the caller, is answered from the core's "can I reach them by voice now?"
// for that caller's view: 302 to the reachable voice method (or the alternative the view allows),
// 486 when they are busy, else 480; the answer's text (their situation, the note the caller may see)
// goes in a Warning header as the "recording". Nothing is decided here. Transport layer.
import type { User } from '../../app/accounts/index.js'
import { NarvaroError } from '../../core/errors.js'
import type { NarvaroServices } from '../../app/services.js'
import type { ReachAnswer } from '../../core/reach/check-reach.js'
import { addressOfUri } from './sip-headers.js'
import type { SipRequest } from './sip-message.js'

type Reply = (status: number, reason: string, headers?: [string, string][]) => void

/** Situations a phone calls busy (486); the others are unavailable (480). */
const busyReasons = new Set([
  'do-not-disturb',
  'busy-in-a-call',
  'busy-in-a-conference',
  'busy-in-a-meeting',
  'busy',
  'presenting',
  'focusing',
])

/** A contact address as a URI a phone can call: SIP addresses as `sip:`, numbers as `tel:`. */
export const callableUri = (address: string): string => {
  if (/^(sips?|tel):/i.test(address)) return address
  if (address.includes('@')) return `sip:${address}`
  return `tel:${address.replace(/[^0-9+*#]/g, '')}`
}

/** The Warning value (RFC 3261 §20.43, code 399: miscellaneous) carrying `text`. */
const warning = (host: string, text: string): [string, string] => [
  'Warning',
  `399 ${host} "${text.replace(/["\\\r\n]/g, ' ').slice(0, 200)}"`,
]

/** The answer for a call to `answer`'s person. */
export const answerCall = (
  answer: ReachAnswer,
  host: string,
  note: string | undefined,
): {
  status: number
  reason: string
  headers: [string, string][]
} => {
  const recording = note ? `${answer.text}. ${note}` : answer.text
  if (answer.reachable)
    return {
      status: 302,
      reason: 'Moved Temporarily',
      headers: [['Contact', `<${callableUri(answer.via.address)}>`]],
    }
  const alternative = answer.alternative
  if (
    alternative &&
    (alternative.kind === 'voice' || alternative.kind === 'phone') &&
    alternative.reachable
  )
    return {
      status: 302,
      reason: 'Moved Temporarily',
      headers: [['Contact', `<${callableUri(alternative.address)}>`], warning(host, recording)],
    }
  const busy = busyReasons.has(answer.reason)
  return {
    status: busy ? 486 : 480,
    reason: busy ? 'Busy Here' : 'Temporarily Unavailable',
    headers: [warning(host, recording)],
  }
}

/** Answers an INVITE of `caller` for the person of its Request-URI (404 for nobody they may see). */
export const answerInvite = async (
  services: NarvaroServices,
  request: SipRequest,
  caller: User,
  host: string,
  reply: Reply,
): Promise<void> => {
  const address = addressOfUri(request.uri)
  if (!address) return reply(404, 'Not Found')
  const party = { address: caller.address, organizationId: caller.organizationId }
  let answer: ReachAnswer
  let note: string | undefined
  try {
    ;({ answer } = await services.availability.reach(party, address, 'voice'))
    note = (await services.subscriptions.viewOf(caller, address)).view.note?.text
  } catch (error) {
    if (error instanceof NarvaroError && error.code === 'NRV_NOT_FOUND')
      return reply(404, 'Not Found')
    throw error
  }
  const { status, reason, headers } = answerCall(answer, host, note)
  reply(status, reason, headers)
}
