// One SIP presence subscription (RFC 6665, RFC 3856): a dialog whose watcher receives, as NOTIFY with
// a PIDF body, exactly the views the hub computed for them. One NOTIFY is in flight at a time and a
// newer view replaces one still waiting; it ends on expiry, on unsubscribe, when the watcher's access
// ends (new SIP credentials, removal), or when the subscriber stops answering. Transport layer.
import { randomBytes } from 'node:crypto'
import type { LiveSession } from '../../app/accounts/index.js'
import type { WatcherSink } from '../../app/watching/index.js'
import type { View } from '../../core/policy/compute-view.js'
import { pidfOf } from './pidf.js'
import { writeRequest } from './sip-message.js'

/** What a subscription needs of its gateway: sending a request and learning its final answer. */
export interface SipDialogPeer {
  /** Sends a NOTIFY; resolves with the final status (408 when it never came). */
  send(text: string, key: { callId: string; cseq: number }): Promise<number>
  /** Our own URI, for Via and Contact (`host:port;transport=udp`). */
  readonly local: { readonly hostPort: string; readonly transport: string }
  readonly now: () => number
  readonly onEnded: (subscription: SipSubscription) => void
  readonly onError: (error: unknown) => void
  /** The path NOTIFY takes (a TCP connection's writer): the subscription ends with it. */
  readonly channel: unknown
}

export interface SipDialog {
  readonly callId: string
  /** The subscriber's From (with its tag) and ours (their To, with our tag). */
  readonly remote: string
  readonly local: string
  readonly remoteTag: string
  readonly localTag: string
  /** Where NOTIFY goes: the subscriber's Contact URI. */
  readonly target: string
  readonly eventId?: string
}

export type TerminationReason = 'timeout' | 'rejected' | 'deactivated' | 'noresource'

/** What an event package sends: its name, its body type, and the body a hub message makes. */
export interface SipEventContent {
  readonly event: string
  readonly contentType: string
  /** The body of the NOTIFY a hub message makes; `end` ends the subscription; undefined: none. */
  body(message: string, key: string): Promise<string | 'end' | undefined>
  /** The first NOTIFY's body, when it does not come from the hub (watcher info). */
  initial?(): Promise<string>
}

/** The view a hub message carries; `end` when the watch ended (`unwatched`); undefined: none. */
export const viewOfMessage = (message: string): View | 'end' | undefined => {
  const parsed = JSON.parse(message) as { type?: string; view?: View }
  return parsed.type === 'unwatched' ? 'end' : parsed.view
}

/**
 * Distinct hub messages kept as PIDF: the hub hands one change's view to all its watchers in a row,
 * so a few entries serve a whole fan-out (as in the XMPP gateway).
 */
const maxRendered = 64

/** Hub messages as PIDF documents, each made once per distinct view (and minute, for the offset). */
export const pidfRenderer = (now: () => number) => {
  const rendered = new Map<string, string | 'end' | undefined>()
  return (message: string, entity: string): string | 'end' | undefined => {
    const at = now()
    const key = `${entity}\n${Math.floor(at / 60_000)}\n${message}`
    if (rendered.has(key)) return rendered.get(key)
    const view = viewOfMessage(message)
    const body = view === undefined || view === 'end' ? view : pidfOf(view, entity, at)
    if (rendered.size >= maxRendered) rendered.delete(rendered.keys().next().value!)
    rendered.set(key, body)
    return body
  }
}

/** The presence package: the hub's views of the presentity, as PIDF. */
export const presenceContent = (
  entity: string,
  render: ReturnType<typeof pidfRenderer>,
): SipEventContent => ({
  event: 'presence',
  contentType: 'application/pidf+xml',
  body: (message) => Promise.resolve(render(message, entity)),
})

/** Branches unique in time and space (RFC 3261 §8.1.1.7): a random prefix of this process, a count. */
const branchPrefix = `z9hG4bK${randomBytes(8).toString('hex')}.`
let branches = 0
const branch = () => `${branchPrefix}${(branches++).toString(36)}`

export class SipSubscription implements WatcherSink, LiveSession {
  private cseq = 1
  private expiresAt: number
  private timer: NodeJS.Timeout | undefined
  private waiting: string | undefined
  private sending = false
  private ended = false
  /** Bodies are made in the order their hub messages came. */
  private rendering: Promise<void> = Promise.resolve()
  closeSession: (() => void) | undefined

  constructor(
    readonly dialog: SipDialog,
    readonly watcher: { readonly address: string; readonly organizationId: string },
    readonly token: LiveSession['token'],
    readonly presentity: string,
    expiresSeconds: number,
    private readonly peer: SipDialogPeer,
    readonly content: SipEventContent,
  ) {
    this.expiresAt = peer.now() + expiresSeconds * 1000
    this.arm()
  }

