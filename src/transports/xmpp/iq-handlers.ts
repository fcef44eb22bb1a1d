// Info/query stanzas a bound stream sends to the server (RFC 6120 §8.2.3): the roster (RFC 6121
// §2) read from Närvaro's subscriptions, ping (XEP-0199), the legacy session (RFC 3921), service
// discovery (XEP-0030), message carbons (XEP-0280); any other namespace is `service-unavailable`.
// Transport layer.
import { Element } from 'ltx'
import { StanzaError } from './stanza-errors.js'
import { result } from './iq-result.js'
import { rosterGet, rosterNs, rosterSet } from './roster.js'
import {
  blocking,
  blockingNs,
  lastActivity,
  lastActivityNs,
  vcard,
  vcardNs,
} from './account-iqs.js'
import { carbonsIq, carbonsNs } from './carbons.js'
import type { XmppSession } from './xmpp-session.js'
import { pepRequest, pubsubNs } from './pep-publish.js'

const pingNs = 'urn:xmpp:ping'
const sessionNs = 'urn:ietf:params:xml:ns:xmpp-session'
export const discoInfoNs = 'http://jabber.org/protocol/disco#info'
const discoItemsNs = 'http://jabber.org/protocol/disco#items'

/** Features the server (and each account, for PEP) announces in disco#info. */
export const serverFeatures = [
  discoInfoNs,
  discoItemsNs,
  pingNs,
  rosterNs,
  'urn:xmpp:idle:1',
  'urn:xmpp:csi:0',
  blockingNs,
  lastActivityNs,
  vcardNs,
  carbonsNs,
] as const

export const handleIq = async (session: XmppSession, iq: Element): Promise<void> => {
  const type = iq.attrs['type'] as string | undefined
  if (type === 'result' || type === 'error') return session.answered(iq)
  if (type !== 'get' && type !== 'set') throw new StanzaError('bad-request', 'iq needs a type')
  const to = iq.attrs['to'] as string | undefined
  const { domain, user } = session.stream
  // To another account: only what is answered on its behalf (vCard, last activity).
  const ns0 = iq.getChildElements()[0]?.attrs['xmlns']
  const onBehalf = ns0 === vcardNs || ns0 === lastActivityNs
  if (to !== undefined && to !== domain && to !== user.address && !onBehalf)
    throw new StanzaError('service-unavailable')
  const payload = iq.getChildElements()[0]
  if (!payload || iq.getChildElements().length !== 1)
    throw new StanzaError('bad-request', 'an iq carries exactly one payload')
  const ns = payload.attrs['xmlns'] as string | undefined
  if (ns === rosterNs && type === 'get') return session.write(await rosterGet(session, iq, payload))
  if (ns === rosterNs) return rosterSet(session, iq, payload)
  if ((ns === pingNs || ns === sessionNs) && payload.getChildElements().length === 0)
    return session.write(result(session, iq))
  if (ns === discoInfoNs && type === 'get') return session.write(discoInfo(session, iq))
  if (ns === discoItemsNs && type === 'get') return session.write(discoItems(session, iq))
  if (ns === blockingNs) return blocking(session, iq, payload)
  if (ns === lastActivityNs && type === 'get') return lastActivity(session, iq)
  if (ns === vcardNs) return vcard(session, iq)
  if (ns === carbonsNs) return carbonsIq(session, iq, payload)
  // PEP is the account's own pubsub service; the server has none (XEP-0163 §4).
  if (ns === pubsubNs && to !== domain) return pepRequest(session, iq, payload)
  throw new StanzaError('service-unavailable')
}

const discoInfo = (session: XmppSession, iq: Element): Element => {
  const reply = result(session, iq)
  const query = reply.c('query', { xmlns: discoInfoNs })
  const toAccount = iq.attrs['to'] === session.stream.user.address
  query.c(
    'identity',
    toAccount
      ? { category: 'account', type: 'registered' }
      : { category: 'server', type: 'im', name: 'Närvaro' },
  )
  // The account is a PEP service that takes publications (XEP-0163 §6.1).
  if (toAccount) query.c('identity', { category: 'pubsub', type: 'pep' })
  for (const feature of serverFeatures) query.c('feature', { var: feature })
  if (toAccount) query.c('feature', { var: `${pubsubNs}#publish` })
  return reply
}

const discoItems = (session: XmppSession, iq: Element): Element => {
  const reply = result(session, iq)
  reply.c('query', { xmlns: discoItemsNs })
  return reply
}
