// The requests the SIP gateway answers: OPTIONS, and SUBSCRIBE to the presence package (new, refresh,
// unsubscribe, fetch) after digest authentication with the user's SIP credentials; others get 405,
// other packages 489, bad ones their 4xx. Which presentity a watcher may watch and what they see is
// the core's (subscriptions, the hub's views), never decided here. Transport layer.
import { randomBytes } from 'node:crypto'
import type { DigestAlgorithm, LiveSession, User } from '../../app/accounts/index.js'
import { sipSessionTokenId } from '../../app/accounts/index.js'
import type { NarvaroServices } from '../../app/services.js'
import { SipAuthenticator } from './sip-auth.js'
import type { SipPeer } from './sip-gateway.js'
import { addressOfUri, contactOf, eventOf, expiresOf, nameAddrOf } from './sip-headers.js'
import { SipParseError, writeResponse, type SipRequest } from './sip-message.js'
import {
  SipSubscription,
  dialogKey,
  pidfRenderer,
  presenceContent,
  type SipDialog,
  type SipDialogPeer,
  type SipEventContent,
} from './sip-subscription.js'
import { watcherinfoType, winfoContent } from './watcherinfo.js'
import { dialogContent, dialogInfoType } from './dialog-info.js'
import { answerInvite } from './call-answers.js'
import { SipPublications } from './sip-publish.js'
import type { SipTransactions } from './sip-transactions.js'

export const allowedMethods = 'OPTIONS, SUBSCRIBE, PUBLISH, INVITE, ACK'
/** The shortest subscription or publication taken by default (RFC 6665 §4.2.1.1 `Min-Expires`). */
export const defaultMinExpires = 60

/** The event packages, each with the body type its NOTIFYs carry. */
const acceptedTypes: Readonly<Record<string, string>> = {
  presence: 'application/pidf+xml',
  'presence.winfo': watcherinfoType,
  dialog: dialogInfoType,
}
const allowedEvents = Object.keys(acceptedTypes).join(', ')

interface NewSubscription {
  readonly peer: SipPeer
  readonly reply: Reply
  readonly toTag: string
  readonly user: User
  readonly dialog: Omit<SipDialog, 'localTag'>
  readonly expires: number
}
export const maxExpires = 3600

const tag = () => randomBytes(6).toString('hex')

type Reply = (status: number, reason: string, headers?: [string, string][]) => void

export class SipRequests {
  private readonly subscriptions = new Map<string, SipSubscription>()
  private readonly auth: SipAuthenticator
  private readonly publications: SipPublications
  private readonly renderPidf: ReturnType<typeof pidfRenderer>

  constructor(
    private readonly services: NarvaroServices,
    private readonly options: {
      readonly host: string
      readonly transactions: SipTransactions
      readonly digestAlgorithms: readonly DigestAlgorithm[]
      readonly minExpires: number
      readonly onError: (error: unknown) => void
    },
  ) {
    this.auth = new SipAuthenticator(services, options.digestAlgorithms)
    this.publications = new SipPublications(services, options.minExpires)
    this.renderPidf = pidfRenderer(() => services.clock.now())
  }

  async handle(request: SipRequest, peer: SipPeer): Promise<void> {
    const toTag = tag()
    const reply: Reply = (status, reason, headers = []) =>
      peer.write(writeResponse(request, { status, reason, toTag, headers }))
    try {
      await this.dispatch(request, peer, reply, toTag)
    } catch (error) {
      if (error instanceof SipParseError) return reply(error.status, reasonOf(error.status))
      // The store unavailable, a defect: the phone is told, the error goes to the log.
      reply(500, 'Server Internal Error')
      throw error
    }
  }

