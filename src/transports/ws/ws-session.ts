// One WebSocket connection: translates protocol narvaro.v1 messages into calls on the app services and
// views from the watch hub into frames. It decides nothing about visibility; transport layer.
import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'
import type { Authenticated } from '../../app/accounts/index.js'
import type { LiveSession } from '../../app/accounts/index.js'
import type { NarvaroServices } from '../../app/services.js'
import type { AccessEndReason } from '../../app/shared/index.js'
import type { WatchFrom, WatcherSink } from '../../app/watching/index.js'
import { whoAnswerMessage, whoChangeMessage } from '../../app/availability/index.js'
import { NarvaroError } from '../../core/errors.js'
import type { StepOutcome } from '../../core/aggregation/presentity.js'
import { toErrorReply } from '../shared/error-reply.js'
import { CoalescingOutbox } from '../shared/coalescing-outbox.js'
import { queuedBytes, writeForTurn, writeNow } from '../shared/write-for-turn.js'
import { pingFrame, textFrame } from './frame-writer.js'
import { parseClientMessage } from '../shared/parse-client-message.js'
import type {
  AttachTokenMessageType,
  ClientMessage,
  DeliveryMessageType,
  PublishMessageType,
  SubscribeMessageType,
  WhoMessageType,
} from './ws-messages.js'
import { coalescedIntervalBounds, maxAttachedTokens, protocolName } from './ws-messages.js'

/** Past this many unread bytes a connection gets coalesced updates instead of every one. */
const highWaterBytes = 256 * 1024

/**
 * A publication's ack, `{"type":"ack","id":…,"outcome":…}`, written as text: what `ack` would write,
 * without the three objects it makes for every publication.
 */
export const outcomeAck = (id: string | undefined, outcome: StepOutcome): string =>
  id
    ? `{"type":"ack","id":${JSON.stringify(id)},"outcome":"${outcome}"}`
    : `{"type":"ack","outcome":"${outcome}"}`

/** Close code of a session whose access ended (token revoked or expired, user removed): do not reconnect with the same token. */
export const accessEndedCloseCode = 4401

/** What the endpoint does when a session's socket fails or closes: one object for every session. */
export interface WsSessionEnds {
  /** Logs (and for anything but a protocol error of the client, terminates) a socket's error. */
  socketError(error: Error, socket: WebSocket, raw: Socket): void
  closed(session: WsSession): void
}

export class WsSession implements WatcherSink, LiveSession {
  readonly id = randomUUID()
  readonly watcher: { address: string; organizationId: string }
  readonly token: LiveSession['token']
  /** A ping went out at the last heartbeat and no pong came back yet. */
  private awaitingPong = false
  /** The peer sent a message since the last heartbeat: it is alive, and needs no ping. */
  private heard = false
  /** Sources published on this connection; made at the first (a Set costs ~130 bytes). */
  private sources: Set<string> | undefined
  /** The source of the last publication on this connection (`deviceSource`). */
  private lastSource: { readonly id: string; readonly kind: 'device' } | undefined
  /** Live who queries opened on this connection, closed with it; made at the first. */
  private queries: Set<string> | undefined
  private readonly outbox: CoalescingOutbox
  /**
   * The messages still being handled, in order, while one waits for something (a store, a token);
   * undefined when none is, so that the next is handled at once, within the turn that read it.
   */
  private queue: Promise<void> | undefined
  private closed = false
  /** Set when access ended: the session's publications end at once, without a grace period. */
  private accessEnded = false
  private closeSession: (() => void) | undefined
  /** Tokens attached besides the connection's own (`attach-token`), by id: how each stops being watched. */
  private attached: Map<string, () => void> | undefined // made at the first attach-token

