// A keep-alive HTTP/1.1 GET client for the bench's timed loops, which makes next to no garbage of its
// own: each connection reads into one buffer it reuses (`net.Socket`'s `onread`), and a reply's body
// is counted, not kept (but the one asked for, and any error's). node:http made a Buffer of up to
// 64 KB per read: half a megabyte per "available" reply, whose collections in the measuring process
// (up to 16 ms each, half a second per phase) were the snapshot phases' p99. Replies must have a
// Content-Length (Närvaro's do); no pipelining: one request at a time per connection. Hand-written:
// node:http and undici both hand each read over as a new Buffer; bench support.
import { Buffer } from 'node:buffer'
import net from 'node:net'
import { nowMs } from './clock.js'

const readBytes = 64 * 1024
const headerLimit = 16 * 1024
const headerEnd = Buffer.from('\r\n\r\n')

class Connection {
  /**
   * @param {{ host: string, port: number }} address
   * @param {(connection: Connection) => void} onIdle called when a reply is complete and the
   *   connection may carry another request
   */
  constructor(address, onIdle) {
    this.onIdle = onIdle
    this.closed = false
    /** The request in flight: its promise's ends and what has been read of its reply. */
    this.pending = undefined
    this.socket = net.connect({
      ...address,
      onread: { buffer: Buffer.allocUnsafe(readBytes), callback: (n, buf) => this.onRead(n, buf) },
    })
    this.socket.setNoDelay(true)
    this.socket.on('error', (error) => this.fail(error))
    this.socket.on('close', () => {
      this.closed = true
      this.fail(new Error('the server closed the connection'))
    })
  }

  /** Sends a GET; settles with the reply's status, counted bytes, time and the headers read. */
  get(host, path, token, keep) {
    return new Promise((resolve, reject) => {
      this.pending = {
        resolve,
        reject,
        keep,
        started: nowMs(),
        head: '',
        remaining: undefined,
        status: 0,
        next: undefined,
        reuse: true,
        bytes: 0,
        chunks: [],
      }
      this.socket.ref()
      const auth = token ? `Authorization: Bearer ${token}\r\n` : ''
      this.socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${auth}\r\n`)
    })
  }

  onRead(n, buf) {
    const p = this.pending
    if (p === undefined) {
      this.socket.destroy(new Error('bytes from the server with no request'))
      return false
    }
    let at = 0
    if (p.remaining === undefined) {
      at = this.readHead(p, buf, n)
      if (at < 0) return true // the head goes on in the next read
      if (p.remaining === undefined) return false // failed
    }
    const take = Math.min(n - at, p.remaining)
    if (p.keep || p.status < 200 || p.status > 299)
      p.chunks.push(Buffer.from(buf.subarray(at, at + take)))
    p.bytes += take
    p.remaining -= take
    if (at + take < n) {
      this.socket.destroy(new Error('more bytes than the reply had'))
      return false
    }
    if (p.remaining === 0) this.finish(p)
    return true
  }

  /** Reads the reply's head from this read; where its body begins, or -1 while the head goes on. */
  readHead(p, buf, n) {
    const carried = p.head.length
    let bodyAt
    const found = carried === 0 ? buf.subarray(0, n).indexOf(headerEnd) : -1
    if (found >= 0) {
      p.head = buf.latin1Slice(0, found)
      bodyAt = found + 4
    } else {
      const text = p.head + buf.latin1Slice(0, Math.min(n, headerLimit))
      const end = text.indexOf('\r\n\r\n')
      if (end < 0) {
        if (text.length > headerLimit) this.socket.destroy(new Error('a reply head over 16 KB'))
        p.head = text
        return -1
      }
      p.head = text.slice(0, end)
      bodyAt = end + 4 - carried
    }
    const [statusLine, ...lines] = p.head.split('\r\n')
    p.status = Number(statusLine.slice(9, 12))
    let length
    for (const line of lines) {
      const colon = line.indexOf(':')
      const name = line.slice(0, colon).trim().toLowerCase()
      const value = line.slice(colon + 1).trim()
      if (name === 'content-length') length = Number(value)
      else if (name === 'narvaro-next-cursor') p.next = value
      else if (name === 'connection' && value.toLowerCase() === 'close') p.reuse = false
    }
    if (!Number.isSafeInteger(length) || length < 0) {
      this.socket.destroy(new Error(`a reply without Content-Length: ${statusLine}`))
      return 0
    }
    p.remaining = length
    return bodyAt
  }

  finish(p) {
    this.pending = undefined
    const ms = nowMs() - p.started
    const text = p.chunks.length > 0 ? Buffer.concat(p.chunks).toString('utf8') : ''
    if (p.reuse) {
      this.socket.unref()
      this.onIdle(this)
    } else this.socket.destroy()
    p.resolve({ status: p.status, text, bytes: p.bytes, ms, next: p.next })
  }

  fail(error) {
    const p = this.pending
    this.pending = undefined
    p?.reject(error)
  }
}

/** Idle connections per server address. */
const idle = new Map()

/**
 * GET `path` with a bearer token: `{ text, bytes, ms, next }` as `rest` gives them (`text` only
 * with `keep`), the time from sending to the last byte read. Throws on a status other than 2xx,
 * with the server's reply.
 * @returns {Promise<{ text: string, bytes: number, ms: number, next: string | undefined }>}
 */
export const countingGet = async (target, { path, token, keep = false }) => {
  const url = new URL(target.url)
  const key = url.host
  const free = idle.get(key) ?? []
  idle.set(key, free)
  let connection = free.pop()
  while (connection?.closed) connection = free.pop()
  connection ??= new Connection({ host: url.hostname, port: Number(url.port) }, (c) => free.push(c))
  const reply = await connection.get(url.host, path, token, keep)
  if (reply.status < 200 || reply.status > 299)
    throw new Error(`GET ${path}: HTTP ${reply.status} ${reply.text.slice(0, 300)}`)
  return reply
}
