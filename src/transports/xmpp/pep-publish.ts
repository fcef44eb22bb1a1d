// Publishing through PEP (XEP-0163 §7, XEP-0060 §7.1): a client's item on its own User Activity, User
// Mood or User Location node becomes those fields of its resource's device publication, which the
// core then shows each watcher as far as the watcher's view allows. Other pubsub requests and other
// nodes are answered with XEP-0060's errors. Transport layer.
import { Element } from 'ltx'
import { isNarvaroError } from '../../core/errors.js'
import { result } from './iq-result.js'
import { pepNodes, type PepNode } from './pep-map.js'
import { fieldsOfPayload } from './pep-payloads.js'
import { StanzaError } from './stanza-errors.js'
import type { XmppSession } from './xmpp-session.js'

export const pubsubNs = 'http://jabber.org/protocol/pubsub'
const pubsubErrorsNs = 'http://jabber.org/protocol/pubsub#errors'

/** The XEP-0060 §10 feature of each request that is not offered. */
const featureOf: Record<string, string> = {
  items: 'retrieve-items',
  retract: 'retract-items',
  subscribe: 'subscribe',
  unsubscribe: 'subscribe',
  create: 'create-nodes',
  configure: 'config-node',
  options: 'subscription-options',
  subscriptions: 'retrieve-subscriptions',
  affiliations: 'retrieve-affiliations',
}

const pubsubError = (
  condition: 'bad-request' | 'feature-not-implemented',
  application: string,
  attrs: Record<string, string> = {},
) =>
  new StanzaError(
    condition,
    undefined,
    new Element(application, { xmlns: pubsubErrorsNs, ...attrs }),
  )

const unsupported = (feature: string) =>
  pubsubError('feature-not-implemented', 'unsupported', { feature })

/** A pubsub iq to the own account (or without `to`): a publish to one of the three nodes. */
export const pepRequest = async (session: XmppSession, iq: Element, payload: Element) => {
  const request = payload.getChildElements().find((child) => child.name !== 'publish-options')
  if (iq.attrs['type'] !== 'set' || request?.name !== 'publish')
    throw unsupported(featureOf[request?.name ?? ''] ?? 'publish')
  const node = String(request.attrs['node'] ?? '')
  if (!node) throw pubsubError('bad-request', 'nodeid-required')
  // No other node exists, and PEP's auto-create is not offered (XEP-0060 §7.1.4).
  if (!(pepNodes as readonly string[]).includes(node)) throw new StanzaError('item-not-found')
  const items = request.getChildren('item')
  if (items.length !== 1) throw pubsubError('bad-request', 'item-required')
  const item = items[0]!
  const entries = item.getChildElements()
  const fields =
    entries.length === 1 ? fieldsOfPayload(node as PepNode, entries[0]!) : 'bad-request'
  if (fields === 'bad-request') throw pubsubError('bad-request', 'invalid-payload')
  try {
    await session.publishPep(fields)
  } catch (error) {
    if (isNarvaroError(error) && error.code === 'NRV_RATE_LIMITED')
      throw new StanzaError('resource-constraint', 'too many publications; wait')
    throw error
  }
  const answer = result(session, iq)
  const id = String(item.attrs['id'] ?? 'current')
  answer.c('pubsub', { xmlns: pubsubNs }).c('publish', { node }).c('item', { id })
  session.write(answer)
}
