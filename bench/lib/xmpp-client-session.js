// One bench client connection speaking XMPP (RFC 6120/6121) to Närvaro's gateway over plain TCP on
// loopback (NARVARO_XMPP_TLS=optional): SCRAM-SHA-256 sign-in, resource binding, initial presence,
// presence publications; it keeps the last presence of each contact. The same interface as
// ClientSession, so the load worker drives either; bench support.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'
import { Buffer } from 'node:buffer'
import net from 'node:net'
import { clearTimeout, setTimeout } from 'node:timers'
import { BenchSession } from './bench-session.js'
import { nowMs } from './clock.js'
import { userPassword } from './users.js'

const streamHeader = (domain) =>
  `<?xml version='1.0'?><stream:stream to='${domain}' xmlns='jabber:client' ` +
  `xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`
const saslNs = 'urn:ietf:params:xml:ns:xmpp-sasl'
const bindNs = 'urn:ietf:params:xml:ns:xmpp-bind'

/** PBKDF2 of the one bench password, per salt and count: every user has the same keys. */
const saltedPasswords = new Map()
const saltedPassword = (salt, iterations) => {
  const key = `${salt}:${iterations}`
  let salted = saltedPasswords.get(key)
  if (!salted) {
    salted = pbkdf2Sync(userPassword, Buffer.from(salt, 'base64'), iterations, 32, 'sha256')
    saltedPasswords.set(key, salted)
  }
  return salted
}

const hmac = (key, text) => createHmac('sha256', key).update(text).digest()
const b64 = (text) => Buffer.from(text).toString('base64')
const attributes = (text) => new Map(text.split(',').map((part) => [part[0], part.slice(2)]))

/** The client-final message of SCRAM-SHA-256 (RFC 5802 §3, RFC 7677) for `serverFirst`. */
const scramFinal = (clientFirstBare, serverFirst) => {
  const server = attributes(serverFirst)
  const salted = saltedPassword(server.get('s'), Number(server.get('i')))
  const clientKey = hmac(salted, 'Client Key')
  const storedKey = createHash('sha256').update(clientKey).digest()
  const withoutProof = `c=biws,r=${server.get('r')}`
  const signature = hmac(storedKey, `${clientFirstBare},${serverFirst},${withoutProof}`)
  const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]))
  return `${withoutProof},p=${proof.toString('base64')}`
}

/** The attribute `name` of a start tag (the gateway writes double quotes). */
const attribute = (tag, name) => {
  const at = tag.indexOf(` ${name}="`)
  return at < 0
    ? undefined
    : tag.slice(at + name.length + 3, tag.indexOf('"', at + name.length + 3))
}

const between = (text, open, close) => {
  const at = text.indexOf(open)
  return at < 0 ? undefined : text.slice(at + open.length, text.indexOf(close, at + open.length))
}

/** The bench publishes `busy` as dnd; read back, dnd is `busy` again so that states compare. */
const availabilityOfShow = {
  '': 'available',
  dnd: 'busy',
  away: 'away',
  xa: 'away',
  chat: 'available',
}

export class XmppClientSession extends BenchSession {
  /** @param {import('./client-session.js').SessionOptions} options */
  constructor(options) {
    super(options)
    this.pending = ''
    this.waiters = []
    this.pings = new Map()
    this.nextId = 0
  }

  /** Connects, signs in with SCRAM-SHA-256, binds a resource; resolves when bound. */
  async open(timeoutMs) {
    this.closed = false
    const { host, xmppPort } = this.options.target
    const socket = net.connect({ host, port: xmppPort, localAddress: this.options.localAddress })
    socket.setNoDelay(true)
    this.socket = socket
    const timer = setTimeout(() => socket.destroy(new Error('XMPP sign-in timed out')), timeoutMs)
    const failed = new Promise((_, reject) => socket.once('error', reject))
    socket.on('error', () => undefined)
    socket.on('close', () => this.onClose())
    socket.on('data', (chunk) => this.onData(chunk))
    try {
      await Promise.race([this.negotiate(), failed])
      this.epoch = 1
    } finally {
      clearTimeout(timer)
    }
  }

  async negotiate() {
    const [localpart, domain] = this.user.address.split('@')
    this.socket.write(streamHeader(domain))
    await this.until('</stream:features>')
    const clientFirstBare = `n=${localpart},r=${randomBytes(18).toString('base64')}`
    this.socket.write(
      `<auth xmlns='${saslNs}' mechanism='SCRAM-SHA-256'>${b64(`n,,${clientFirstBare}`)}</auth>`,
    )
    const challenge = await this.until('</challenge>', '</failure>')
    const serverFirst = Buffer.from(between(challenge, '>', '<') ?? '', 'base64').toString()
    this.socket.write(
      `<response xmlns='${saslNs}'>${b64(scramFinal(clientFirstBare, serverFirst))}</response>`,
    )
    const outcome = await this.until('</success>', '</failure>', '/>')
    if (!outcome.includes('<success')) throw new Error(`XMPP sign-in refused: ${outcome}`)
    this.socket.write(streamHeader(domain))
    await this.until('</stream:features>')
    this.socket.write(
      `<iq type='set' id='bind'><bind xmlns='${bindNs}'><resource>bench</resource></bind></iq>`,
    )
    const bound = await this.until('</iq>')
    if (!bound.includes("type='result'") && !bound.includes('type="result"'))
      throw new Error(`XMPP bind refused: ${bound}`)
  }

