// The live client's resume state: the epoch, the highest seq received (the cursor) and each
// presentity's last seq, so that a change is delivered once and never out of order. SDK layer, pure.
import type { ChangeMessage, SnapshotMessage } from './protocol.js'

export interface Resume {
  readonly epoch: string
  readonly cursor: number
}

export class LiveCursor {
  private epochSeen: string | undefined
  private pendingEpoch: string | undefined
  private highest = -1
  private readonly lastSeq = new Map<string, number>()

  /** Where to resume from, once something was received. */
  get resume(): Resume | undefined {
    return this.epochSeen !== undefined && this.highest >= 0
      ? { epoch: this.epochSeen, cursor: this.highest }
      : undefined
  }

  /** Starts from a cursor received elsewhere (by another tab that had the connection). */
  seed(resume: Resume): void {
    this.epochSeen = resume.epoch
    this.highest = resume.cursor
  }

  /**
   * A connection's welcome: returns where to resume from. With a new epoch the old cursor stays
   * until the first snapshot of the new one (the server's resync), so a connection that drops
   * before that still resumes from the old epoch, and the resync is not lost.
   */
  welcome(epoch: string): Resume | undefined {
    const resume = this.resume
    if (this.epochSeen === undefined || this.highest < 0) this.epochSeen = epoch
    this.pendingEpoch = epoch === this.epochSeen ? undefined : epoch
    return resume
  }

  /** A snapshot replaces what the client had of that presentity. */
  snapshot(message: SnapshotMessage): void {
    if (this.pendingEpoch !== undefined) {
      this.epochSeen = this.pendingEpoch
      this.pendingEpoch = undefined
      this.highest = -1
    }
    this.lastSeq.set(message.address, message.seq)
    this.highest = Math.max(this.highest, message.seq)
  }

  /** Whether a change is new; a change already covered (by a snapshot or a change) is dropped. */
  change(message: ChangeMessage): boolean {
    const last = this.lastSeq.get(message.address)
    if (last !== undefined && message.seq <= last) return false
    this.lastSeq.set(message.address, message.seq)
    this.highest = Math.max(this.highest, message.seq)
    return true
  }

  forget(address: string): void {
    this.lastSeq.delete(address)
  }
}