  constructor(
    private readonly socket: WebSocket,
    /** The TCP socket under `socket`: views are written to it as frames built once per view. */
    private readonly raw: Socket,
    private readonly auth: Authenticated,
    private readonly services: NarvaroServices,
    private readonly ends: WsSessionEnds,
  ) {
    this.watcher = { address: auth.user.address, organizationId: auth.user.organizationId }
    this.token = auth.token
    this.outbox = new CoalescingOutbox(
      {
        buffered: () => this.buffered(),
        write: (message) => this.writeFrame(message),
      },
      highWaterBytes,
    )
  }

  start(): void {
    this.reply({
      type: 'welcome',
      protocol: protocolName,
      session: this.id,
      address: this.auth.user.address,
      epoch: this.services.epoch,
      heartbeatMs: this.services.settings.heartbeatMs,
    })
    this.socket.on('message', (data, isBinary) => {
      this.heard = true
      if (isBinary)
        return this.fail(new NarvaroError('NRV_VALIDATION', 'messages are JSON text frames'))
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString()
      if (this.queue) this.follow(this.queue.then(() => this.handle(text)))
      else {
        const pending = this.handle(text)
        if (pending) this.follow(pending)
      }
    })
    this.closeSession = this.services.sessions.open(this)
    this.services.hub.attachUser(this)
    this.socket.on('pong', () => (this.awaitingPong = false))
    this.socket.on('close', () => {
      this.onClose()
      this.ends.closed(this)
    })
    this.socket.on('error', (error) => {
      this.ends.socketError(error, this.socket, this.raw)
      this.onClose()
    })
  }

  send(message: string, address: string, seq: number): void {
    if (this.closed) return
    // The outbox's own first check, made here without its two callbacks: one change goes to
    // thousands of sessions, and most of them keep up.
    if (this.outbox.straight && this.buffered() < highWaterBytes) return this.writeFrame(message)
    this.outbox.send(message, address, seq)
  }

  /**
   * Bytes the peer has not read yet, read from the TCP socket: `ws`'s own `bufferedAmount` adds its
   * sender's queue, which only compression or Blob payloads fill (this endpoint has neither), and
   * reading it touched two more objects for every notification.
   */
  private buffered(): number {
    return this.raw.writableLength + queuedBytes(this.raw)
  }

  undelivered(): Iterable<string> {
    return this.outbox.undelivered()
  }

  private writeFrame(message: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return
    writeForTurn(this.raw, textFrame(message))
  }

  private reply(body: Record<string, unknown>): void {
    if (!this.closed) this.writeFrame(JSON.stringify(body))
  }

  private fail(error: unknown, id?: string): void {
    const { body, unexpected } = toErrorReply(error)
    if (unexpected) this.services.onError(error)
    const requestId =
      id ?? (typeof body.details?.['id'] === 'string' ? body.details['id'] : undefined)
    this.reply({
      type: 'error',
      ...(requestId ? { id: requestId } : {}),
      code: body.code,
      message: body.message,
      ...(body.details ? { details: body.details } : {}),
    })
  }

  /** Handles the next message after `pending`, the handling of those before it. */
  private follow(pending: Promise<void>): void {
    const queue: Promise<void> = pending
      .catch((error: unknown) => this.fail(error))
      .then(() => {
        if (this.queue === queue) this.queue = undefined
      })
    this.queue = queue
  }

  /** Handles one message: at once, or the promise of its end when it waits for something. */
  private handle(text: string): Promise<void> | undefined {
    if (this.closed || this.accessEnded) return undefined
    let message: ClientMessage
    try {
      message = parseClientMessage(text)
    } catch (error) {
      this.fail(error)
      return undefined
    }
    try {
      return this.dispatch(message)?.catch((error: unknown) => this.fail(error, message.id))
    } catch (error) {
      this.fail(error, message.id)
      return undefined
    }
  }