  /** Resolves with everything read up to and including the first of `ends`. */
  until(...ends) {
    return new Promise((resolve, reject) => {
      this.waiters.push({ ends, resolve, reject })
      this.drainNegotiation()
    })
  }

  drainNegotiation() {
    const waiter = this.waiters[0]
    if (!waiter) return
    const found = waiter.ends
      .map((end) => [end, this.pending.indexOf(end)])
      .filter(([, at]) => at >= 0)
      .sort((a, b) => a[1] - b[1])[0]
    if (!found) return
    const cut = found[1] + found[0].length
    const text = this.pending.slice(0, cut)
    this.pending = this.pending.slice(cut)
    this.waiters.shift()
    waiter.resolve(text)
  }

  onData(chunk) {
    // The bench's notes are ASCII, so latin1 decodes them as UTF-8 would, and faster.
    this.pending += chunk.toString('latin1')
    if (this.epoch === undefined) return this.drainNegotiation()
    this.readStanzas()
  }

  /** Takes every complete top-level stanza off the buffer (the gateway nests no stanza in one). */
  readStanzas() {
    let text = this.pending
    let at = 0
    for (;;) {
      const start = text.indexOf('<', at)
      if (start < 0) break
      const nameEnd = text.slice(start + 1, start + 40).search(/[\s/>]/)
      const name = text.slice(start + 1, start + 1 + nameEnd)
      const tagEnd = text.indexOf('>', start)
      if (nameEnd < 0 || tagEnd < 0) break
      let end
      if (text[tagEnd - 1] === '/') end = tagEnd + 1
      else {
        const close = text.indexOf(`</${name}>`, tagEnd)
        if (close < 0) break
        end = close + name.length + 3
      }
      this.onStanza(name, text.slice(start, end), text.slice(start, tagEnd + 1))
      at = end
    }
    this.pending = text.slice(at)
  }

  onStanza(name, stanza, tag) {
    if (name === 'presence') return this.onPresence(stanza, tag)
    if (name === 'iq') {
      const done = this.pings.get(attribute(tag, 'id'))
      if (done) return (this.pings.delete(attribute(tag, 'id')), done({ type: 'ack' }))
      return
    }
    if (name === 'stream:error') this.options.onError(`XMPP_STREAM_ERROR`)
  }

  onPresence(stanza, tag) {
    const address = (attribute(tag, 'from') ?? '').split('/')[0]
    if (!this.subscribed.has(address)) return
    const unavailable = attribute(tag, 'type') === 'unavailable'
    const view = {
      type: 'change',
      address,
      availability: unavailable
        ? 'offline'
        : availabilityOfShow[between(stanza, '<show>', '<') ?? ''],
      text: between(stanza, '<status>', '<'),
    }
    this.views.set(address, view)
    this.options.onView(this, view, stanza.length)
  }

  onClose() {
    this.closed = true
    for (const waiter of this.waiters) waiter.reject(new Error('XMPP stream closed'))
    this.waiters = []
    for (const done of this.pings.values()) done({ type: 'closed' })
    this.pings.clear()
  }

  /** A ping the server answers after what was sent before it (XEP-0199): a barrier. */
  ping(timeoutMs) {
    const id = `p${this.nextId++}`
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => (this.pings.delete(id), resolve({ type: 'timeout' })),
        timeoutMs,
      )
      this.pings.set(id, (reply) => (clearTimeout(timer), resolve(reply)))
      this.write(`<iq type='get' id='${id}'><ping xmlns='urn:xmpp:ping'/></iq>`)
    })
  }

  write(text) {
    if (!this.closed && this.socket?.writable) this.socket.write(text)
  }

  /**
   * The roster is the ring (seeded as subscriptions): initial presence starts its presences, and
   * contacts still offline arrive as changes when they come online; the ping is the barrier.
   */
  async subscribe(deadline) {
    for (const address of this.watch) this.subscribed.add(address)
    this.publish({ availability: 'available', note: { text: `init ${this.user.index}` } })
    const reply = await this.ping(Math.max(1000, deadline - nowMs()))
    return reply.type === 'ack'
  }

  /** The load worker's `publish` request: a presence, acknowledged by the ping after it. */
  request(body, timeoutMs) {
    if (body.type !== 'publish') throw new Error(`XMPP bench client cannot ${body.type}`)
    this.publish(body)
    return this.ping(timeoutMs)
  }

  publish({ availability, note }) {
    const show = availability === 'busy' ? '<show>dnd</show>' : ''
    const status = note?.text ? `<status>${note.text}</status>` : ''
    this.write(`<presence>${show}${status}</presence>`)
  }
}
