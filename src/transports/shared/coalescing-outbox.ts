// Per-connection outbox: writes straight through while the peer keeps up; when it does not, keeps only
// the latest message per presentity (superseded states are dropped) so memory stays bounded; transport.

export interface OutboxTarget {
  /** Bytes queued in the socket that the peer has not read yet. */
  buffered(): number
  write(message: string, address: string, seq: number): void
}

export class CoalescingOutbox {
  private readonly pending = new Map<string, { message: string; seq: number }>()
  private flushTimer: NodeJS.Timeout | undefined
  /** Messages dropped because a newer state of the same presentity replaced them. */
  coalesced = 0

  constructor(
    private readonly target: OutboxTarget,
    private readonly highWaterBytes: number,
  ) {}

  send(message: string, address: string, seq: number): void {
    if (this.pending.size === 0 && this.target.buffered() < this.highWaterBytes) {
      this.target.write(message, address, seq)
      return
    }
    if (this.pending.delete(address)) this.coalesced++
    this.pending.set(address, { message, seq })
    this.flushTimer ??= setInterval(() => this.flush(), 25)
  }

  /** Writes what waits, oldest first, while the peer has room. */
  flush(): void {
    for (const [address, { message, seq }] of this.pending) {
      if (this.target.buffered() >= this.highWaterBytes) return
      this.pending.delete(address)
      this.target.write(message, address, seq)
    }
    this.stop()
  }

  /** Presentities with a message still waiting (not user messages, whose keys start with NUL). */
  *undelivered(): Iterable<string> {
    for (const key of this.pending.keys()) if (!key.startsWith('\u0000')) yield key
  }

  get waiting(): number {
    return this.pending.size
  }

  stop(): void {
    if (this.flushTimer) clearInterval(this.flushTimer)
    this.flushTimer = undefined
  }
}