  private dispatch(message: ClientMessage): Promise<void> | undefined {
    switch (message.type) {
      case 'publish':
        return this.publish(message)
      case 'retract': {
        const outcome = this.services.presence.retractConnectionSource(
          this.auth.user,
          message.source,
          this.id,
        )
        this.sources?.delete(message.source)
        return void this.ack(message.id, { outcome })
      }
      case 'subscribe':
        return this.subscribe(message)
      case 'unsubscribe':
        for (const address of message.addresses)
          this.services.hub.unwatch(this, address.toLowerCase())
        return void this.ack(message.id, {})
      case 'delivery':
        return void this.delivery(message)
      case 'who':
        return this.who(message)
      case 'who-close':
        if (!this.queries?.delete(message.query) || !this.services.liveWho.close(message.query)) {
          throw new NarvaroError(
            'NRV_NOT_FOUND',
            `no live query ${message.query} on this connection`,
          )
        }
        return void this.ack(message.id, {})
      case 'attach-token':
        return this.attachToken(message)
      case 'ping':
        return void this.reply({ type: 'pong', ...(message.id ? { id: message.id } : {}) })
    }
  }

  private delivery(message: DeliveryMessageType): void {
    this.outbox.setCoalesced(
      message.mode === 'live'
        ? undefined
        : (message.intervalMs ?? coalescedIntervalBounds.defaultMs),
    )
    this.ack(message.id, {})
  }

  private ack(id: string | undefined, body: Record<string, unknown>): void {
    this.reply({ type: 'ack', ...(id ? { id } : {}), ...body })
  }

  /** Publishes within this turn when it can (the profile is loaded), else once it is. */
  private publish(message: PublishMessageType): Promise<void> | undefined {
    const { id, source: sourceId } = message
    const { presence } = this.services
    const source = this.deviceSource(sourceId)
    // The message is the input as it is: the service reads the publication's own fields from it.
    const outcome = presence.publishSourceNow(this.auth.user, source, message, this.id)
    if (outcome !== undefined) return void this.published(id, sourceId, outcome)
    return presence
      .publishSource(this.auth.user, source, { ...message, connectionId: this.id })
      .then((later) => this.published(id, sourceId, later))
  }

  /**
   * The source a publication of `id` comes from: the one of this connection's last publication when
   * it is the same (each publication keeps its source, so a change does not make a new one).
   */
  private deviceSource(id: string): { readonly id: string; readonly kind: 'device' } {
    const last = this.lastSource
    if (last?.id === id) return last
    return (this.lastSource = { id, kind: 'device' })
  }

  private published(id: string | undefined, source: string, outcome: StepOutcome): void {
    ;(this.sources ??= new Set()).add(source)
    // The connection closed while this publication was being applied: it ends like the others.
    if (this.closed) return this.releaseSources([source])
    this.services.metrics.publications.inc(1, outcome)
    this.writeFrame(outcomeAck(id, outcome))
  }

  /** A live "who is available" query: its answer in the ack, then `who-change` messages. */
  private async who(message: WhoMessageType): Promise<void> {
    const { id: _id, type: _type, team, skill, search, list, addresses, ...filter } = message
    const asker = this.watcher
    const selection = {
      ...(team !== undefined ? { group: team } : {}),
      ...(skill !== undefined ? { tag: skill } : {}),
      ...(search !== undefined ? { search } : {}),
      ...(list !== undefined ? { list } : {}),
      addresses: addresses ?? [],
    }
    const answer = await this.services.liveWho.open(asker, selection, filter, (change) => {
      const { key, text } = whoChangeMessage(change)
      this.send(text, key, 0)
    })
    const { id } = answer
    if (this.closed) {
      this.services.liveWho.close(id)
      return
    }
    ;(this.queries ??= new Set()).add(id)
    const head = { type: 'ack', ...(message.id ? { id: message.id } : {}), query: id }
    this.writeFrame(whoAnswerMessage(head, answer.text))
  }

