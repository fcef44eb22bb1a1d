// The load generator's WebSocket client: the handshake through node:http and a frame reader that
// walks each TCP chunk in place (RFC 6455 §5.2), handing every text payload on as a byte range of
// that chunk. The `ws` library's client allocates and emits per message, which made the load core
// the bottleneck at ~300,000 notifications/s; the bench must measure the server, not its client.
// Only what a server sends is read (unmasked, unfragmented text frames, ping, close); bench support.
import { Buffer } from 'node:buffer'
import { createHash, randomBytes } from 'node:crypto'
import { request } from 'node:http'
import { clearTimeout, setTimeout } from 'node:timers'

const acceptGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
const opcodes = { text: 0x1, close: 0x8, ping: 0x9, pong: 0xa }

/** A client frame: FIN, the opcode, masked with a random key as RFC 6455 §5.3 requires. */
const clientFrame = (opcode, payload) => {
  const length = payload.length
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10
  const frame = Buffer.allocUnsafe(header + 4 + length)
  frame[0] = 0x80 | opcode
  if (header === 2) frame[1] = 0x80 | length
  else if (header === 4) {
    frame[1] = 0x80 | 126
    frame.writeUInt16BE(length, 2)
  } else {
    frame[1] = 0x80 | 127
    frame.writeBigUInt64BE(BigInt(length), 2)
  }
  const mask = randomBytes(4)
  mask.copy(frame, header)
  for (let i = 0; i < length; i++) frame[header + 4 + i] = payload[i] ^ mask[i & 3]
  return frame
}

export class RawWebSocket {
  /**
   * Opens a connection; resolves once the server accepted the upgrade.
   * @param {object} options
   * @param {string} options.url ws://host:port/path?query
   * @param {Record<string, string>} [options.headers]
   * @param {string} [options.localAddress]
   * @param {number} [options.localPort] with `localAddress`: bound to it, so connect() searches no port
   * @param {number} options.timeoutMs
   * @returns {Promise<RawWebSocket>}
   */
  static open({ url, headers = {}, localAddress, localPort, timeoutMs }) {
    const key = randomBytes(16).toString('base64')
    const expected = createHash('sha1')
      .update(key + acceptGuid)
      .digest('base64')
    return new Promise((resolve, reject) => {
      const req = request(url.replace(/^ws/, 'http'), {
        agent: false,
        headers: {
          ...headers,
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': key,
        },
        ...(localAddress ? { localAddress } : {}),
        ...(localPort ? { localPort } : {}),
      })
      const timer = setTimeout(() => req.destroy(new Error('handshake timeout')), timeoutMs)
      req.on('upgrade', (response, socket, head) => {
        clearTimeout(timer)
        if (response.headers['sec-websocket-accept'] !== expected) {
          socket.destroy()
          return reject(new Error('bad Sec-WebSocket-Accept'))
        }
        resolve(new RawWebSocket(socket, head))
      })
      req.on('response', (response) => {
        clearTimeout(timer)
        response.resume()
        reject(new Error(`HTTP ${response.statusCode} at upgrade`))
      })
      req.on('error', (error) => (clearTimeout(timer), reject(error)))
      req.end()
    })
  }

  constructor(socket, head) {
    this.socket = socket
    this.open = true
    /** @type {(buffer: Buffer, start: number, end: number) => void} a text payload's byte range */
    this.onText = () => {}
    this.onClose = () => {}
    this.onProtocolError = () => {}
    this.rest = undefined
    socket.setNoDelay(true)
    socket.on('data', (chunk) => this.read(chunk))
    socket.on('error', () => socket.destroy())
    socket.on('close', () => {
      this.open = false
      this.onClose()
    })
    this.head = head
  }

  /** Reads what came with the upgrade response; call once the handlers are set. */
  start() {
    if (this.head.length > 0) this.read(this.head)
    this.head = undefined
  }

  read(chunk) {
    let buffer = this.rest ? Buffer.concat([this.rest, chunk]) : chunk
    this.rest = undefined
    let at = 0
    while (buffer.length - at >= 2) {
      const first = buffer[at]
      let length = buffer[at + 1] & 0x7f
      let start = at + 2
      if (length === 126) {
        if (buffer.length - at < 4) break
        length = buffer.readUInt16BE(at + 2)
        start = at + 4
      } else if (length === 127) {
        if (buffer.length - at < 10) break
        length = Number(buffer.readBigUInt64BE(at + 2))
        start = at + 10
      }
      const end = start + length
      if (end > buffer.length) break
      const opcode = first & 0x0f
      if ((first & 0x80) === 0 || (buffer[at + 1] & 0x80) !== 0) this.onProtocolError()
      else if (opcode === opcodes.text) this.onText(buffer, start, end)
      else if (opcode === opcodes.ping) this.write(opcodes.pong, buffer.subarray(start, end))
      else if (opcode === opcodes.close) this.terminate()
      at = end
    }
    if (at < buffer.length) this.rest = Buffer.from(buffer.subarray(at))
  }

  write(opcode, payload) {
    if (this.open) this.socket.write(clientFrame(opcode, payload))
  }

  send(text) {
    this.write(opcodes.text, Buffer.from(text))
  }

  pause() {
    this.socket.pause()
  }

  resume() {
    this.socket.resume()
  }

  /**
   * Drops the connection as a lost network would: at once, with a reset, so that this side keeps no
   * TIME-WAIT. Closed with a FIN, every dropped session's port waited 60 s in TIME-WAIT, and a storm
   * of 19,000 reconnecting at once then needed more ports than the 28,232 of the ephemeral range:
   * the kernel searched past the waiting ones at each connect(), and the load generator's own CPU per
   * session doubled from run to run (`internalConnect` 34 s of a worker's profile against 15 s).
   */
  terminate() {
    this.open = false
    if (this.socket.readyState === 'open' || this.socket.readyState === 'writeOnly')
      this.socket.resetAndDestroy()
    else this.socket.destroy()
  }
}
