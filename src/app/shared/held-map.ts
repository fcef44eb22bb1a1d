// What a node holds of the store for a while (verified tokens, watchers' subscriptions, the teams of
// an organization): a Map bounded in size, oldest held first out, whose entries are trusted for
// `maxAgeMs` at most, and which knows the reads in flight for a key, so that a read that overlapped
// a drop (an event of the change channel, a write of this node) is not held. One place for what each
// of these holders wrote by hand before; app layer.
//
// Hand-written rather than `lru-cache`: the holders need an age measured on the service's own clock
// from when the read began, a drop that voids the reads in flight for the key, and first-in order
// (an entry read often is still read again after `maxAgeMs`); the library's `fetch` aborts on
// `delete` too, but ages by its own clock from the set and reorders on every get.

export interface HeldMapLimits {
  /** Entries held at most; the oldest held goes first. */
  readonly maxEntries: number
  /** How long an entry is trusted without reading the store again (a bound, should an event be lost). */
  readonly maxAgeMs: number
}

/** A value and when the read that gave it began. */
export interface Held<V> {
  readonly value: V
  readonly heldAt: number
}

export class HeldMap<K, V> {
  private readonly entries = new Map<K, Held<V>>()
  /** Reads in flight: key → the read's own mark; a drop or a write meanwhile removes it. */
  private readonly reading = new Map<K, object>()

  /** `dropped` hears of every entry that goes (dropped, aged, pushed out or cleared). */
  constructor(
    private readonly limits: HeldMapLimits,
    private readonly dropped?: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.entries.size
  }

  /** The value held for `key` when younger than `maxAgeMs` at `now`; an older one is dropped. */
  get(key: K, now: number): V | undefined {
    const held = this.entries.get(key)
    if (!held) return undefined
    if (now - held.heldAt < this.limits.maxAgeMs) return held.value
    this.drop(key)
    return undefined
  }

  /** What is held for `key`, whatever its age: a write compares it to what it found before. */
  heldFor(key: K): Held<V> | undefined {
    return this.entries.get(key)
  }

  /** Holds `value` for `key` as read at `heldAt`, the newest entry; the oldest goes when full. */
  set(key: K, value: V, heldAt: number): void {
    this.drop(key)
    if (this.entries.size >= this.limits.maxEntries) this.drop(this.entries.keys().next().value!)
    this.entries.set(key, { value, heldAt })
  }

  /** Forgets `key`, and a read of it in flight is not held. */
  drop(key: K): void {
    this.reading.delete(key)
    const held = this.entries.get(key)
    if (!held) return
    this.entries.delete(key)
    this.dropped?.(key, held.value)
  }

  clear(): void {
    this.reading.clear()
    if (this.dropped) for (const [key, held] of this.entries) this.dropped(key, held.value)
    this.entries.clear()
  }

  /**
   * Reads `key` with `read` (the store), and holds what `toValue` makes of the answer (as read at
   * `now`) unless the key was dropped or a write began meanwhile; returns the answer either way.
   */
  async readThrough<R>(
    key: K,
    now: number,
    read: () => Promise<R>,
    toValue: (answer: R) => V | undefined,
  ): Promise<R> {
    const mark = {}
    this.reading.set(key, mark)
    const answer = await read()
    if (this.reading.get(key) === mark) {
      this.reading.delete(key)
      const value = toValue(answer)
      if (value !== undefined) this.set(key, value, now)
    }
    return answer
  }

  /** A write of `key` begins: reads in flight are not held. */
  voidReads(key: K): void {
    this.reading.delete(key)
  }
}