  /**
   * Watches another token of the same user on this connection (a browser tab that shares it): when
   * that token's access ends, `token-ended` names it and the connection goes on with its own.
   */
  private async attachToken(message: AttachTokenMessageType): Promise<void> {
    const auth = await this.services.auth.authenticate(message.token)
    if (auth.user.address !== this.watcher.address)
      throw new NarvaroError('NRV_VALIDATION', 'the token is of another user')
    const id = auth.token.id
    const attached = (this.attached ??= new Map())
    if (!attached.has(id) && id !== this.token.id && !this.closed) {
      if (attached.size >= maxAttachedTokens)
        throw new NarvaroError('NRV_VALIDATION', `at most ${maxAttachedTokens} attached tokens`)
      const watch = {
        watcher: this.watcher,
        token: auth.token,
        endAccess: (reason: AccessEndReason) => {
          attached.delete(id)
          this.reply({ type: 'token-ended', token: id, reason })
        },
      }
      attached.set(id, this.services.sessions.open(watch))
    }
    this.ack(message.id, { token: id })
  }

  private async subscribe(message: SubscribeMessageType): Promise<void> {
    const { subscriptions, hub, epoch, settings } = this.services
    const from: WatchFrom = !message.resume
      ? { kind: 'snapshot' }
      : message.resume.epoch === epoch
        ? { kind: 'resume', cursor: message.resume.cursor }
        : { kind: 'resync' }
    const addresses =
      message.addresses ??
      (await subscriptions.list(this.auth.user)).map((s) => s.presentityAddress)
    if (addresses.length > settings.maxWatchesPerConnection) {
      throw new NarvaroError(
        'NRV_VALIDATION',
        `at most ${settings.maxWatchesPerConnection} presentities per connection`,
      )
    }
    const result = await subscriptions.subscribeMany(this.auth.user, addresses)
    const subscribed = result.subscribed
    const failed = result.failed.map(({ address, error }) => {
      const { body } = toErrorReply(error)
      return { address, code: body.code, message: body.message }
    })
    this.ack(message.id, { subscribed, failed })
    if (this.closed) return
    const { decided } = result
    for (let i = 0; i < subscribed.length; i++) hub.watch(this, subscribed[i]!, from, decided[i])
  }

  private onClose(): void {
    if (this.closed) return
    this.closed = true
    this.outbox.stop()
    this.closeSession?.()
    for (const forget of this.attached?.values() ?? []) forget()
    this.attached = undefined
    this.services.hub.detach(this)
    for (const query of this.queries ?? []) this.services.liveWho.close(query)
    if (this.sources) this.releaseSources(this.sources)
    this.services.metrics.connections.dec({ transport: 'websocket' })
  }

  /** Publications of a closed connection end after the grace period, or at once when access ended. */
  private releaseSources(sources: Iterable<string>): void {
    const { presence } = this.services
    if (this.accessEnded) presence.connectionEnded(this.auth.user, sources, this.id)
    else presence.connectionClosed(this.auth.user, sources, this.id)
  }

  /**
   * Heartbeat, once a period: a peer that sent a message since the last one is alive and is not
   * pinged (as XMPP servers ping only idle streams); a quiet one is pinged, and one that did not
   * answer the last ping is dead. The ping is a prebuilt frame that leaves with the turn's others.
   */
  heartbeat(): void {
    if (this.heard) {
      this.heard = false
      this.awaitingPong = false
      return
    }
    if (this.awaitingPong) {
      this.socket.terminate()
      return
    }
    if (this.socket.readyState !== this.socket.OPEN) return
    this.awaitingPong = true
    writeForTurn(this.raw, pingFrame)
  }

  /** Access ended: a final `access-ended` message, then close code 4401; nothing is read after it. */
  endAccess(reason: AccessEndReason): void {
    if (this.closed || this.accessEnded) return
    this.accessEnded = true
    // One event may end attached tokens too (a password change, a removed user): they are told
    // first, as the rest of the same turn ends them, then the connection itself.
    queueMicrotask(() => {
      if (this.closed) return
      this.reply({ type: 'access-ended', reason })
      this.onClose()
      writeNow(this.raw)
      this.socket.close(accessEndedCloseCode, reason)
    })
  }

  close(code: number, reason: string): void {
    writeNow(this.raw)
    this.socket.close(code, reason)
  }
}
