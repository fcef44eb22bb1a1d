// Watcher info (RFC 3857, RFC 3858): a presentity's own phone subscribes to `presence.winfo` and gets
// the full list of who watches them and who asked, in the states REST, WebSocket and XMPP show;
// every change of a watcher's state (a request, an approval from any side, a denial, a revoke) sends
// the list again. Transport layer.
import { createHash } from 'node:crypto'
import { Element } from 'ltx'
import type { User } from '../../app/accounts/index.js'
import type { NarvaroServices } from '../../app/services.js'
import type { SipEventContent } from './sip-subscription.js'

export const watcherinfoNs = 'urn:ietf:params:xml:ns:watcherinfo'
export const watcherinfoType = 'application/watcherinfo+xml'

type Status = 'active' | 'pending' | 'terminated'

/** Each stored state as a watcher's status, with the event that led there (RFC 3857 §3.3). */
const statusOf: Record<'active' | 'pending' | 'denied', { status: Status; event: string }> = {
  active: { status: 'active', event: 'approved' },
  pending: { status: 'pending', event: 'subscribe' },
  denied: { status: 'terminated', event: 'rejected' },
}

/** A full watcherinfo document of `resource` at `version`. */
export const watcherinfoXml = (
  resource: string,
  version: number,
  watchers: readonly { readonly watcherAddress: string; readonly state: keyof typeof statusOf }[],
): string => {
  const root = new Element('watcherinfo', { xmlns: watcherinfoNs, version, state: 'full' })
  const list = root.c('watcher-list', { resource, package: 'presence' })
  for (const w of watchers) {
    const { status, event } = statusOf[w.state]
    const id = createHash('sha256').update(w.watcherAddress).digest('hex').slice(0, 16)
    list.c('watcher', { id, status, event }).t(`sip:${w.watcherAddress}`)
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root.toString()}`
}

/** The watcher-info package of `owner`: their watchers now, again after each watcher notice. */
export const winfoContent = (services: NarvaroServices, owner: User): SipEventContent => {
  let version = 0
  const document = async () =>
    watcherinfoXml(`sip:${owner.address}`, version++, await services.privacy.watchers(owner))
  return {
    event: 'presence.winfo',
    contentType: watcherinfoType,
    initial: document,
    body: async (message, key) => {
      if (!key.startsWith('\u0000')) return undefined
      const notice = JSON.parse(message) as { type?: string }
      return notice.type === 'watcher' ? document() : undefined
    },
  }
}
