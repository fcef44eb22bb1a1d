// One bound XMPP stream: a live session of its user (it ends when access ends) and a watcher sink of
// the hub (views of the user's subscriptions arrive as presence stanzas). Presence it receives is
// published as the resource's device; it decides nothing about visibility. Transport layer.
import { randomUUID } from 'node:crypto'
import type { Element } from 'ltx'
import type { LiveSession } from '../../app/accounts/index.js'
import type { AccessEndReason } from '../../app/shared/index.js'
import type { WatchFrom, WatcherSink } from '../../app/watching/index.js'
import type { BoundStream } from './negotiation.js'
import type { XmppGatewayContext } from './gateway-context.js'
import { StreamError, clientNs } from './xml-stream.js'
import { StanzaError, errorReply } from './stanza-errors.js'
import { publicationOf, sourceOfResource, type PresencePublication } from './presence-map.js'
import type { PepFields } from './pep-payloads.js'
import { handleIq } from './iq-handlers.js'
import { countOf, resumeSeconds, smNs, StreamManagement } from './stream-management.js'
import { stanzasNs } from './stanza-errors.js'
import type { StreamIo } from './stream-io.js'
import { pepInterests } from './caps.js'
import type { PepNode } from './pep-map.js'
import { CoalescingOutbox } from '../shared/coalescing-outbox.js'
import { routeMessage } from './messages.js'
import { accountMessage, handleSubscription } from './subscriptions.js'

export const csiNs = 'urn:xmpp:csi:0'

/** Past this many unwritten bytes a client gets the latest presence per person, not every change. */
const highWaterBytes = 256 * 1024

/** How often an inactive client (XEP-0352) gets the latest presence of each person. */
const csiIntervalMs = 30_000

const subscriptionTypes = new Set(['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed'])

type AccountMessage = Parameters<typeof accountMessage>[1]

/** What a session needs of its gateway beyond the shared context. */
export interface SessionGateway extends XmppGatewayContext {
  /** The presence stanza of a hub message for `to`, or undefined when it is not presence. */
  readonly translate: (
    message: string,
    to: string,
    interests: ReadonlySet<PepNode>,
  ) => readonly string[] | undefined
  /** The PEP nodes a client with these entity capabilities wants, if already known. */
  readonly capsOf: (ver: string) => ReadonlySet<PepNode> | undefined
  readonly learnCaps: (ver: string, nodes: ReadonlySet<PepNode>) => void
  /** The bound sessions of one user. */
  readonly sessionsOf: (address: string) => readonly XmppSession[]
  /** The bound session of a full JID. */
  readonly sessionOf: (jid: string) => XmppSession | undefined
  /** Registers a bound session; an older one with the same full JID is replaced. */
  readonly register: (session: XmppSession) => void
  readonly unregister: (session: XmppSession) => void
  /** Sessions that may be resumed (XEP-0198), by stream management id. */
  readonly resumables: Map<string, XmppSession>
}

export class XmppSession implements WatcherSink, LiveSession {
  readonly id = randomUUID()
  readonly watcher: { address: string; organizationId: string }
  readonly token: LiveSession['token']
  readonly jid: string
  readonly source: string
  /** Sent initial presence and not unavailable since: receives presence. */
  available = false
  /** Asked for message carbons (XEP-0280): copies of the user's chats on other resources. */
  carbons = false
  private closed = false
  private accessEnded = false
  private published = false
  /** The client's last available presence, published with what it published through PEP. */
  private presenceState: PresencePublication | undefined
  /** What the client published through PEP (activities, location, mood), kept for the stream. */
  private pepState: PepFields = {}
  private closeLive: (() => void) | undefined
  private readonly outbox: CoalescingOutbox
  /** The PEP nodes this client asked for (`+notify`), learnt from its first presence. */
  private interests: ReadonlySet<PepNode> = new Set()
  /** Requests the server sent to the client, by id, waiting for their answer. */
  private readonly requests = new Map<string, (answer: Element) => void>()

  /** Stream management (XEP-0198), once the client enabled it. */
  private sm: StreamManagement | undefined
  /** The stream dropped and waits for its client to resume, until this timer ends the session. */
  private detached: NodeJS.Timeout | undefined
  /** The session is being ended on purpose (replaced, shut down): a lost stream is not resumable. */
  private ending = false