  private async dispatch(request: SipRequest, peer: SipPeer, reply: Reply, toTag: string) {
    switch (request.method) {
      case 'ACK':
        return
      case 'OPTIONS':
        return reply(200, 'OK', [
          ['Allow', allowedMethods],
          ['Accept', 'application/pidf+xml'],
          ['Allow-Events', allowedEvents],
        ])
      case 'SUBSCRIBE':
        return this.subscribe(request, peer, reply, toTag)
      case 'PUBLISH':
        return this.publish(request, peer, reply)
      case 'INVITE':
        return this.invite(request, peer, reply)
      default:
        return reply(405, 'Method Not Allowed', [['Allow', allowedMethods]])
    }
  }

  private async subscribe(request: SipRequest, peer: SipPeer, reply: Reply, toTag: string) {
    const { headers } = request
    const event = eventOf(headers)
    const type = event && acceptedTypes[event.event]
    if (!event || !type) return reply(489, 'Bad Event', [['Allow-Events', allowedEvents]])
    const accept = headers.all('accept')
    if (accept.length > 0 && !accept.some((a) => a.toLowerCase().startsWith(type)))
      return reply(406, 'Not Acceptable', [['Accept', type]])
    const from = nameAddrOf(headers, 'from')
    const to = nameAddrOf(headers, 'to')
    const callId = headers.get('call-id')
    if (!callId || !from.tag) throw new SipParseError(400, 'no Call-ID or From tag')
    const expires = expiresOf(headers) ?? maxExpires
    const { minExpires } = this.options
    if (expires > 0 && expires < minExpires)
      return reply(423, 'Interval Too Brief', [['Min-Expires', String(minExpires)]])
    const user = await this.auth.authenticate(request, peer, reply)
    if (!user) return
    if (to.tag) return this.inDialog(dialogKey(callId, from.tag, to.tag), expires, reply)
    const dialog: Omit<SipDialog, 'localTag'> = {
      callId,
      remote: from.text,
      local: to.text,
      remoteTag: from.tag,
      target: contactOf(headers)?.text ?? `sip:${peer.address}:${peer.port}`,
      ...(event.id ? { eventId: event.id } : {}),
    }
    const args = { peer, reply, toTag, user, dialog, expires: Math.min(expires, maxExpires) }
    if (event.event === 'presence.winfo') return this.createWinfo(request, args)
    return this.create(request, args, event.event === 'dialog' ? dialogContent : undefined)
  }

  /**
   * A new subscription of `user` to the Request-URI's presentity, when they may: its presence, or
   * (with `contentOf`) another package made of the same views (the dialog package's busy lamp).
   */
  private async create(
    request: SipRequest,
    args: NewSubscription,
    contentOf?: (entity: string) => SipEventContent,
  ) {
    const { user, reply } = args
    const presentity = addressOfUri(request.uri)
    if (!presentity) return reply(404, 'Not Found')
    const result = await this.services.subscriptions.subscribeMany(user, [presentity])
    const address = result.subscribed[0]
    if (!address) return reply(404, 'Not Found')
    const entity = `sip:${address}`
    const content = contentOf ? contentOf(entity) : presenceContent(entity, this.renderPidf)
    this.start(this.accepted(args, address, content), args.expires === 0)
  }

  /** A new watcher-info subscription: only to one's own presence (403 for anyone else's). */
  private createWinfo(request: SipRequest, args: NewSubscription) {
    const { user, reply } = args
    if (addressOfUri(request.uri) !== user.address) return reply(403, 'Forbidden')
    const content = winfoContent(this.services, user)
    this.start(this.accepted(args, user.address, content), args.expires === 0)
  }

  /** Answers 200 and makes the subscription of `args` to `resource`. */
  private accepted(args: NewSubscription, resource: string, content: SipEventContent) {
    const { peer, user } = args
    args.reply(200, 'OK', [
      ['Expires', String(args.expires)],
      ['Contact', `<sip:${this.hostPortOf(peer)};transport=${peer.transport}>`],
    ])
    return new SipSubscription(
      { ...args.dialog, localTag: args.toTag },
      { address: user.address, organizationId: user.organizationId },
      this.tokenOf(user),
      resource,
      args.expires,
      this.dialogPeer(peer),
      content,
    )
  }

