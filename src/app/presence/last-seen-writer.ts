// Keeps "last seen" durable without putting store writes on the notification path: while someone
// stays online at most one write a minute is made for them, and what is to be written gathers for a
// second and is written in one transaction (shared/write-behind): a thousand people online cost a
// few commits a minute instead of a read and a commit each; app layer.
import type { Clock } from '../../ports/clock.js'
import type { PresenceStore } from '../../ports/store.js'
import { WriteBehind } from '../shared/index.js'

/** While someone stays online, their last seen is written again only when it is this much newer. */
export const onlineWriteIntervalMs = 60_000
/** How long last-seen values gather before they are written together. */
export const lastSeenWriteAfterMs = 1000

export class LastSeenWriter {
  /** The last value taken to be written for each address. */
  private readonly written = new Map<string, number>()
  private readonly writes: WriteBehind

  constructor(deps: {
    readonly store: Pick<PresenceStore, 'recordLastSeen'>
    readonly clock: Clock
    readonly onError: (error: unknown) => void
  }) {
    this.writes = new WriteBehind({
      clock: deps.clock,
      afterMs: lastSeenWriteAfterMs,
      write: (batch) => deps.store.recordLastSeen(batch),
      onError: deps.onError,
    })
  }

  /**
   * Records `lastSeen` for `address`. Going hidden is always written; while online, a value within a
   * minute of the last one written is skipped. The store never moves a last seen back.
   */
  record(address: string, lastSeen: number, wentHidden: boolean): void {
    const previous = this.written.get(address)
    const recent =
      previous !== undefined && lastSeen >= previous && lastSeen - previous < onlineWriteIntervalMs
    if (recent && !wentHidden) return
    this.written.set(address, lastSeen)
    this.writes.set(address, lastSeen)
  }

  /** Writes what is still gathering; resolves when every write is done. */
  flush(): Promise<void> {
    return this.writes.flush()
  }
}