  constructor(
    public stream: BoundStream,
    private readonly gateway: SessionGateway,
  ) {
    const { user } = stream
    this.watcher = { address: user.address, organizationId: user.organizationId }
    this.token = stream.token
    this.jid = `${user.address}/${stream.resource}`
    this.source = sourceOfResource(stream.resource)
    this.outbox = new CoalescingOutbox(
      {
        buffered: () => this.stream.io.buffered,
        write: (message, _address, seq) => this.writePresence(message, seq),
      },
      highWaterBytes,
    )
  }

  get services() {
    return this.gateway.services
  }

  start(): void {
    this.gateway.register(this)
    this.closeLive = this.services.sessions.open(this)
    this.services.hub.attachUser(this)
    this.services.metrics.connections.inc({ transport: 'xmpp' })
  }

  /** A hub message: presence of a watched presentity (translated once per view), or about my account. */
  send(message: string, key: string, seq: number): void {
    if (this.closed) return
    if (key.startsWith('\u0000')) {
      accountMessage(this, JSON.parse(message) as AccountMessage).catch(this.gateway.onError)
      return
    }
    if (this.available) this.outbox.send(message, key, seq)
  }

  /** Presentities whose latest presence is still waiting (a coalescing or slow client). */
  undelivered(): Iterable<string> {
    return this.outbox.undelivered()
  }

  /**
   * The stanzas of one hub message; for stream management the last one carries the change's `seq`
   * (a resumption gets it again from the hub's history), a message without one (0) is kept as text.
   */
  private writePresence(message: string, seq: number): void {
    const stanzas = this.gateway.translate(message, this.jid, this.interests) ?? []
    stanzas.forEach((stanza, i) =>
      this.deliver(stanza, seq > 0 ? (i === stanzas.length - 1 ? seq : 0) : undefined),
    )
  }

  /**
   * Writes one stanza to the client, counted for stream management, and kept for a resumption: as
   * text, or as the hub's `seq` when it is a presence the hub can replay.
   */
  deliver(stanza: string, seq?: number): void {
    if (this.closed) return
    this.sm?.sent(stanza, seq)
    this.stream.io.write(stanza)
  }

  gatewayCapsOf(ver: string): ReadonlySet<PepNode> | undefined {
    return this.gateway.capsOf(ver)
  }

  gatewayLearnCaps(ver: string, nodes: ReadonlySet<PepNode>): void {
    this.gateway.learnCaps(ver, nodes)
  }

  gatewaySessionOf(jid: string): XmppSession | undefined {
    return this.gateway.sessionOf(jid)
  }

  gatewaySessionsOf(address: string): readonly XmppSession[] {
    return this.gateway.sessionsOf(address)
  }

