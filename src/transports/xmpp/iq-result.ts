// The empty result of an iq, addressed back to the session's full JID from where the iq was sent
// (RFC 6120 §8.2.3); transport layer.
import { Element } from 'ltx'
import type { XmppSession } from './xmpp-session.js'

/** An empty result to `iq`, from the address it was sent to. */
export const result = (session: XmppSession, iq: Element): Element => {
  const attrs: Record<string, string> = { type: 'result', to: session.jid }
  const id = iq.attrs['id'] as string | undefined
  if (id !== undefined) attrs['id'] = id
  if (iq.attrs['to'] !== undefined) attrs['from'] = String(iq.attrs['to'])
  return new Element('iq', attrs)
}
