// The SIP gateway (NARVARO_SIP_PORT): UDP and TCP on one port, and TLS on another when a port and
// certificate are configured (NARVARO_SIP_TLS_PORT), speaking the presence event package
// (RFC 3856, RFC 6665) to phones and softphones. Every request is parsed under limits; a bad one gets
// its SIP error and the listener goes on serving the others. Subscriptions watch through the hub as
// their authenticated user, so a SIP watcher gets the core's view and nothing else. Transport layer.
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram'
import { createServer, type Server, type Socket } from 'node:net'
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls'
import type { DigestAlgorithm } from '../../app/accounts/index.js'
import type { NarvaroServices } from '../../app/services.js'
import { writeForTurn } from '../shared/write-for-turn.js'
import { SipRequests, defaultMinExpires } from './sip-requests.js'
import { SipStreamFramer } from './sip-framing.js'
import { SipParseError, parseSipMessage, type SipMessage } from './sip-message.js'
import { SipTransactions } from './sip-transactions.js'

export interface SipGatewayOptions {
  readonly host: string
  /** 0: any free port (the same one for UDP and TCP). */
  readonly port: number
  /** Offered in this order (RFC 8760 §2.4: the preferred first); SHA-256 then MD5 by default. */
  readonly digestAlgorithms?: readonly DigestAlgorithm[]
  /** The shortest Expires taken (s); 60 by default. */
  readonly minExpires?: number
  /** SIP over TLS (RFC 3261 §26.2) on its own port (0: any free one), with this certificate. */
  readonly tls?: { readonly port: number; readonly cert: string; readonly key: string }
  readonly onError: (error: unknown) => void
}

/** Where a message came from, and how to answer on the same path. */
export interface SipPeer {
  readonly transport: 'udp' | 'tcp' | 'tls'
  /** The port of ours it reached: the UDP/TCP one or the TLS one. */
  readonly localPort: number
  readonly address: string
  readonly port: number
  /** Writes to the peer: the datagram's source, or the TCP connection it came on. */
  readonly write: (text: string) => void
}

export class SipGateway {
  private readonly tcpConnections = new Set<Socket>()
  /** Set once `stop` has sent the subscriptions' last NOTIFYs: the UDP socket is closing. */
  private stopping = false
  private readonly requests: SipRequests
  private readonly transactions: SipTransactions

  private constructor(
    private readonly udp: UdpSocket,
    private readonly tcp: Server,
    private readonly tls: TlsServer | undefined,
    readonly port: number,
    /** The TLS listener's port, when there is one. */
    readonly tlsPort: number | undefined,
    services: NarvaroServices,
    private readonly options: SipGatewayOptions,
  ) {
    this.transactions = new SipTransactions()
    this.requests = new SipRequests(services, {
      host: options.host,
      transactions: this.transactions,
      digestAlgorithms: options.digestAlgorithms ?? ['SHA-256', 'MD5'],
      minExpires: options.minExpires ?? defaultMinExpires,
      onError: options.onError,
    })
  }

  static async start(services: NarvaroServices, options: SipGatewayOptions): Promise<SipGateway> {
    const tcp = await listening(createServer(), options.port, options.host)
    const port = (tcp.address() as { port: number }).port
    const udp = createSocket('udp4')
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject)
      udp.bind(port, options.host, () => resolve())
    })
    const tls = options.tls
      ? await listening(
          createTlsServer({ cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' }),
          options.tls.port,
          options.host,
        )
      : undefined
    const tlsPort = tls ? (tls.address() as { port: number }).port : undefined
    const gateway = new SipGateway(udp, tcp, tls, port, tlsPort, services, options)
    udp.on('message', (bytes, from) => gateway.onDatagram(bytes, from))
    udp.on('error', options.onError)
    tcp.on('connection', (socket) => gateway.onConnection(socket, 'tcp', port))
    // A handshake that fails (a plain client, a bad certificate) ends that connection only.
    tls?.on('secureConnection', (socket) => gateway.onConnection(socket, 'tls', tlsPort!))
    tls?.on('tlsClientError', (_error, socket) => socket.destroy())
    return gateway
  }

  private onDatagram(bytes: Buffer, from: RemoteInfo): void {
    // Keep-alive (CRLF) datagrams carry nothing.
    if (bytes.toString('latin1').trim() === '') return
    const peer: SipPeer = {
      transport: 'udp',
      localPort: this.port,
      address: from.address,
      port: from.port,
      // A response or request finished after `stop` has no socket left (send would throw).
      write: (text) => {
        if (!this.stopping) this.udp.send(text, from.port, from.address)
      },
    }
    this.take(bytes, peer)
  }

  private onConnection(socket: Socket, transport: 'tcp' | 'tls', localPort: number): void {
    this.tcpConnections.add(socket)
    socket.setNoDelay(true)
    const peer: SipPeer = {
      transport,
      localPort,
      address: socket.remoteAddress ?? '',
      port: socket.remotePort ?? 0,
      write: (text) => {
        if (socket.destroyed) return
        // A fan-out's NOTIFYs to one phone leave in one write.
        writeForTurn(socket, text)
      },
    }
    const framer = new SipStreamFramer()
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const message of framer.push(chunk)) this.take(message, peer)
      } catch (error) {
        // A stream that cannot be framed any more (no length, too large) is closed.
        this.requests.rejectUnframed(error, peer)
        socket.destroy()
      }
    })
    socket.on('error', () => socket.destroy())
    socket.on('close', () => {
      this.tcpConnections.delete(socket)
      this.requests.connectionClosed(peer)
    })
  }

  /** One message in: a request to answer, or a response to one of ours. */
  private take(bytes: Buffer, peer: SipPeer): void {
    let message: SipMessage
    try {
      message = parseSipMessage(bytes)
    } catch (error) {
      if (error instanceof SipParseError) return this.requests.rejectMalformed(error, peer)
      return this.options.onError(error)
    }
    if (message.kind === 'response') return this.transactions.answered(message)
    this.requests.handle(message, peer).catch(this.options.onError)
  }

  /** Ends every subscription (terminated;reason=deactivated... as the node stops) and the listeners. */
  async stop(): Promise<void> {
    this.requests.stop()
    this.stopping = true
    this.transactions.stop()
    for (const socket of this.tcpConnections) socket.destroy()
    await new Promise<void>((resolve) => this.tcp.close(() => resolve()))
    if (this.tls) await new Promise<void>((resolve) => this.tls!.close(() => resolve()))
    await new Promise<void>((resolve) => this.udp.close(() => resolve()))
  }
}

const listening = async <S extends Server>(server: S, port: number, host: string): Promise<S> => {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  return server
}
