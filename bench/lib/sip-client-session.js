// One bench client connection speaking SIP to Närvaro's gateway as a phone on one TCP connection:
// digest authentication (SHA-256, qop=auth, one nonce with a growing count), a presence SUBSCRIBE
// per watched neighbour, every NOTIFY answered 200 and read as that neighbour's view, and its own
// presence sent by PUBLISH (one publication refreshed by its entity tag, so one PUBLISH at a time).
// The same interface as ClientSession, so the load worker drives either; bench support.
import { createHash, randomBytes } from 'node:crypto'
import { Buffer } from 'node:buffer'
import net from 'node:net'
import { clearTimeout, setTimeout } from 'node:timers'
import { BenchSession } from './bench-session.js'
import { nowMs } from './clock.js'
import { userPassword } from './users.js'

const sha256 = (text) => createHash('sha256').update(text).digest('hex')
const pidfNs = 'urn:ietf:params:xml:ns:pidf'

const between = (text, open, close) => {
  const at = text.indexOf(open)
  return at < 0 ? undefined : text.slice(at + open.length, text.indexOf(close, at + open.length))
}

/** The value of header `name` (as the gateway writes it: `Name: value`, once). */
const header = (head, name) => between(head, `\r\n${name}: `, '\r\n')

/** The address in a From header: `<sip:u1@bench.example>;tag=...` is `u1@bench.example`. */
const addressOf = (from) => between(from ?? '', '<sip:', '>')

/** A PIDF document of `address` that is `availability` with `note`. */
const pidf = (address, availability, note) =>
  `<?xml version="1.0" encoding="UTF-8"?><presence xmlns="${pidfNs}" ` +
  `xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" ` +
  `entity="sip:${address}"><tuple id="t"><status><basic>open</basic></status></tuple>` +
  `<dm:person id="p">${availability === 'busy' ? '<rpid:activities><rpid:busy/></rpid:activities>' : ''}` +
  `${note ? `<dm:note>${note}</dm:note>` : ''}</dm:person></presence>`

export class SipClientSession extends BenchSession {
  /** @param {import('./client-session.js').SessionOptions} options */
  constructor(options) {
    super(options)
    /** The gateway may replace a NOTIFY not yet sent by a newer one (one in flight per dialog). */
    this.supersedes = true
    this.pending = ''
    this.cseq = 0
    /** Requests sent, by CSeq number: their final answer's resolver. */
    this.transactions = new Map()
    this.nonce = undefined
    this.nc = 0
    this.tag = randomBytes(4).toString('hex')
    this.etag = undefined
    /** Publications waiting for the one in flight (each needs the entity tag of the last). */
    this.publishing = Promise.resolve()
    /** NOTIFYs received per presentity: the initial one ends a subscription's set-up. */
    this.notified = new Map()
  }