  /** Sends an iq to the client and waits for its answer (undefined after `timeoutMs`). */
  request(iq: Element, timeoutMs = 5000): Promise<Element | undefined> {
    const id = `s${this.nextId()}`
    iq.attrs['id'] = id
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.requests.delete(id)
        resolve(undefined)
      }, timeoutMs)
      this.requests.set(id, (answer) => {
        clearTimeout(timer)
        resolve(answer)
      })
      this.write(iq)
    })
  }

  /** An iq result or error from the client: the answer to one of our requests, if any. */
  answered(iq: Element): void {
    if (this.sm) this.sm.inbound += 1
    const id = String(iq.attrs['id'] ?? '')
    const resolve = this.requests.get(id)
    this.requests.delete(id)
    resolve?.(iq)
  }

  /** Every bound session of this user, this one included. */
  ownSessions(): readonly XmppSession[] {
    return this.gateway.sessionsOf(this.watcher.address)
  }

  /** Whether this is the session that speaks for all of the user's (roster pushes once). */
  isFirstOwnSession(): boolean {
    return this.ownSessions()[0] === this
  }

  private ids = 0
  /** A fresh id for a stanza the server sends. */
  nextId(): number {
    return ++this.ids
  }

  write(element: Element): void {
    this.deliver(element.toString())
  }

  /** One stanza from the client. */
  async element(element: Element): Promise<void> {
    if (this.closed) return
    if (element.attrs['xmlns'] === csiNs) return this.clientState(element.name)
    if (element.attrs['xmlns'] === smNs) return this.streamManagement(element)
    if (element.attrs['xmlns'] !== clientNs)
      throw new StreamError('unsupported-stanza-type', 'not a stanza of jabber:client')
    try {
      await this.dispatch(element)
      if (this.sm) this.sm.inbound += 1
    } catch (error) {
      if (this.sm) this.sm.inbound += 1
      if (!(error instanceof StanzaError)) throw error
      if (element.attrs['type'] !== 'error')
        this.write(errorReply(element, error, this.stream.domain))
    }
  }

  /**
   * Client state indication (XEP-0352): an inactive client gets the latest presence of each person
   * every `csiIntervalMs` instead of every change, as a WebSocket client in `coalesced` delivery.
   */
  private clientState(state: string): void {
    if (state === 'inactive') this.outbox.setCoalesced(csiIntervalMs)
    else if (state === 'active') this.outbox.setCoalesced(undefined)
    else throw new StreamError('unsupported-stanza-type', 'inactive or active only')
  }

  private async dispatch(element: Element): Promise<void> {
    switch (element.name) {
      case 'presence':
        return this.presence(element)
      case 'iq':
        return handleIq(this, element)
      case 'message':
        return routeMessage(this, element)
      default:
        throw new StreamError('unsupported-stanza-type')
    }
  }

  private async presence(presence: Element): Promise<void> {
    const type = presence.attrs['type'] as string | undefined
    const to = presence.attrs['to'] as string | undefined
    if (type !== undefined && subscriptionTypes.has(type)) return handleSubscription(this, type, to)
    // Directed presence (RFC 6121 §4.6) is accepted and not routed: what anyone sees of this user
    // is the view the core computes for them, and silence to every address (§8.5.1) tells no one
    // who exists. It does not change the broadcast presence either (§4.6.1).
    if (to !== undefined) return
    if (type === undefined) return this.publish(presence)
    if (type === 'unavailable') return this.unavailable()
    if (type === 'probe' || type === 'error') return
    throw new StanzaError('bad-request', 'unknown presence type')
  }

  private async publish(presence: Element): Promise<void> {
    const publication = publicationOf(presence)
    if (publication === 'bad-request') throw new StanzaError('bad-request', 'unknown <show/>')
    this.presenceState = publication
    await this.publishDevice()
    if (this.closed) return
    if (!this.available) {
      this.interests = await pepInterests(this, presence)
      await this.becomeAvailable()
    }
  }

  /** The resource's device: its presence and what it published through PEP, as one publication. */
  private async publishDevice(): Promise<void> {
    const { user, resource } = this.stream
    const fields = Object.entries(this.pepState).filter(([, value]) => value !== undefined)
    await this.services.presence.publishSource(
      user,
      { id: this.source, kind: 'device' },
      {
        ...this.presenceState!,
        ...Object.fromEntries(fields),
        active: true,
        device: { name: resource.slice(0, 100), kind: 'desktop', capabilities: ['im'] },
        connectionId: this.id,
      },
    )
    this.published = true
    if (this.closed) this.release()
  }

  /**
   * A PEP publication (XEP-0163) of the client: its fields join the device's publication at once
   * while the client is available, else with its next available presence.
   */
  async publishPep(fields: PepFields): Promise<void> {
    this.pepState = { ...this.pepState, ...fields }
    if (this.published && this.presenceState) await this.publishDevice()
  }

  /**
   * Initial presence: the user's subscriptions start arriving (RFC 6121 §4.2.2). Each is watched
   * whatever its state, as a WebSocket client's: one pending (a rule turned to `confirm`, even while
   * this was being listed) gets the view the core computes for it, offline, as `unavailable`.
   */
  private async becomeAvailable(): Promise<void> {
    this.available = true
    await this.watchSubscriptions({ kind: 'snapshot' })
  }

  /** Watches each subscription of the user (any state), from a snapshot or a resume cursor. */
  private async watchSubscriptions(from: WatchFrom): Promise<void> {
    const { subscriptions, hub } = this.services
    for (const subscription of await subscriptions.list(this.stream.user)) {
      if (this.closed || !this.available) return
      hub.watch(this, subscription.presentityAddress, from)
    }
  }

  private unavailable(): void {
    if (this.published) {
      this.services.presence.retractConnectionSource(this.stream.user, this.source, this.id)
      this.published = false
    }
    this.presenceState = undefined
    this.available = false
    // No presence after unavailable, not even what was still waiting to be written.
    this.leaveHub()
  }

  /** XEP-0198: enable (resumable), a request for our count, or the client's acknowledgement. */
  private streamManagement(element: Element): void {
    const io = this.stream.io
    if (element.name === 'enable' && !this.sm) {
      this.sm = new StreamManagement()
      this.gateway.resumables.set(this.sm.id, this)
      return io.write(
        `<enabled xmlns="${smNs}" id="${this.sm.id}" resume="true" max="${resumeSeconds}"/>`,
      )
    }
    if (element.name === 'r' && this.sm) return io.write(this.sm.answer())
    const h = countOf(element)
    if (element.name === 'a' && this.sm && h !== undefined) return this.sm.acknowledged(h)
    io.write(`<failed xmlns="${smNs}"><unexpected-request xmlns="${stanzasNs}"/></failed>`)
  }

  /** The stream under the session ended: resumable sessions wait for their client, others end. */
  streamLost(io: StreamIo): void {
    if (io !== this.stream.io || this.closed) return
    if (!this.sm || this.sm.overflowed || this.ending || this.accessEnded) return this.ended()
    this.detached = setTimeout(() => this.ended(), resumeSeconds * 1000)
    this.detached.unref()
    // Detached, the session holds no presence: it leaves the hub (what was still waiting is marked
    // there for a fresh snapshot) and resumes from its cursor. It still hears of its own account.
    this.leaveHub()
  }

  /**
   * Resumes on a new stream (XEP-0198 §5): the stanzas other than presence that the client had not
   * acknowledged after `h` are sent again, then presence comes back from the hub's resume history
   * after the last change the client acknowledged (the changes it missed, or a fresh snapshot where
   * the history no longer reaches back); false when that cannot be complete.
   */
  resume(io: StreamIo, h: number): boolean {
    const sm = this.sm
    if (!sm || sm.overflowed || this.closed || this.ending) return false
    const wasDetached = this.detached !== undefined
    clearTimeout(this.detached)
    this.detached = undefined
    const old = this.stream.io
    this.stream = { ...this.stream, io }
    old.close()
    if (!wasDetached) this.leaveHub()
    io.write(`<resumed xmlns="${smNs}" previd="${sm.id}" h="${sm.inbound}"/>`)
    for (const stanza of sm.resumeAfter(h)) this.deliver(stanza)
    if (this.available)
      this.watchSubscriptions({ kind: 'resume', cursor: sm.cursor }).catch(this.gateway.onError)
    return true
  }

  /** Leaves the hub's presence delivery (marking what still waited), keeping the account's messages. */
  private leaveHub(): void {
    this.services.hub.detach(this)
    this.outbox.dropUndelivered()
    this.services.hub.attachUser(this)
  }

  /** Ends the session on purpose with a stream error (replaced, server shutting down). */
  end(error: StreamError): void {
    this.ending = true
    this.stream.io.fail(error)
    if (this.detached) this.ended()
  }

  /** Access ended: a stream error saying so, and the publication ends at once. */
  endAccess(reason: AccessEndReason): void {
    if (this.closed) return
    this.accessEnded = true
    this.stream.io.fail(new StreamError('not-authorized', `access ended: ${reason}`))
    if (this.detached) this.ended()
  }

  /** The stream ended (either side, or an error). */
  ended(): void {
    if (this.closed) return
    this.closed = true
    clearTimeout(this.detached)
    if (this.sm) this.gateway.resumables.delete(this.sm.id)
    this.outbox.stop()
    this.closeLive?.()
    this.gateway.unregister(this)
    this.services.hub.detach(this)
    this.release()
    this.services.metrics.connections.dec({ transport: 'xmpp' })
    if (!this.accessEnded)
      this.services.auth
        .retireSessionToken(this.stream.user, this.token.id)
        .catch(this.gateway.onError)
  }

  /** Another stream bound the same resource: this one ends with `conflict`. */
  replaced(): void {
    this.end(new StreamError('conflict', 'the same resource was bound again'))
  }

  private release(): void {
    if (!this.published) return
    this.published = false
    const { presence } = this.services
    if (this.accessEnded) presence.connectionEnded(this.stream.user, [this.source], this.id)
    else presence.connectionClosed(this.stream.user, [this.source], this.id)
  }
}
