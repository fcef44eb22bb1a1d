// The bytes of one XMPP connection: the socket (plain, after STARTTLS, or direct TLS), a fresh
// parser at each stream restart, stream headers and stream errors written as RFC 6120 says, and
// the close. It knows nothing of what stanzas mean; transport layer.
import type { Socket } from 'node:net'
import { TLSSocket, type SecureContext } from 'node:tls'
import { writeForTurn, writeNow } from '../shared/write-for-turn.js'
import { StringDecoder } from 'node:string_decoder'
import type { Element } from 'ltx'
import { escapeXML } from 'ltx'
import {
  StreamError,
  XmlStream,
  clientNs,
  streamNs,
  type StreamErrorCondition,
  type XmlStreamHandlers,
  type XmlStreamLimits,
} from './xml-stream.js'

export const streamsErrorNs = 'urn:ietf:params:xml:ns:xmpp-streams'

export interface StreamIoOptions {
  readonly limits: XmlStreamLimits
  /** The peer must send its stream header within this time, or the stream ends. */
  readonly headerTimeoutMs: number
  readonly onError: (error: unknown) => void
}

export class StreamIo {
  private socket: Socket
  private parser: XmlStream | undefined
  private decoder = new StringDecoder('utf8')
  private headerTimer: NodeJS.Timeout | undefined
  private ended = false
  /** Our header of the current stream was written. */
  private headerSent = false
  /** Bytes written but not yet flushed by the socket: a slow reader shows here. */
  get buffered(): number {
    return this.socket.writableLength
  }
  readonly remoteAddress: string | undefined

  constructor(
    socket: Socket,
    private handlers: XmlStreamHandlers & { readonly onEnd: () => void },
    private readonly options: StreamIoOptions,
  ) {
    this.socket = socket
    this.remoteAddress = socket.remoteAddress
    this.attach(socket)
    this.restart()
  }

  get encrypted(): boolean {
    return this.socket instanceof TLSSocket
  }

  /** Expects a new stream header (at the start, after STARTTLS and after SASL success). */
  restart(handlers = this.handlers): void {
    this.handlers = handlers
    this.headerSent = false
    this.parser = new XmlStream(handlers, this.options.limits)
    clearTimeout(this.headerTimer)
    this.headerTimer = setTimeout(
      () => this.fail(new StreamError('connection-timeout', 'no stream header in time')),
      this.options.headerTimeoutMs,
    )
    this.headerTimer.unref()
  }

  /** The header arrived: the header timer stops. */
  opened(): void {
    clearTimeout(this.headerTimer)
  }

  private attach(socket: Socket): void {
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.read(chunk))
    socket.on('error', () => this.end())
    socket.on('close', () => this.end())
  }

  private read(chunk: Buffer): void {
    if (this.ended || !this.parser) return
    try {
      this.parser.write(this.decoder.write(chunk))
    } catch (error) {
      this.fail(error)
    }
  }

  /** Upgrades to TLS after `<proceed/>` was written; the peer then sends a new stream header. */
  startTls(context: SecureContext, onSecure: () => void): void {
    const plain = this.socket
    writeNow(plain)
    plain.removeAllListeners('data')
    plain.removeAllListeners('error')
    plain.removeAllListeners('close')
    this.parser = undefined
    const secure = new TLSSocket(plain, { isServer: true, secureContext: context })
    this.socket = secure
    this.decoder = new StringDecoder('utf8')
    secure.once('secure', onSecure)
    this.attach(secure)
  }

  /** Writes the server's stream header (with features to follow) in reply to the peer's. */
  writeHeader(attrs: Record<string, string>): void {
    const rendered = Object.entries(attrs)
      .map(([name, value]) => ` ${name}="${escapeXML(value)}"`)
      .join('')
    this.headerSent = true
    this.write(
      `<?xml version='1.0'?><stream:stream xmlns="${clientNs}" xmlns:stream="${streamNs}" version="1.0"${rendered}>`,
    )
  }

  /** Writes `text`; what one event-loop turn writes to this stream leaves in one writev. */
  write(text: string): void {
    if (this.ended) return
    writeForTurn(this.socket, text)
  }

  send(element: Element): void {
    this.write(element.toString())
  }

  /**
   * Ends the stream with a stream error (after a header of our own when the peer's never came,
   * as RFC 6120 §4.9.1.1 asks), then closes the connection.
   */
  fail(error: unknown): void {
    if (this.ended) return
    const streamError =
      error instanceof StreamError
        ? error
        : new StreamError('internal-server-error', 'the server failed')
    if (!(error instanceof StreamError)) this.options.onError(error)
    if (!this.headerSent) this.writeHeader({})
    this.write(streamErrorXml(streamError.condition, streamError.text))
    this.close()
  }

  /** Closes our stream and then the connection. */
  close(): void {
    if (this.ended) return
    this.write('</stream:stream>')
    // What this turn holds for the socket goes before its end (a cork would be flushed by end()).
    writeNow(this.socket)
    this.socket.end()
    // A peer that never closes its side does not keep the socket open.
    setTimeout(() => this.socket.destroy(), 2000).unref()
    this.end()
  }

  private end(): void {
    if (this.ended) return
    this.ended = true
    clearTimeout(this.headerTimer)
    this.handlers.onEnd()
  }
}

export const streamErrorXml = (condition: StreamErrorCondition, text?: string): string =>
  `<stream:error><${condition} xmlns="${streamsErrorNs}"/>${
    text ? `<text xmlns="${streamsErrorNs}">${escapeXML(text)}</text>` : ''
  }</stream:error>`