  get channel(): unknown {
    return this.peer.channel
  }

  get key(): string {
    return dialogKey(this.dialog.callId, this.dialog.remoteTag, this.dialog.localTag)
  }

  /** Seconds left until it expires. */
  get expiresIn(): number {
    return Math.max(0, Math.ceil((this.expiresAt - this.peer.now()) / 1000))
  }

  /** A refresh: the subscription lasts `seconds` more; the current state is sent again. */
  refresh(seconds: number): void {
    this.expiresAt = this.peer.now() + seconds * 1000
    this.arm()
  }

  private arm(): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(
      () => this.terminate('timeout'),
      Math.max(0, this.expiresAt - this.peer.now()),
    )
    this.timer.unref()
  }

  /** From the hub: a view of the presentity for this watcher, or a notice about its own account. */
  send(message: string, key = ''): void {
    if (this.ended) return
    this.rendering = this.rendering
      .then(() => this.content.body(message, key))
      .then((body) => this.deliver(body))
      .catch(this.peer.onError)
  }

  /** Sends the package's own first state (watcher info), in order with the hub's. */
  sendInitial(): void {
    const initial = this.content.initial
    if (!initial) return
    this.rendering = this.rendering
      .then(() => initial())
      .then((body) => this.deliver(body))
      .catch(this.peer.onError)
  }

  /** A body made: the next NOTIFY, or (once ended) the state the last NOTIFY carries. */
  private deliver(body: string | 'end' | undefined): void {
    if (body === undefined) return
    // The watch ended (revoked, unsubscribed elsewhere, the presentity removed): RFC 6665 §4.1.3's
    // `rejected`, so that the phone does not ask again at once, as it would after `deactivated`.
    if (body === 'end') return this.terminate('rejected')
    this.waiting = body
    if (!this.ended) this.pump()
  }

  /** The watcher's access ended: the subscription is rejected from now on. */
  endAccess(_reason: Parameters<LiveSession['endAccess']>[0]): void {
    this.terminate('rejected')
  }

  /** Ends it with a last NOTIFY (`terminated;reason=...`), carrying the last state when there is one. */
  terminate(reason: TerminationReason): void {
    if (this.ended) return
    this.ended = true
    clearTimeout(this.timer)
    this.peer.onEnded(this)
    this.closeSession?.()
    // After the bodies already asked for are made (a fetch's only state), so the last one goes.
    this.rendering = this.rendering
      .then(() => this.notify(`terminated;reason=${reason}`, this.waiting))
      .then(() => undefined)
      .catch(this.peer.onError)
  }

  private pump(): void {
    if (this.sending || this.waiting === undefined || this.ended) return
    const body = this.waiting
    this.waiting = undefined
    this.sending = true
    this.notify(`active;expires=${this.expiresIn}`, body)
      .then((status) => {
        this.sending = false
        // No answer, or the dialog is gone on the subscriber's side (RFC 6665 §4.1.3).
        if (status === 408 || status === 481 || status >= 500) this.terminate('deactivated')
        else this.pump()
      })
      .catch((error: unknown) => {
        this.sending = false
        this.peer.onError(error)
      })
  }

  private notify(state: string, body: string | undefined): Promise<number> {
    const { dialog, peer } = this
    const cseq = this.cseq++
    const headers: [string, string][] = [
      [
        'Via',
        `SIP/2.0/${peer.local.transport.toUpperCase()} ${peer.local.hostPort};branch=${branch()}`,
      ],
      ['Max-Forwards', '70'],
      ['From', `${dialog.local};tag=${dialog.localTag}`],
      ['To', dialog.remote],
      ['Call-ID', dialog.callId],
      ['CSeq', `${cseq} NOTIFY`],
      ['Contact', `<sip:${peer.local.hostPort};transport=${peer.local.transport}>`],
      ['Event', `${this.content.event}${dialog.eventId ? `;id=${dialog.eventId}` : ''}`],
      ['Subscription-State', state],
      ...(body === undefined
        ? []
        : ([['Content-Type', this.content.contentType]] as [string, string][])),
    ]
    const text = writeRequest({
      method: 'NOTIFY',
      uri: dialog.target,
      headers,
      ...(body ? { body } : {}),
    })
    return peer.send(text, { callId: dialog.callId, cseq })
  }
}

/** The key of a dialog: Call-ID and both tags. */
export const dialogKey = (callId: string, remoteTag: string, localTag: string): string =>
  `${callId}\n${remoteTag}\n${localTag}`
