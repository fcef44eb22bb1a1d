// Keeps "last seen" durable without putting store writes on the notification path: writes are
// asynchronous, and while someone stays online at most one write a minute is made for them; app layer.
import type { PresenceStore } from '../../ports/store.js'

const onlineWriteIntervalMs = 60_000

export class LastSeenWriter {
  private readonly written = new Map<string, number>()

  constructor(
    private readonly store: PresenceStore,
    private readonly onError: (error: unknown) => void,
  ) {}

  /**
   * Records `lastSeen` for `address`. Going hidden is always written; while online, a value within a
   * minute of the last one written is skipped.
   */
  record(address: string, lastSeen: number, wentHidden: boolean): void {
    const previous = this.written.get(address)
    const recent =
      previous !== undefined && lastSeen >= previous && lastSeen - previous < onlineWriteIntervalMs
    if (recent && !wentHidden) return
    this.written.set(address, lastSeen)
    void this.store
      .getUserByAddress(address)
      .then((user) => (user ? this.store.updateUser(user.id, { lastSeen }) : undefined))
      .catch(this.onError)
  }
}
