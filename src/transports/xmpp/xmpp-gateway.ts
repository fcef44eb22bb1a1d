// The XMPP client-to-server gateway: a TCP listener (STARTTLS) and optionally a direct-TLS one
// (XEP-0368), one negotiation then one session per connection, the bound sessions by JID, and the
// translation of hub messages into presence stanzas, once per distinct view. Transport layer.
import { createServer, type Server, type Socket } from 'node:net'
import { createSecureContext, createServer as createTlsServer } from 'node:tls'
import { Element } from 'ltx'
import type { NarvaroServices } from '../../app/services.js'
import { SetMap } from '../../app/shared/index.js'
import type { View } from '../../core/policy/compute-view.js'
import { Negotiation } from './negotiation.js'
import { StreamIo } from './stream-io.js'
import { defaultXmlStreamLimits, StreamError, type XmlStreamLimits } from './xml-stream.js'
import { presenceFor, renderPresence, type RenderedPresence } from './presence-map.js'
import { smNs } from './stream-management.js'
import { pepNodes, renderPep, type PepNode } from './pep-map.js'
import { csiNs, XmppSession, type SessionGateway } from './xmpp-session.js'

export interface XmppGatewaySettings {
  readonly host: string
  /** Port of the STARTTLS listener (0: any free port). */
  readonly port: number
  /** Port of the direct-TLS listener, if any. */
  readonly directTlsPort?: number
  readonly tls: 'required' | 'optional'
  /** The server's certificate and key (PEM); without them, no STARTTLS and no direct TLS. */
  readonly credentials: { readonly cert: string; readonly key: string } | undefined
  readonly limits?: XmlStreamLimits
  readonly headerTimeoutMs?: number
  /** PBKDF2 iterations of the SCRAM keys (what a decoy for an unknown user says). */
  readonly scramIterations: number
}

export interface XmppGateway {
  readonly port: number
  readonly directTlsPort: number | undefined
  /** Bound sessions now, for tests and metrics. */
  readonly sessions: () => number
  stop(): Promise<void>
}

/**
 * Distinct views kept translated: the hub hands one change's view to all its watchers in a row, so
 * a few entries serve a whole fan-out; more would only hold old views (and their messages) in memory.
 */
const maxTranslated = 64

type Parsed = { type: string; address?: string; view?: View }

/** One hub message as XMPP: the presence, and the PEP notifications of its view. */
interface Translated {
  readonly presence: RenderedPresence
  readonly pep?: Readonly<Record<PepNode, RenderedPresence>>
}

/** Entity capabilities (XEP-0115 `ver`) already asked about: the PEP nodes they want. */
const maxCapsKnown = 1000

/** Hub messages as XMPP stanzas, translated once per distinct view; what clients' caps want. */
const translator = (): Pick<SessionGateway, 'translate' | 'capsOf' | 'learnCaps'> => {
  const translated = new Map<string, Translated | null>()
  const caps = new Map<string, ReadonlySet<PepNode>>()
  return {
    translate: (message, to, interests) => {
      let rendered = translated.get(message)
      if (rendered === undefined) {
        rendered = renderedOf(JSON.parse(message) as Parsed)
        if (translated.size >= maxTranslated) translated.delete(translated.keys().next().value!)
        translated.set(message, rendered)
      }
      if (!rendered) return undefined
      const out = [presenceFor(rendered.presence, to)]
      for (const node of interests) if (rendered.pep) out.push(presenceFor(rendered.pep[node], to))
      return out
    },
    capsOf: (ver) => caps.get(ver),
    learnCaps: (ver, nodes) => {
      if (caps.size >= maxCapsKnown) caps.delete(caps.keys().next().value!)
      caps.set(ver, nodes)
    },
  }
}