  /** Connects; resolves when the connection is up (sign-in is per request, by digest). */
  async open(timeoutMs) {
    this.closed = false
    const { host, sipPort } = this.options.target
    const socket = net.connect({ host, port: sipPort, localAddress: this.options.localAddress })
    socket.setNoDelay(true)
    this.socket = socket
    socket.on('close', () => this.onClose())
    socket.on('data', (chunk) => this.onData(chunk))
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => socket.destroy(new Error('SIP connect timed out')), timeoutMs)
      socket.once('connect', () => (clearTimeout(timer), resolve()))
      socket.once('error', (error) => (clearTimeout(timer), reject(error)))
    })
    socket.on('error', () => undefined)
    this.epoch = 1
  }

  onClose() {
    this.closed = true
    for (const done of this.transactions.values()) done({ status: 0, head: '' })
    this.transactions.clear()
  }

  /** Takes every complete message off the stream (headers, then Content-Length bytes of body). */
  onData(chunk) {
    // The bench's notes are ASCII, so latin1 keeps lengths in bytes.
    this.pending += chunk.toString('latin1')
    for (;;) {
      const end = this.pending.indexOf('\r\n\r\n')
      if (end < 0) return
      const head = this.pending.slice(0, end + 2)
      const length = Number(header(head, 'Content-Length') ?? 0)
      if (this.pending.length < end + 4 + length) return
      const body = this.pending.slice(end + 4, end + 4 + length)
      this.pending = this.pending.slice(end + 4 + length)
      this.onMessage(head, body)
    }
  }

  onMessage(head, body) {
    if (head.startsWith('SIP/2.0 ')) {
      const seq = Number.parseInt(header(head, 'CSeq') ?? '', 10)
      const done = this.transactions.get(seq)
      if (done && head.charCodeAt(8) !== 0x31 /* 1xx */) {
        this.transactions.delete(seq)
        done({ status: Number(head.slice(8, 11)), head })
      }
      return
    }
    if (head.startsWith('NOTIFY ')) return this.onNotify(head, body)
  }

  onNotify(head, body) {
    const keep = ['Via', 'From', 'To', 'Call-ID', 'CSeq'].map((n) => `${n}: ${header(head, n)}\r\n`)
    this.write(`SIP/2.0 200 OK\r\n${keep.join('')}Content-Length: 0\r\n\r\n`)
    const address = addressOf(header(head, 'From'))
    if (!this.subscribed.has(address) || !body) return
    this.notified.set(address, (this.notified.get(address) ?? 0) + 1)
    const open = body.includes('<basic>open</basic>')
    const view = {
      type: 'change',
      address,
      availability: !open ? 'offline' : body.includes('<rpid:busy/>') ? 'busy' : 'available',
      text: between(body, '<dm:note>', '<'),
    }
    this.views.set(address, view)
    this.options.onView(this, view, head.length + 4 + body.length)
  }

  /** The Authorization of a request to `uri` with the current nonce, or none before a challenge. */
  authorization(method, uri) {
    if (!this.nonce) return ''
    const [username, realm] = this.user.address.split('@')
    const nc = (++this.nc).toString(16).padStart(8, '0')
    const cnonce = randomBytes(6).toString('hex')
    this.ha1 ??= sha256(`${username}:${realm}:${userPassword}`)
    const response = sha256(
      `${this.ha1}:${this.nonce}:${nc}:${cnonce}:auth:${sha256(`${method}:${uri}`)}`,
    )
    return (
      `Authorization: Digest username="${username}", realm="${realm}", nonce="${this.nonce}", ` +
      `uri="${uri}", response="${response}", algorithm=SHA-256, qop=auth, nc=${nc}, cnonce="${cnonce}"\r\n`
    )
  }

  /** Sends `method` to `uri`; on a challenge, once more with digest. Resolves with the final answer. */
  async send(method, uri, { callId, toTag, headers = '', body = '' }, timeoutMs) {
    for (let attempt = 0; ; attempt++) {
      const answer = await this.transaction(
        method,
        uri,
        { callId, toTag, headers, body },
        timeoutMs,
      )
      if (answer.status !== 401 || attempt > 0) return answer
      const challenge = answer.head.match(/WWW-Authenticate: Digest [^\r]*algorithm=SHA-256[^\r]*/)
      this.nonce = between(challenge?.[0] ?? '', 'nonce="', '"')
      this.nc = 0
    }
  }

  transaction(method, uri, { callId, toTag, headers, body }, timeoutMs) {
    const seq = ++this.cseq
    const { port } = this.socket.address()
    const to = `<${uri}>${toTag ? `;tag=${toTag}` : ''}`
    const text =
      `${method} ${uri} SIP/2.0\r\n` +
      `Via: SIP/2.0/TCP 127.0.0.1:${port};branch=z9hG4bK${this.tag}${seq}\r\n` +
      `From: <sip:${this.user.address}>;tag=${this.tag}\r\nTo: ${to}\r\n` +
      `Call-ID: ${callId}\r\nCSeq: ${seq} ${method}\r\nMax-Forwards: 70\r\n` +
      `Contact: <sip:${this.user.address.split('@')[0]}@127.0.0.1:${port};transport=tcp>\r\n` +
      `${this.authorization(method, uri)}${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.transactions.delete(seq)
        resolve({ status: 408, head: '' })
      }, timeoutMs)
      this.transactions.set(seq, (answer) => (clearTimeout(timer), resolve(answer)))
      this.write(text)
    })
  }

  write(text) {
    if (!this.closed && this.socket?.writable) this.socket.write(text)
  }

  /** A presence subscription to each neighbour; resolves true once each has its first NOTIFY. */
  async subscribe(deadline) {
    for (const address of this.watch) {
      this.subscribed.add(address)
      const answer = await this.send(
        'SUBSCRIBE',
        `sip:${address}`,
        {
          callId: `${this.tag}-${address}`,
          headers: 'Event: presence\r\nAccept: application/pidf+xml\r\nExpires: 3600\r\n',
        },
        Math.max(1000, deadline - nowMs()),
      )
      if (answer.status !== 200) {
        this.subscribed.delete(address)
        this.options.onError(`SIP_SUBSCRIBE_${answer.status}`)
      }
    }
    while (nowMs() < deadline) {
      if ([...this.subscribed].every((a) => this.notified.has(a))) return true
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return false
  }

  /** The load worker's `publish` request: resolves `ack` when the gateway took the PUBLISH. */
  async request(body, timeoutMs) {
    if (body.type !== 'publish') throw new Error(`SIP bench client cannot ${body.type}`)
    const answer = await this.publish(body, timeoutMs)
    return answer.status === 200 ? { type: 'ack' } : { type: 'error', status: answer.status }
  }

  /** Queues a PUBLISH of `availability` and `note`: each waits for the entity tag of the last. */
  publish({ availability, note }, timeoutMs = 60_000) {
    const address = this.user.address
    const send = async () => {
      const answer = await this.send(
        'PUBLISH',
        `sip:${address}`,
        {
          callId: `${this.tag}-publish`,
          headers:
            'Event: presence\r\nExpires: 3600\r\nContent-Type: application/pidf+xml\r\n' +
            (this.etag ? `SIP-If-Match: ${this.etag}\r\n` : ''),
          body: pidf(address, availability, note?.text),
        },
        timeoutMs,
      )
      if (answer.status === 200) this.etag = header(answer.head, 'SIP-ETag')
      else this.options.onError(`SIP_PUBLISH_${answer.status}`)
      return answer
    }
    const done = this.publishing.then(send)
    this.publishing = done.catch(() => undefined)
    return done
  }
}
