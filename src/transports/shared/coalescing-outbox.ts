// Per-connection outbox: writes straight through while the peer keeps up; when it does not, keeps only
// the latest message per presentity (superseded states are dropped) so memory stays bounded. A client
// that declared itself in the background gets the same coalescing on purpose, flushed at the interval
// it chose; transport.

export interface OutboxTarget {
  /** Bytes queued in the socket that the peer has not read yet. */
  buffered(): number
  write(message: string, address: string, seq: number): void
}

/** What waits, when nothing does: most outboxes never hold anything, so they share this. */
const nothingWaits: ReadonlyMap<string, { message: string; seq: number }> = new Map()

export class CoalescingOutbox {
  /** What waits, latest per presentity; `nothingWaits` until something first must wait. */
  private pending: Map<string, { message: string; seq: number }> | typeof nothingWaits =
    nothingWaits
  private flushTimer: NodeJS.Timeout | undefined
  /** Set while the client asked for coalesced delivery: how often what waits is written. */
  private coalescedEveryMs: number | undefined
  /** Messages dropped because a newer state of the same presentity replaced them. */
  coalesced = 0

  constructor(
    private readonly target: OutboxTarget,
    private readonly highWaterBytes: number,
  ) {}

  send(message: string, address: string, seq: number): void {
    // Messages about the user's own account (keys starting with NUL) are never held for the interval.
    const direct =
      this.coalescedEveryMs === undefined ? this.pending.size === 0 : address.startsWith('\u0000')
    if (direct && this.target.buffered() < this.highWaterBytes) {
      this.target.write(message, address, seq)
      return
    }
    if (this.pending === nothingWaits) this.pending = new Map()
    const pending = this.pending as Map<string, { message: string; seq: number }>
    if (pending.delete(address)) this.coalesced++
    pending.set(address, { message, seq })
    this.flushTimer ??= setInterval(() => this.flush(), this.coalescedEveryMs ?? 25)
  }

  /**
   * Coalesced delivery every `everyMs` (a client in the background), or live again with undefined:
   * what waits is then written at once.
   */
  setCoalesced(everyMs: number | undefined): void {
    this.coalescedEveryMs = everyMs
    this.stop()
    if (this.pending.size > 0) this.flushTimer = setInterval(() => this.flush(), everyMs ?? 25)
    if (everyMs === undefined) this.flush()
  }

  /** Writes what waits, oldest first, while the peer has room. */
  flush(): void {
    const pending = this.pending as Map<string, { message: string; seq: number }>
    for (const [address, { message, seq }] of pending) {
      if (this.target.buffered() >= this.highWaterBytes) return
      pending.delete(address)
      this.target.write(message, address, seq)
    }
    this.stop()
  }

  /** Presentities with a message still waiting (not user messages, whose keys start with NUL). */
  *undelivered(): Iterable<string> {
    for (const key of this.pending.keys()) if (!key.startsWith('\u0000')) yield key
  }

  /** Forgets the presentities' messages still waiting (the watcher left; it will resume from the hub). */
  dropUndelivered(): void {
    const pending = this.pending as Map<string, { message: string; seq: number }>
    for (const key of [...this.undelivered()]) pending.delete(key)
  }

  get waiting(): number {
    return this.pending.size
  }

  stop(): void {
    if (this.flushTimer) clearInterval(this.flushTimer)
    this.flushTimer = undefined
  }
}
