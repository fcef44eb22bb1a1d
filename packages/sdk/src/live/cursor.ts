// The live client's resume state: the epoch, the highest seq received (the cursor) and each
// presentity's last seq, so that a change is delivered once and never out of order. SDK layer, pure.
import type { ChangeMessage, SnapshotMessage } from './protocol.js'

export interface Resume {
  readonly epoch: string
  readonly cursor: number
}

export class LiveCursor {
  private epochSeen: string | undefined
  private highest = -1
  private readonly lastSeq = new Map<string, number>()

  /** Where to resume from, once something was received. */
  get resume(): Resume | undefined {
    return this.epochSeen !== undefined && this.highest >= 0
      ? { epoch: this.epochSeen, cursor: this.highest }
      : undefined
  }

  /**
   * A connection's welcome: returns where to resume from (the cursor of the previous connection,
   * in its epoch), then follows the new epoch. The server answers a resume from another epoch with
   * resync snapshots, which set the cursor anew.
   */
  welcome(epoch: string): Resume | undefined {
    const resume = this.resume
    if (epoch !== this.epochSeen) this.highest = -1
    this.epochSeen = epoch
    return resume
  }

  /** A snapshot replaces what the client had of that presentity. */
  snapshot(message: SnapshotMessage): void {
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