  /** A direct call a PBX asks about, authenticated as the caller: a presence-based answer. */
  private async invite(request: SipRequest, peer: SipPeer, reply: Reply): Promise<void> {
    const caller = await this.auth.authenticate(request, peer, reply)
    if (caller) await answerInvite(this.services, request, caller, this.hostPortOf(peer), reply)
  }

  /** A PUBLISH from a phone or PBX, once its user is authenticated. */
  private async publish(request: SipRequest, peer: SipPeer, reply: Reply): Promise<void> {
    const user = await this.auth.authenticate(request, peer, reply)
    if (user) await this.publications.handle(request, user, reply)
  }

  /** A refresh or an unsubscribe (Expires: 0) of a dialog of ours. */
  private inDialog(key: string, expires: number, reply: Reply): void {
    const subscription = this.subscriptions.get(key)
    if (!subscription) return reply(481, 'Subscription Does Not Exist')
    const seconds = Math.min(expires, maxExpires)
    reply(200, 'OK', [['Expires', String(seconds)]])
    if (seconds === 0) return subscription.terminate('timeout')
    subscription.refresh(seconds)
    // A refresh gets the current state again (RFC 6665 §4.2.1.2).
    if (subscription.content.initial) return subscription.sendInitial()
    this.services.hub.unwatch(subscription, subscription.presentity)
    this.services.hub.watch(subscription, subscription.presentity)
  }

  /**
   * Registers a new subscription as a live session and starts it: a package with its own first state
   * (watcher info) hears its user's notices, the others watch the presentity through the hub.
   */
  private start(subscription: SipSubscription, fetch: boolean): void {
    const { hub, sessions } = this.services
    this.subscriptions.set(subscription.key, subscription)
    subscription.closeSession = sessions.open(subscription)
    if (subscription.content.initial) {
      hub.attachUser(subscription)
      subscription.sendInitial()
    } else hub.watch(subscription, subscription.presentity)
    // A fetch (Expires: 0) gets the state once, in the NOTIFY that ends it.
    if (fetch) subscription.terminate('timeout')
  }

  private tokenOf(user: User): LiveSession['token'] {
    return { id: sipSessionTokenId(user, user.sipDigest!) }
  }

  /** Our address as the peer reached it: the TLS listener has its own port. */
  private hostPortOf(peer: SipPeer): string {
    return `${this.options.host}:${peer.localPort}`
  }

  private dialogPeer(peer: SipPeer): SipDialogPeer {
    return {
      local: { hostPort: this.hostPortOf(peer), transport: peer.transport },
      now: () => this.services.clock.now(),
      send: (text, key) =>
        this.options.transactions.send(text, key, peer.write, peer.transport !== 'udp'),
      onEnded: (subscription) => {
        this.subscriptions.delete(subscription.key)
        this.services.hub.detach(subscription)
      },
      onError: this.options.onError,
      channel: peer.write,
    }
  }

  /** A message that could not be read: answered when enough of it was, else dropped. */
  rejectMalformed(error: SipParseError, peer: SipPeer): void {
    if (!error.request) return
    peer.write(
      writeResponse(error.request, {
        status: error.status,
        reason: reasonOf(error.status),
        toTag: tag(),
      }),
    )
  }

  /** A stream that cannot be framed any more; nothing can be answered on it. */
  rejectUnframed(error: unknown, _peer: SipPeer): void {
    if (!(error instanceof SipParseError)) this.options.onError(error)
  }

  /** Subscriptions made over a TCP connection end with it: NOTIFY cannot reach them any more. */
  connectionClosed(peer: SipPeer): void {
    for (const subscription of [...this.subscriptions.values()])
      if (subscription.channel === peer.write) subscription.terminate('deactivated')
  }

  stop(): void {
    this.publications.stop()
    for (const subscription of [...this.subscriptions.values()])
      subscription.terminate('deactivated')
  }
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  413: 'Request Entity Too Large',
  513: 'Message Too Large',
}

const reasonOf = (status: number): string => reasons[status] ?? 'Bad Request'
