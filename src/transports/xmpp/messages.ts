// One-to-one messages between online users (RFC 6121 §8): routed to a full JID, or to every available
// resource of a bare JID. There is no offline storage or archive: a message to an existing user
// nobody online, or to one who blocks the sender, is silently ignored (§8.5.2.2.1 allows it; an
// error would tell the sender who is online); an address that does not exist, or that policy
// hides from the sender, is answered `service-unavailable`. The sender's and recipient's other
// resources get carbons (XEP-0280) when they asked for them. Transport layer.
import { clone, type Element } from 'ltx'
import { copyMessage } from './carbons.js'
import { StanzaError } from './stanza-errors.js'
import { bareOf } from './subscriptions.js'
import type { XmppSession } from './xmpp-session.js'

export const routeMessage = async (session: XmppSession, message: Element): Promise<void> => {
  const type = (message.attrs['type'] as string | undefined) ?? 'normal'
  const to = message.attrs['to'] as string | undefined
  // Addressed to the own account or the server: nothing here handles it.
  if (to === undefined || to === session.stream.domain) return
  const bare = bareOf(to)
  const resource = to.includes('/') ? to.slice(to.indexOf('/') + 1) : undefined
  const contact = await session.services.subscriptions.contactOf(session.stream.user, bare)
  if (contact === 'hidden') {
    if (type === 'error' || type === 'headline') return
    throw new StanzaError('service-unavailable')
  }
  // Refused, or nobody online: dropped in silence, the same either way, so that neither a block
  // nor being offline shows to the sender (no offline storage: docs/xmpp.md).
  const targets = contact === 'allowed' ? recipients(session, bare, resource) : []
  const out = clone(message)
  out.attrs['from'] = session.jid
  delete out.attrs['xmlns']
  const text = out.toString()
  for (const target of targets) target.deliver(text)
  copyMessage(session, out, targets)
}

/** A full JID's session, else (RFC 6121 §8.5.3.2.1) the available resources of the bare JID. */
const recipients = (
  session: XmppSession,
  bare: string,
  resource: string | undefined,
): readonly XmppSession[] => {
  const exact = resource !== undefined ? session.gatewaySessionOf(`${bare}/${resource}`) : undefined
  if (exact) return [exact]
  return session.gatewaySessionsOf(bare).filter((target) => target.available)
}
