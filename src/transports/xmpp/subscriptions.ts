// Presence subscriptions over XMPP (RFC 6121 §3) mapped onto Närvaro's: `subscribe` asks through the
// policy engine (auto-allowed, pending for the presentity's approval, a polite block that looks
// accepted, or a block that looks like no such user); `subscribed` / `unsubscribed` approve, deny
// or revoke a watcher; `unsubscribe` ends one's own. Changes made elsewhere (REST, CLI, web app)
// arrive as the hub's account messages and become presence and roster pushes. Transport layer.
import { Element } from 'ltx'
import { isNarvaroError } from '../../core/errors.js'
import { normalizeAddress } from '../../core/model/address.js'
import { pushRosterItem } from './roster.js'
import { StanzaError } from './stanza-errors.js'
import type { XmppSession } from './xmpp-session.js'

/** The bare address of a JID, normalized; a malformed one is `jid-malformed`. */
export const bareOf = (jid: string | undefined): string => {
  try {
    return normalizeAddress((jid ?? '').split('/')[0]!)
  } catch {
    throw new StanzaError('jid-malformed')
  }
}

const subscriptionPresence = (type: string, from: string, to: string): Element =>
  new Element('presence', { type, from, to })

/** A presence of type subscribe, subscribed, unsubscribe or unsubscribed from the client. */
export const handleSubscription = async (
  session: XmppSession,
  type: string,
  rawTo: string | undefined,
): Promise<void> => {
  const contact = bareOf(rawTo)
  const { user } = session.stream
  if (contact === user.address) throw new StanzaError('not-acceptable', 'not with yourself')
  try {
    await applySubscription(session, type, contact)
  } catch (error) {
    if (isNarvaroError(error) && error.code === 'NRV_RATE_LIMITED')
      throw new StanzaError('resource-constraint', 'too many subscription requests; wait')
    // No such user, or one who blocks: the same answer (RFC 6121 §3.1.3).
    if (isNarvaroError(error) && error.code === 'NRV_NOT_FOUND') {
      if (type === 'subscribe')
        session.write(subscriptionPresence('unsubscribed', contact, user.address))
      return
    }
    throw error
  }
}

const applySubscription = async (session: XmppSession, type: string, contact: string) => {
  const { subscriptions, privacy, hub } = session.services
  const { user } = session.stream
  switch (type) {
    case 'subscribe': {
      const subscription = await subscriptions.subscribe(user, contact)
      await pushRosterItem(session, contact)
      if (subscription.state !== 'active') return
      session.write(subscriptionPresence('subscribed', contact, user.address))
      for (const own of session.ownSessions()) if (own.available) hub.watch(own, contact)
      return
    }
    case 'unsubscribe':
      await subscriptions.unsubscribe(user, contact)
      return pushRosterItem(session, contact)
    case 'subscribed':
      return privacy.approve(user, contact)
    case 'unsubscribed': {
      const watcher = (await privacy.watchers(user)).find((w) => w.watcherAddress === contact)
      if (!watcher) return
      if (watcher.state === 'pending') await privacy.deny(user, contact)
      else await privacy.revoke(user, contact)
      return pushRosterItem(session, contact)
    }
  }
}

/** An account message of the hub about subscriptions, as XMPP presence and roster pushes. */
export const accountMessage = async (
  session: XmppSession,
  message: { type: string; watcher?: string; address?: string; state?: string },
): Promise<void> => {
  const { user } = session.stream
  if (message.type === 'watcher' && message.watcher) {
    // Someone asks to watch me: the approval request of RFC 6121 §3.1.3.
    if (message.state === 'pending')
      session.write(subscriptionPresence('subscribe', message.watcher, user.address))
    else if (session.isFirstOwnSession()) await pushRosterItem(session, message.watcher)
    return
  }
  if (message.type === 'subscription' && message.address) {
    const granted = message.state === 'active'
    session.write(
      subscriptionPresence(granted ? 'subscribed' : 'unsubscribed', message.address, user.address),
    )
    if (granted && session.available) session.services.hub.watch(session, message.address)
    if (session.isFirstOwnSession()) await pushRosterItem(session, message.address)
  }
}