/** The shared part of every connection: context, translation and the bound sessions by JID. */
const sessionGateway = (
  services: NarvaroServices,
  settings: XmppGatewaySettings,
  byJid: Map<string, XmppSession>,
): SessionGateway => {
  const byUser = new SetMap<string, XmppSession>()
  return {
    services,
    tls: settings.tls,
    secureContext: settings.credentials ? createSecureContext(settings.credentials) : undefined,
    scramIterations: settings.scramIterations,
    boundFeatures: [new Element('csi', { xmlns: csiNs }), new Element('sm', { xmlns: smNs })],
    onError: services.onError,
    ...translator(),
    resumables: new Map(),
    sessionOf: (jid) => byJid.get(jid),
    sessionsOf: (address) => byUser.get(address),
    register: (session) => {
      byJid.get(session.jid)?.replaced()
      byJid.set(session.jid, session)
      const address = session.watcher.address
      byUser.add(address, session)
    },
    unregister: (session) => {
      if (byJid.get(session.jid) === session) byJid.delete(session.jid)
      byUser.delete(session.watcher.address, session)
    },
  }
}

export const startXmppGateway = async (
  services: NarvaroServices,
  settings: XmppGatewaySettings,
): Promise<XmppGateway> => {
  const byJid = new Map<string, XmppSession>()
  const gateway = sessionGateway(services, settings, byJid)
  const sockets = new Set<Socket>()
  const accept = (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    connect(socket, gateway, settings)
  }
  const plain = createServer(accept)
  const port = await listen(plain, settings.host, settings.port)
  const direct =
    settings.directTlsPort !== undefined && settings.credentials
      ? createTlsServer(settings.credentials, accept)
      : undefined
  const directTlsPort = direct
    ? await listen(direct, settings.host, settings.directTlsPort!)
    : undefined
  return {
    port,
    directTlsPort,
    sessions: () => byJid.size,
    stop: async () => {
      for (const session of [...byJid.values()])
        session.end(new StreamError('system-shutdown', 'the server is shutting down'))
      await Promise.all([close(plain), direct ? close(direct) : undefined])
      for (const socket of sockets) socket.destroy()
    },
  }
}

/** A hub message as presence: snapshots and changes carry a view; `unwatched` is unavailable. */
const renderedOf = (message: Parsed): Translated | null => {
  const { address, view } = message
  if (!address) return null
  if (message.type === 'unwatched') return { presence: renderPresence(address, undefined) }
  if (message.type !== 'snapshot' && message.type !== 'change') return null
  const presence = renderPresence(address, view)
  if (!view || view.availability === 'offline') return { presence }
  const pep = Object.fromEntries(pepNodes.map((node) => [node, renderPep(address, node, view)]))
  return { presence, pep: pep as Record<PepNode, RenderedPresence> }
}

/** One connection: its negotiation, then its session; stanzas are handled one at a time. */
const connect = (socket: Socket, gateway: SessionGateway, settings: XmppGatewaySettings): void => {
  let session: XmppSession | undefined
  let queue: Promise<void> = Promise.resolve()
  const run = (work: () => Promise<void> | void) => {
    queue = queue.then(work).catch((error: unknown) => io.fail(error))
  }
  const io = new StreamIo(
    socket,
    {
      onOpen: (attrs) => run(() => negotiation.opened(attrs)),
      onElement: (element: Element) => {
        // An answer to the server's own request is taken at once: the stanza waiting for it is
        // ahead in the queue.
        if (session && isAnswer(element)) return session.answered(element)
        run(() => (session ? session.element(element) : negotiation.element(element)))
      },
      onClose: () => io.close(),
      onEnd: () => session?.streamLost(io),
    },
    {
      limits: settings.limits ?? defaultXmlStreamLimits,
      headerTimeoutMs: settings.headerTimeoutMs ?? 10_000,
      onError: gateway.onError,
    },
  )
  const negotiation = new Negotiation(io, gateway, {
    bound: (bound) => {
      session = new XmppSession(bound, gateway)
      session.start()
    },
    resume: (previd, h, signedIn) => {
      const found = gateway.resumables.get(previd)
      if (!found || found.watcher.address !== signedIn.user.address || !found.resume(io, h))
        return false
      session = found
      gateway.services.auth
        .retireSessionToken(signedIn.user, signedIn.token.id)
        .catch(gateway.onError)
      return true
    },
  })
}

const isAnswer = (element: Element): boolean =>
  element.name === 'iq' &&
  element.attrs['xmlns'] === 'jabber:client' &&
  (element.attrs['type'] === 'result' || element.attrs['type'] === 'error')

const listen = (server: Server, host: string, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    })
  })

const close = (server: Server): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()))
