// Framing of SIP messages on a stream (RFC 3261 §18.3): each message is its head up to the blank line
// and exactly Content-Length bytes more, which a stream message must declare; CRLF keep-alives between
// messages are skipped. A head or body beyond the limits ends the stream. Transport layer.
import { SipParseError, defaultSipLimits, headEnd, type SipLimits } from './sip-message.js'

export class SipStreamFramer {
  private buffer: Buffer = Buffer.alloc(0)

  constructor(private readonly limits: SipLimits = defaultSipLimits) {}

  /** The complete messages `chunk` finishes, in order. */
  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk])
    const messages: Buffer[] = []
    for (;;) {
      let start = 0
      while (this.buffer[start] === 0x0d || this.buffer[start] === 0x0a) start++
      if (start > 0) this.buffer = this.buffer.subarray(start)
      const end = headEnd(this.buffer)
      if (end < 0) {
        if (this.buffer.length > this.limits.maxMessageBytes)
          throw new SipParseError(513, 'head too large')
        return messages
      }
      const length = declaredLength(this.buffer.subarray(0, end).toString('latin1'))
      if (length > this.limits.maxBodyBytes) throw new SipParseError(413, 'body too large')
      if (this.buffer.length < end + length) return messages
      messages.push(this.buffer.subarray(0, end + length))
      this.buffer = this.buffer.subarray(end + length)
    }
  }
}

/** Content-Length (or `l`) of a head; a stream message without one cannot be framed. */
const declaredLength = (head: string): number => {
  const match = /\r\n(?:content-length|l)[ \t]*:[ \t]*(\d{1,9})[ \t]*\r\n/i.exec(head)
  if (!match) throw new SipParseError(400, 'a message on a stream needs Content-Length')
  return Number(match[1])
}
