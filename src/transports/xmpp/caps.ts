// Which PEP notifications a client wants (XEP-0163 §4.3): the `+notify` features of its entity
// capabilities (XEP-0115), asked once per capabilities `ver` with disco#info and remembered;
// a client without capabilities gets none. Transport layer.
import { Element } from 'ltx'
import { pepNodes, type PepNode } from './pep-map.js'
import type { XmppSession } from './xmpp-session.js'

const capsNs = 'http://jabber.org/protocol/caps'
const discoInfoNs = 'http://jabber.org/protocol/disco#info'

export const pepInterests = async (
  session: XmppSession,
  presence: Element,
): Promise<ReadonlySet<PepNode>> => {
  const caps = presence.getChild('c', capsNs)
  const node = caps?.attrs['node'] as string | undefined
  const ver = caps?.attrs['ver'] as string | undefined
  if (!node || !ver || ver.length > 200 || node.length > 500) return new Set()
  const known = session.gatewayCapsOf(ver)
  if (known) return known
  const query = new Element('iq', { type: 'get', to: session.jid, from: session.stream.domain })
  query.c('query', { xmlns: discoInfoNs, node: `${node}#${ver}` })
  const answer = await session.request(query)
  const features = new Set(
    answer?.attrs['type'] === 'result'
      ? (answer.getChild('query', discoInfoNs)?.getChildren('feature') ?? []).map((f) =>
          String(f.attrs['var'] ?? ''),
        )
      : [],
  )
  const nodes = new Set(pepNodes.filter((pep) => features.has(`${pep}+notify`)))
  if (answer) session.gatewayLearnCaps(ver, nodes)
  return nodes
}
