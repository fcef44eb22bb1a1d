// A small raw-socket XMPP client for tests: a plain TCP stream, SASL PLAIN (the server must allow it
// without TLS: NARVARO_XMPP_TLS=optional), resource binding, then every top-level element kept as an
// ltx Element and awaitable. Parsed with saxes on its own, not with the server's stream code.
import { connect, type Socket } from 'node:net'
import { Element, escapeXML } from 'ltx'
import { SaxesParser } from 'saxes'

const header = (domain: string) =>
  `<?xml version='1.0'?><stream:stream to='${escapeXML(domain)}' version='1.0' ` +
  `xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`

export class RawXmppClient {
  /** Every top-level element since the last stream restart, in the order received. */
  readonly elements: Element[] = []
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>
  jid = ''
  private parser = this.newParser()
  private readonly waiters = new Set<() => void>()

  private constructor(
    private readonly socket: Socket,
    private readonly domain: string,
  ) {
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => this.parser.write(chunk))
    socket.on('error', () => {})
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()))
    void this.closed.then(() => this.wake())
  }

  /** Connects, signs in with PLAIN and binds `resource`. */
  static async signIn(options: {
    port: number
    address: string
    password: string
    resource: string
  }): Promise<RawXmppClient> {
    const domain = options.address.split('@')[1]!
    const socket = connect(options.port, '127.0.0.1')
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    const client = new RawXmppClient(socket, domain)
    await client.restart()
    const plain = Buffer.from(`\u0000${options.address}\u0000${options.password}`)
    client.write(
      `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${plain.toString('base64')}</auth>`,
    )
    const outcome = await client.next((e) => e.name === 'success' || e.name === 'failure')
    if (outcome.name !== 'success') throw new Error(`PLAIN failed: ${outcome.toString()}`)
    await client.restart()
    client.write(
      `<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>` +
        `<resource>${escapeXML(options.resource)}</resource></bind></iq>`,
    )
    const bound = await client.next((e) => e.name === 'iq' && e.attrs['id'] === 'bind')
    client.jid = bound.getChild('bind')?.getChildText('jid') ?? ''
    if (!client.jid) throw new Error(`no resource bound: ${bound.toString()}`)
    return client
  }

  write(text: string): void {
    if (!this.socket.destroyed) this.socket.write(text)
  }

  /** The first element (at index `from` or later) that matches, waiting up to `timeoutMs`. */
  async next(
    match: (element: Element) => boolean,
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<Element> {
    const deadline = Date.now() + (options.timeoutMs ?? 5000)
    for (;;) {
      const found = this.elements.slice(options.from ?? 0).find(match)
      if (found) return found
      const left = deadline - Date.now()
      if (left <= 0 || this.socket.destroyed)
        throw new Error(`no matching XMPP element; last: ${this.elements.slice(-4).join(' ')}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left)
        const waiters = this.waiters
        function done() {
          clearTimeout(timer)
          waiters.delete(done)
          resolve()
        }
        waiters.add(done)
      })
    }
  }

  /** Ends the stream and waits for the socket to close. */
  async close(): Promise<void> {
    this.write('</stream:stream>')
    this.socket.end()
    const timer = setTimeout(() => this.socket.destroy(), 1000)
    await this.closed
    clearTimeout(timer)
  }

  /** A new stream (at the start, and after SASL success): a fresh parser, our header, the features. */
  private async restart(): Promise<void> {
    this.parser = this.newParser()
    this.elements.length = 0
    this.write(header(this.domain))
    await this.next((e) => e.name === 'stream:features')
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake()
  }

  /** Top-level elements (depth 1 below the stream header) become ltx Elements, as written. */
  private newParser(): SaxesParser {
    const parser = new SaxesParser({ xmlns: false })
    const open: Element[] = []
    parser.on('opentag', (tag) => {
      if (tag.name === 'stream:stream') return
      const attrs = Object.fromEntries(
        Object.entries(tag.attributes).map(([key, value]) => [key, String(value)]),
      )
      const element = new Element(tag.name, attrs)
      open.at(-1)?.cnode(element)
      open.push(element)
    })
    parser.on('text', (text) => void open.at(-1)?.t(text))
    parser.on('closetag', (tag) => {
      if (tag.name === 'stream:stream') return void this.socket.end()
      const element = open.pop()!
      if (open.length > 0) return
      this.elements.push(element)
      this.wake()
    })
    parser.on('error', () => this.socket.destroy())
    return parser
  }
}
