// Queries about accounts, answered from what the core computed and the owner's policy: the blocking
// command (XEP-0191) over the owner's block rule, Last Activity (XEP-0012) from the view's
// `lastSeen`, and vCard-temp (XEP-0054) with the contact methods the view allows. A presentity the
// asker may not see answers exactly like an address nobody has. Transport layer.
import { Element } from 'ltx'
import type { ContactKind } from '../../core/model/presence-model.js'
import type { View } from '../../core/policy/compute-view.js'
import { isNarvaroError } from '../../core/errors.js'
import { StanzaError } from './stanza-errors.js'
import { result } from './iq-result.js'
import { bareOf } from './subscriptions.js'
import type { XmppSession } from './xmpp-session.js'

export const blockingNs = 'urn:xmpp:blocking'
export const lastActivityNs = 'jabber:iq:last'
export const vcardNs = 'vcard-temp'

const itemsOf = (payload: Element): string[] =>
  payload.getChildren('item').map((item) => bareOf(item.attrs['jid'] as string | undefined))

/** XEP-0191: the block list, and block / unblock pushed to every resource of the owner. */
export const blocking = async (session: XmppSession, iq: Element, payload: Element) => {
  const { privacy } = session.services
  const { user } = session.stream
  if (iq.attrs['type'] === 'get') {
    if (payload.name !== 'blocklist') throw new StanzaError('bad-request')
    const answer = result(session, iq)
    const list = answer.c('blocklist', { xmlns: blockingNs })
    for (const jid of privacy.blocked(user)) list.c('item', { jid })
    return session.write(answer)
  }
  const items = itemsOf(payload)
  if (payload.name === 'block') {
    if (items.length === 0) throw new StanzaError('bad-request', 'name whom to block')
    await privacy.block(user, items)
  } else if (payload.name === 'unblock') {
    await privacy.unblock(user, items.length > 0 ? items : undefined)
  } else throw new StanzaError('bad-request')
  session.write(result(session, iq))
  for (const own of session.ownSessions()) {
    const push = new Element('iq', { type: 'set', id: `push-${own.nextId()}`, to: own.jid })
    const body = push.c(payload.name, { xmlns: blockingNs })
    for (const jid of items) body.c('item', { jid })
    own.write(push)
  }
}

/** The view the asker has of `to` (the asker's own when addressed to themselves), or item-not-found. */
const viewOfTarget = async (session: XmppSession, iq: Element): Promise<View> => {
  const to = iq.attrs['to'] as string | undefined
  const address = to === undefined ? session.stream.user.address : bareOf(to)
  try {
    return (await session.services.subscriptions.viewOf(session.stream.user, address)).view
  } catch (error) {
    if (isNarvaroError(error) && error.code === 'NRV_NOT_FOUND')
      throw new StanzaError('service-unavailable')
    throw error
  }
}

/** XEP-0012 to a bare JID: seconds since the person was last seen, as far as the view shows it. */
export const lastActivity = async (session: XmppSession, iq: Element) => {
  const view = await viewOfTarget(session, iq)
  if (view.availability !== 'offline') {
    const answer = result(session, iq)
    answer.c('query', { xmlns: lastActivityNs, seconds: '0' })
    return session.write(answer)
  }
  if (view.lastSeen === undefined) throw new StanzaError('forbidden')
  const seconds = Math.max(0, Math.round((session.services.clock.now() - view.lastSeen) / 1000))
  const answer = result(session, iq)
  answer.c('query', { xmlns: lastActivityNs, seconds: String(seconds) })
  session.write(answer)
}

const tel = (type: string) => (card: Element, address: string) =>
  card.c('TEL').c(type).up().c('NUMBER').t(address)

/** vCard-temp fields by contact kind; video has none. */
const vcardKinds: Partial<Record<ContactKind, (card: Element, address: string) => void>> = {
  phone: tel('VOICE'),
  voice: tel('VOICE'),
  sms: tel('MSG'),
  email: (card, address) => card.c('EMAIL').c('INTERNET').up().c('USERID').t(address),
  im: (card, address) => card.c('JABBERID').t(address),
}

/** XEP-0054: the name and the contact methods the asker's view holds; nothing can be set. */
export const vcard = async (session: XmppSession, iq: Element) => {
  if (iq.attrs['type'] === 'set')
    throw new StanzaError('not-allowed', 'edit your profile in Närvaro')
  const view = await viewOfTarget(session, iq)
  const answer = result(session, iq)
  const card = answer.c('vCard', { xmlns: vcardNs })
  if (view.displayName) card.c('FN').t(view.displayName)
  for (const method of view.contactMethods ?? []) vcardKinds[method.kind]?.(card, method.address)
  session.write(answer)
}
