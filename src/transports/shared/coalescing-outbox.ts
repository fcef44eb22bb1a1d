// Per-connection outbox: writes straight through while the peer keeps up; when it does not, keeps only
// the latest message per presentity (superseded states are dropped) so memory stays bounded. A client
// that declared itself in the background gets the same coalescing on purpose, flushed at the interval
// it chose; transport.

export interface OutboxTarget {
  /** Bytes queued in the socket that the peer has not read yet. */
  buffered(): number
  write(message: string, address: string, seq: number): void
}

export class CoalescingOutbox {
  /** What waits, latest per presentity; made when something first must wait (most never do). */
  private pending: Map<string, { message: string; seq: number }> | undefined
  private flushTimer: NodeJS.Timeout | undefined
  /** Set while the client asked for coalesced delivery: how often what waits is written. */
  private coalescedEveryMs: number | undefined
  /** Messages dropped because a newer state of the same presentity replaced them. */
  coalesced = 0

  constructor(
    private readonly target: OutboxTarget,
    private readonly highWaterBytes: number,
  ) {}

  /**
   * Live and with nothing waiting: a message may be written straight through while the peer keeps
   * up (what `send` checks first; a session checks it itself on its hottest path).
   */
  get straight(): boolean {
    return this.coalescedEveryMs === undefined && this.waiting === 0
  }

  send(message: string, address: string, seq: number): void {
    // Messages about the user's own account (keys starting with NUL) are never held for the interval.
    const direct =
      this.coalescedEveryMs === undefined ? this.straight : address.startsWith('\u0000')
    if (direct && this.target.buffered() < this.highWaterBytes) {
      this.target.write(message, address, seq)
      return
    }
    const pending = (this.pending ??= new Map())
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
    if (this.waiting > 0) this.flushTimer = setInterval(() => this.flush(), everyMs ?? 25)
    if (everyMs === undefined) this.flush()
  }

  /** Writes what waits, oldest first, while the peer has room. */
  flush(): void {
    for (const [address, { message, seq }] of this.pending ?? []) {
      if (this.target.buffered() >= this.highWaterBytes) return
      this.pending?.delete(address)
      this.target.write(message, address, seq)
    }
    this.stop()
  }

  /** Presentities with a message still waiting (not user messages, whose keys start with NUL). */
  *undelivered(): Iterable<string> {
    for (const key of this.pending?.keys() ?? []) if (!key.startsWith('\u0000')) yield key
  }

  /** Forgets the presentities' messages still waiting (the watcher left; it will resume from the hub). */
  dropUndelivered(): void {
    for (const key of [...this.undelivered()]) this.pending?.delete(key)
  }

  get waiting(): number {
    return this.pending?.size ?? 0
  }

  stop(): void {
    if (this.flushTimer) clearInterval(this.flushTimer)
    this.flushTimer = undefined
  }
}
