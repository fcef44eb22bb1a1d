// Stream management (XEP-0198) of one session: stanza counts both ways and acknowledgements. What the
// client has not acknowledged is kept as little as possible: a presence stanza only as the hub's
// sequence number of its change, so that a resumption asks the hub's resume history for what the
// client missed (as a WebSocket resume does); other stanzas (chat, roster pushes, iq results) as
// text, bounded. Transport layer.
import { randomBytes } from 'node:crypto'
import type { Element } from 'ltx'

export const smNs = 'urn:xmpp:sm:3'

/** How long a dropped stream waits for its client to resume, in seconds (the `max` of XEP-0198). */
export const resumeSeconds = 300

/** Unacknowledged stanzas kept; past it a resumption is refused (the client starts anew, with snapshots). */
const maxUnacked = 5000

export class StreamManagement {
  readonly id = randomBytes(16).toString('base64url')
  /** Stanzas received from the client and handled. */
  inbound = 0
  /** Stanzas sent to the client. */
  private outbound = 0
  /**
   * Each stanza after the client's last acknowledgement, oldest first: its text, or for a presence
   * of the hub, the sequence number of its change (0: none, the stanza is not the last of its change).
   */
  private readonly unacked: (string | number)[] = []
  /** The highest sequence number of a hub change whose stanzas the client acknowledged. */
  cursor = 0
  /** Stanzas other than presence were dropped from the queue: a resumption would miss them. */
  overflowed = false

  /**
   * Counts a stanza sent, and keeps it until it is acknowledged; `seq` marks a presence stanza (the
   * last one of that hub change), which a resumption gets from the hub again, not from here.
   */
  sent(stanza: string, seq?: number): void {
    this.outbound += 1
    if (this.unacked.length >= maxUnacked) {
      // A presence's mark dropped unacknowledged leaves the cursor lower: at worst a state is sent again.
      if (typeof this.unacked.shift() === 'string') this.overflowed = true
    }
    this.unacked.push(seq === undefined ? stanza : seq)
  }

  /** The client acknowledged `h` stanzas in all: those leave the queue, and move the cursor. */
  acknowledged(h: number): void {
    const first = this.outbound - this.unacked.length
    const count = Math.min(Math.max(0, h - first), this.unacked.length)
    for (const entry of this.unacked.splice(0, count))
      if (typeof entry === 'number' && entry > this.cursor) this.cursor = entry
  }

  /**
   * A resumption after the client's `h`: the stanzas other than presence to send again (they are
   * counted anew as they are sent); presence comes from the hub's history after `cursor`.
   */
  resumeAfter(h: number): readonly string[] {
    this.acknowledged(h)
    const again = this.unacked.filter((entry): entry is string => typeof entry === 'string')
    this.unacked.length = 0
    this.outbound = h
    return again
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
