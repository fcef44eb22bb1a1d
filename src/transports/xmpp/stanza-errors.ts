// Stanza errors of RFC 6120 §8.3: the reply to a stanza the server will not carry out, addressed
// back to its sender, with the stanza's own id; transport layer.
import { Element } from 'ltx'

export const stanzasNs = 'urn:ietf:params:xml:ns:xmpp-stanzas'

export type StanzaErrorCondition =
  | 'bad-request'
  | 'feature-not-implemented'
  | 'forbidden'
  | 'item-not-found'
  | 'not-acceptable'
  | 'not-allowed'
  | 'policy-violation'
  | 'recipient-unavailable'
  | 'remote-server-not-found'
  | 'resource-constraint'
  | 'service-unavailable'
  | 'internal-server-error'
  | 'jid-malformed'

const typeOf: Record<StanzaErrorCondition, 'cancel' | 'modify' | 'wait' | 'auth'> = {
  'bad-request': 'modify',
  'feature-not-implemented': 'cancel',
  forbidden: 'auth',
  'item-not-found': 'cancel',
  'not-acceptable': 'modify',
  'not-allowed': 'cancel',
  'policy-violation': 'modify',
  'recipient-unavailable': 'wait',
  'remote-server-not-found': 'cancel',
  'resource-constraint': 'wait',
  'service-unavailable': 'cancel',
  'internal-server-error': 'cancel',
  'jid-malformed': 'modify',
}

/** A thrown stanza error: the session answers the stanza with it and goes on. */
export class StanzaError extends Error {
  constructor(
    readonly condition: StanzaErrorCondition,
    readonly text?: string,
    /** An application-specific condition (RFC 6120 §8.3.4), such as XEP-0060's pubsub errors. */
    readonly application?: Element,
  ) {
    super(text ?? condition)
  }
}

/** The error reply to `stanza` (its name, id and the swapped addresses), from `from`. */
export const errorReply = (stanza: Element, error: StanzaError, from: string): Element => {
  const attrs: Record<string, string> = { type: 'error', from }
  const id = stanza.attrs['id'] as string | undefined
  const to = stanza.attrs['from'] as string | undefined
  if (id !== undefined) attrs['id'] = id
  if (to !== undefined) attrs['to'] = to
  const reply = new Element(stanza.name, attrs)
  const body = reply.c('error', { type: typeOf[error.condition] })
  body.c(error.condition, { xmlns: stanzasNs })
  if (error.text) body.c('text', { xmlns: stanzasNs }).t(error.text)
  if (error.application) body.cnode(error.application)
  return reply
}
