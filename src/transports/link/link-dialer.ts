// The caller's end of a direct connection to another Närvaro peer: mutual TLS to the address and
// port the link announced, the peer's certificate pinned to its instance on first contact (another
// one later ends the connection), `hello`, `watch`, and then the views that peer's core computes for
// this peer's person; requests (a chat or call) get their answer. Transport layer.
import { randomUUID } from 'node:crypto'
import { connect, type TLSSocket } from 'node:tls'
import type { View } from '../../core/policy/compute-view.js'
import type { ContactKind } from '../../core/model/presence-model.js'
import type { DirectAnswer } from '../../core/reach/answer-direct.js'
import type { SourcePublicationInput } from '../../app/presence/index.js'
import type { LinkPins } from './link-channel.js'
import { LineReader, peerMessage, readLine, type PeerMessage } from './link-protocol.js'

export interface DialOptions {
  readonly address: string
  readonly port: number
  readonly cert: string
  readonly key: string
  readonly pins: LinkPins
  /** The instance called, and our own. */
  readonly instance: string
  readonly ownInstance: string
  readonly onView: (view: View) => void
  readonly onEnded: (reason: string) => void
}

const connectTimeoutMs = 10_000

export class LinkConnection {
  private readonly answers = new Map<string, (answer: DirectAnswer) => void>()
  private ended = false

  private constructor(
    private readonly socket: TLSSocket,
    private readonly options: DialOptions,
  ) {}

  /** Connects, checks the pin, says hello and starts watching. */
  static open(options: DialOptions): Promise<LinkConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({
        host: options.address,
        port: options.port,
        cert: options.cert,
        key: options.key,
        rejectUnauthorized: false,
        minVersion: 'TLSv1.2',
        timeout: connectTimeoutMs,
      })
      socket.once('timeout', () => socket.destroy(new Error('no answer')))
      socket.once('error', reject)
      socket.once('secureConnect', () => {
        socket.setTimeout(0)
        const fingerprint = socket.getPeerCertificate()?.fingerprint256
        if (!fingerprint || options.pins.check(options.instance, fingerprint) === 'changed') {
          socket.destroy()
          return reject(new Error(`${options.instance} came without the key pinned to it`))
        }
        const connection = new LinkConnection(socket, options)
        connection.listen()
        connection.send({ type: 'hello', instance: options.ownInstance })
        connection.send({ type: 'watch' })
        resolve(connection)
      })
    })
  }

  private listen(): void {
    const reader = new LineReader()
    this.socket.on('data', (chunk: Buffer) => {
      try {
        for (const line of reader.push(chunk)) this.take(line)
      } catch {
        this.end('a line too long')
      }
    })
    this.socket.on('error', () => this.socket.destroy())
    this.socket.on('close', () => this.end('closed'))
  }

  private take(line: string): void {
    const message = readLine<PeerMessage>(line, peerMessage)
    if (!message) return this.end('not a message of the link channel')
    if (message.type === 'view') return this.options.onView(message.view as View)
    if (message.type === 'error') return this.end(`${message.code}: ${message.message}`)
    if (message.type === 'answer') {
      const { type: _type, id, ...answer } = message
      this.answers.get(id)?.(answer)
      this.answers.delete(id)
    }
  }

  private send(message: Record<string, unknown>): void {
    if (!this.socket.destroyed) this.socket.write(`${JSON.stringify(message)}\n`)
  }

  /** A chat or call request: the person's answer (accepted, busy, unavailable). */
  request(kind: ContactKind, timeoutMs = 10_000): Promise<DirectAnswer> {
    const id = randomUUID()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.answers.delete(id)
        reject(new Error('no answer'))
      }, timeoutMs)
      this.answers.set(id, (answer) => {
        clearTimeout(timer)
        resolve(answer)
      })
      this.send({ type: 'request', id, kind })
    })
  }

  private end(reason: string): void {
    if (this.ended) return
    this.ended = true
    this.socket.destroy()
    this.options.onEnded(reason)
  }

  close(): void {
    this.end('closed here')
  }
}

/** What another peer's view of its person says, as the state of that person's source here. */
export const stateOfView = (view: View): SourcePublicationInput | 'offline' => {
  if (view.availability === 'offline') return 'offline'
  return {
    availability: view.availability,
    ...(view.activities ? { activities: view.activities } : {}),
    ...(view.note ? { note: { text: view.note.text } } : {}),
    ...(view.mood ? { mood: view.mood } : {}),
    ...(view.place ? { place: view.place } : {}),
    ...(view.timeZone ? { timeZone: view.timeZone } : {}),
  }
}
