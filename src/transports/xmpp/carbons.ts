// Message Carbons (XEP-0280): a user's resources that asked for them get a copy of each chat message
// the user sends from another resource (`sent`), and of each one another resource of theirs received
// when it was addressed to that resource only (`received`), so a conversation shows on every device.
// Only the user's own messages are copied to the user's own resources. Transport layer.
import { clone, type Element } from 'ltx'
import { StanzaError } from './stanza-errors.js'
import { result } from './iq-result.js'
import type { XmppSession } from './xmpp-session.js'

export const carbonsNs = 'urn:xmpp:carbons:2'
const forwardNs = 'urn:xmpp:forward:0'
const hintsNs = 'urn:xmpp:hints'

/** `<enable/>` or `<disable/>` of this resource's carbons (XEP-0280 §4, §5). */
export const carbonsIq = (session: XmppSession, iq: Element, payload: Element): void => {
  if (iq.attrs['type'] !== 'set' || !['enable', 'disable'].includes(payload.name))
    throw new StanzaError('bad-request', 'carbons are enabled or disabled with an iq set')
  session.carbons = payload.name === 'enable'
  session.write(result(session, iq))
}

/** A chat message, not marked private (XEP-0280 §7) or no-copy (XEP-0334), is copied. */
const eligible = (message: Element): boolean =>
  message.attrs['type'] === 'chat' &&
  !message.getChild('private', carbonsNs) &&
  !message.getChild('no-copy', hintsNs)

const wrapped = (owner: XmppSession, direction: 'sent' | 'received', original: string) =>
  `<message from="${owner.stream.user.address}" to="${owner.jid}" type="chat">` +
  `<${direction} xmlns="${carbonsNs}"><forwarded xmlns="${forwardNs}">${original}</forwarded>` +
  `</${direction}></message>`

/**
 * The carbons of a chat message `sender` sent (already addressed from the sender's full JID): to the
 * sender's other resources, and to the recipient's resources that did not get it themselves.
 */
export const copyMessage = (
  sender: XmppSession,
  message: Element,
  delivered: readonly XmppSession[],
): void => {
  if (!eligible(message)) return
  const original = clone(message)
  original.attrs['xmlns'] = 'jabber:client'
  const text = original.toString()
  const wants = (resource: XmppSession) => resource.carbons && resource.available
  for (const own of sender.ownSessions())
    if (own !== sender && wants(own)) own.deliver(wrapped(own, 'sent', text))
  const recipient = delivered[0]?.stream.user.address
  if (recipient === undefined) return
  for (const other of sender.gatewaySessionsOf(recipient))
    if (!delivered.includes(other) && wants(other)) other.deliver(wrapped(other, 'received', text))
}
