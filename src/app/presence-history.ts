// A short, bounded history of each presentity's recent presences, so a watcher can resume
// after a reconnect without missing a change; app layer.
import type { Presence } from '../core/aggregation/presence.js'
import type { Profile } from '../core/model/presence-model.js'

export interface HistoryEntry {
  readonly seq: number
  readonly presence: Presence
  readonly profile: Profile
}

/** Entries kept per presentity; older changes are answered with a fresh snapshot instead. */
export const historyDepth = 8

export class PresenceHistory {
  private readonly entries = new Map<string, HistoryEntry[]>()

  record(address: string, entry: HistoryEntry): void {
    const list = this.entries.get(address)
    if (!list) {
      this.entries.set(address, [entry])
      return
    }
    list.push(entry)
    if (list.length > historyDepth) list.shift()
  }

  /**
   * What changed after `cursor`: the entry that was current at `cursor` (the base the watcher has)
   * and the entries after it, oldest first. Undefined when the history no longer reaches back.
   */
  since(
    address: string,
    cursor: number,
  ): { base?: HistoryEntry; changes: readonly HistoryEntry[] } | undefined {
    const list = this.entries.get(address) ?? []
    const changes = list.filter((e) => e.seq > cursor)
    if (changes.length === 0) return { changes }
    const baseIndex = list.length - changes.length - 1
    if (baseIndex < 0) return undefined
    return { base: list[baseIndex], changes }
  }

  forget(address: string): void {
    this.entries.delete(address)
  }
}
