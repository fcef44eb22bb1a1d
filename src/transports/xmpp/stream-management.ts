// Stream management (XEP-0198) of one session: stanza counts both ways, acknowledgements, and the
// stanzas the client has not acknowledged, kept (bounded) so that a client whose TCP connection
// dropped can resume and get exactly what it missed. Transport layer.
import { randomBytes } from 'node:crypto'
import type { Element } from 'ltx'

export const smNs = 'urn:xmpp:sm:3'

/** How long a dropped stream waits for its client to resume, in seconds (the `max` of XEP-0198). */
export const resumeSeconds = 300

/** Unacknowledged stanzas kept; past it resumption is refused (the client starts anew, with snapshots). */
const maxUnacked = 5000

export class StreamManagement {
  readonly id = randomBytes(16).toString('base64url')
  /** Stanzas received from the client and handled. */
  inbound = 0
  /** Stanzas sent to the client. */
  private outbound = 0
  /** The stanzas after the client's last acknowledgement, oldest first. */
  private readonly unacked: string[] = []
  /** Stanzas were dropped from the queue: what the client missed cannot be replayed. */
  overflowed = false

  /** Counts a stanza sent, and keeps it until it is acknowledged. */
  sent(stanza: string): void {
    this.outbound += 1
    if (this.unacked.length >= maxUnacked) {
      this.unacked.shift()
      this.overflowed = true
    }
    this.unacked.push(stanza)
  }

  /** The client acknowledged `h` stanzas in all: those leave the queue. */
  acknowledged(h: number): void {
    const first = this.outbound - this.unacked.length
    const count = Math.min(Math.max(0, h - first), this.unacked.length)
    this.unacked.splice(0, count)
  }

  /** What the client has not acknowledged, to send again after a resumption. */
  pending(): readonly string[] {
    return this.unacked
  }

  /** `<a h="…"/>`: how many stanzas the server handled. */
  answer(): string {
    return `<a xmlns="${smNs}" h="${this.inbound}"/>`
  }
}

/** The `h` of an `<a/>` or `<resume/>`: a count, or undefined when it is not one. */
export const countOf = (element: Element): number | undefined => {
  const h = Number(element.attrs['h'])
  return Number.isSafeInteger(h) && h >= 0 ? h : undefined
}
