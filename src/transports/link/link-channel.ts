// The peer's end of direct connections (mutual TLS on the announced port): a caller names its
// instance, its certificate is pinned to that instance on first contact (a different one later is
// refused), and it is then the person of the link it maps to: it watches the view the core computes
// for it, and a chat or call request is answered from that view (accepted, busy, unavailable with the
// note and another way). A caller nobody found on the link is refused. Transport layer.
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net'
import { createServer, type Server, type TLSSocket } from 'node:tls'
import type { NarvaroServices } from '../../app/services.js'
import type { WatcherSink } from '../../app/watching/index.js'
import type { ContactKind } from '../../core/model/presence-model.js'
import type { View } from '../../core/policy/compute-view.js'
import { sameSubnet } from './ciao-own-link.js'
import { serveLinkChat, type LinkChatOptions } from './link-chat.js'
import { LineReader, callerMessage, readLine, type CallerMessage } from './link-protocol.js'

/** Certificates pinned to instances on first contact (trust on first use). */
export interface LinkPins {
  check(instance: string, fingerprint: string): 'new' | 'same' | 'changed'
}

/** The channel's options: its address and keys, and who this peer is (as the chat needs too). */
export interface LinkChannelOptions extends LinkChatOptions {
  /** The chosen interface's address and netmask: callers from elsewhere are not taken. */
  readonly host: string
  readonly netmask: string
  readonly port: number
  readonly cert: string
  readonly key: string
  readonly pins: LinkPins
}

type Write = (message: Record<string, unknown>) => void

export class LinkChannelServer {
  private readonly sockets = new Set<Socket>()

  private constructor(
    private readonly server: NetServer,
    private readonly tls: Server,
    private readonly services: NarvaroServices,
    private readonly options: LinkChannelOptions,
  ) {}

  static async start(services: NarvaroServices, options: LinkChannelOptions) {
    const tls = createServer({
      cert: options.cert,
      key: options.key,
      requestCert: true,
      // Self-signed certificates: trust is the pin of each instance, checked after the handshake.
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    })
    const server = createNetServer()
    const channel = new LinkChannelServer(server, tls, services, options)
    server.on('connection', (socket) => channel.sort(socket))
    tls.on('secureConnection', (socket) => channel.onConnection(socket))
    tls.on('tlsClientError', (_error, socket) => socket.destroy())
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port, options.host, () => resolve())
    })
    return channel
  }

  /**
   * One port, two protocols, told apart by the first byte: a TLS handshake (22) is a Närvaro peer's
   * channel; anything else is a link-local XMPP stream (XEP-0174). Callers from outside the chosen
   * interface's subnet are not taken.
   */
  private sort(socket: Socket): void {
    const from = (socket.remoteAddress ?? '').replace(/^::ffff:/, '')
    if (!sameSubnet(from, this.options.host, this.options.netmask)) return void socket.destroy()
    this.sockets.add(socket)
    socket.on('close', () => this.sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    socket.once('data', (first: Buffer) => {
      if (first[0] !== 22) return serveLinkChat(this.services, this.options, socket, first)
      socket.pause()
      socket.unshift(first)
      this.tls.emit('connection', socket)
    })
  }

  private onConnection(socket: TLSSocket): void {
    const write: Write = (message) => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`)
    }
    const session = new CallerSession(this.services, this.options, socket, write)
    const reader = new LineReader()
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const line of reader.push(chunk)) session.take(line)
      } catch {
        session.refuse('too-long', 'a line is longer than the channel takes')
      }
    })
    socket.on('error', () => socket.destroy())
    socket.on('close', () => session.close())
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}

/** One caller's connection: who it is, its watch, its requests. */
class CallerSession {
  private party: WatcherSink['watcher'] | undefined
  private sink: WatcherSink | undefined

  constructor(
    private readonly services: NarvaroServices,
    private readonly options: LinkChannelOptions,
    private readonly socket: TLSSocket,
    private readonly write: Write,
  ) {}

  take(line: string): void {
    const message = readLine<CallerMessage>(line, callerMessage)
    if (!message) return this.refuse('bad-message', 'not a message of the link channel')
    if (message.type === 'hello') return void this.hello(message.instance).catch(this.failed)
    if (!this.party) return this.refuse('no-hello', 'say hello first')
    if (message.type === 'watch') return this.watch(this.party)
    void this.request(this.party, message.id, message.kind).catch(this.failed)
  }

  private readonly failed = (error: unknown) => {
    this.options.onError(error)
    this.refuse('internal', 'the peer could not answer')
  }

  refuse(code: string, message: string): void {
    this.write({ type: 'error', code, message })
    this.socket.end()
  }

  private async hello(instance: string): Promise<void> {
    if (this.party) return this.refuse('twice', 'hello was said already')
    const fingerprint = this.socket.getPeerCertificate()?.fingerprint256
    if (!fingerprint) return this.refuse('no-certificate', 'a client certificate is required')
    if (this.options.pins.check(instance, fingerprint) === 'changed')
      return this.refuse('pin-mismatch', `${instance} came with another key than before`)
    const address = this.options.addressOf(instance)
    const party = await this.services.directRequests.callerOf(address, this.options.organizationId)
    if (!party) return this.refuse('unknown-peer', `${instance} was not found on the link`)
    this.party = party
    this.write({ type: 'welcome', instance: this.options.instance() })
  }

  /** The view of the person the core computes for this caller, now and at each change. */
  private watch(party: WatcherSink['watcher']): void {
    if (this.sink) return
    this.sink = {
      watcher: party,
      send: (message: string) => {
        const parsed = JSON.parse(message) as { type?: string; view?: View }
        if (parsed.type === 'unwatched') return this.refuse('unwatched', 'you no longer watch')
        if (parsed.view) this.write({ type: 'view', view: parsed.view })
      },
    }
    this.services.hub.watch(this.sink, this.options.person)
  }

  /** A chat or call: answered from the view of the person the core computes for this caller. */
  private async request(party: WatcherSink['watcher'], id: string, kind: ContactKind) {
    const answer = await this.services.availability.answerDirect(party, this.options.person, kind)
    this.write({ type: 'answer', id, ...answer })
  }

  close(): void {
    if (this.sink) this.services.hub.detach(this.sink)
  }
}
