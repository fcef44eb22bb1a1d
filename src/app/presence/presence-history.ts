// A short, bounded history of each presentity's recent presences, so a watcher can resume
// after a reconnect without missing a change; app layer.
import type { Presence } from '../../core/aggregation/presence.js'
import type { Profile } from '../../core/model/presence-model.js'
import type { ViewPartStamps } from '../../core/policy/view-parts.js'
import { stampViewParts } from '../../core/policy/view-parts.js'

/** The state a recorded change replaced. */
interface Before {
  readonly presence: Presence
  readonly seq: number
}

export interface HistoryEntry {
  readonly seq: number
  readonly presence: Presence
  readonly profile: Profile
}

/** Entries kept per presentity; older changes are answered with a fresh snapshot instead. */
export const historyDepth = 8

/** A presentity's last entry, its stamps, and the sequence number the stamps begin to know from. */
interface Latest {
  entry: HistoryEntry
  stamps: ViewPartStamps
  readonly from: number
}

interface Kept {
  readonly entries: HistoryEntry[]
  /** When each entry was recorded (epoch ms), in the same order. */
  readonly at: number[]
}

/**
 * Bounded twice: at most `historyDepth` entries per presentity, and none older than the resume
 * window. A presentity that has not changed for a whole window holds nothing here (its current
 * presence lives in the engine), so the history's memory follows the rate of change, not the
 * number of people.
 */
export class PresenceHistory {
  /** Ordered by the last record (re-inserted on each), so the stalest presentities come first. */
  private readonly kept = new Map<string, Kept>()

  /**
   * The last entry of every presentity that changed in this run, and when each part of a view last
   * changed: what a resume decides on once the entries no longer reach its cursor. One per person,
   * like the engine's own states, and never swept, so the answer does not depend on how many
   * (possibly hidden) changes pushed the entries out.
   */
  private readonly latest = new Map<string, Latest>()

  constructor(private readonly windowMs: number = Number.POSITIVE_INFINITY) {}

  /**
   * Records a change; `before` is the state it replaced: its presence for a presentity's first change,
   * its sequence number as where the stamps begin to know (the change before it was not recorded).
   */
  record(address: string, entry: HistoryEntry, now: number, before?: Before): void {
    this.stamp(address, entry, before)
    this.keep(address, entry, now)
  }

  private stamp(address: string, entry: HistoryEntry, before: Before | undefined): void {
    const last = this.latest.get(address)
    // The first change after the start: the profile it replaced is not known, and counts as unchanged.
    const previous = last?.entry ?? {
      presence: before?.presence ?? entry.presence,
      profile: entry.profile,
    }
    const stamps = stampViewParts(last?.stamps, { before: previous, after: entry, seq: entry.seq })
    if (last === undefined) this.latest.set(address, { entry, stamps, from: before?.seq ?? 0 })
    else {
      // Updated in place: one record per person for the whole run, not a new one per change.
      last.entry = entry
      last.stamps = stamps
    }
  }

  /**
   * When each part of `address`'s view last changed after `cursor`; undefined when it has not changed
   * in this run, or when changes after `cursor` may have gone unrecorded here.
   */
  stamps(address: string, cursor = Number.POSITIVE_INFINITY): ViewPartStamps | undefined {
    const latest = this.latest.get(address)
    return latest && cursor >= latest.from ? latest.stamps : undefined
  }

  private keep(address: string, entry: HistoryEntry, now: number): void {
    const kept = this.kept.get(address)
    if (!kept) {
      this.kept.set(address, { entries: [entry], at: [now] })
      return
    }
    this.kept.delete(address)
    this.kept.set(address, kept)
    kept.entries.push(entry)
    kept.at.push(now)
    // An entry stays the base a watcher may resume from until it is superseded: its age counts
    // from the next entry's record, so the newest entry is always kept here.
    const cutoff = now - this.windowMs
    let drop = Math.max(0, kept.entries.length - historyDepth)
    while (drop < kept.entries.length - 1 && kept.at[drop + 1]! < cutoff) drop++
    if (drop > 0) {
      kept.entries.splice(0, drop)
      kept.at.splice(0, drop)
    }
  }

  /** Forgets every presentity whose last change is older than the window; returns how many. */
  sweep(now: number): number {
    const cutoff = now - this.windowMs
    let forgotten = 0
    for (const [address, kept] of this.kept) {
      if (kept.at[kept.at.length - 1]! >= cutoff) break
      this.kept.delete(address)
      forgotten++
    }
    return forgotten
  }

  /** When the next sweep has something to forget (epoch ms); undefined when nothing is kept. */
  nextSweepAt(): number | undefined {
    for (const kept of this.kept.values()) return kept.at[kept.at.length - 1]! + this.windowMs + 1
    return undefined
  }

  get isEmpty(): boolean {
    return this.kept.size === 0
  }

  /** Presentities with a history, and the entries they hold, for metrics and tests. */
  counts(): { presentities: number; entries: number } {
    let entries = 0
    for (const kept of this.kept.values()) entries += kept.entries.length
    return { presentities: this.kept.size, entries }
  }

  /**
   * What changed after `cursor`: the entry that was current at `cursor` (the base the watcher has)
   * and the entries after it, oldest first. Undefined when the history no longer reaches back.
   */
  since(
    address: string,
    cursor: number,
  ): { base?: HistoryEntry; changes: readonly HistoryEntry[] } | undefined {
    const list = this.kept.get(address)?.entries ?? []
    const changes = list.filter((e) => e.seq > cursor)
    if (changes.length === 0) return { changes }
    const baseIndex = list.length - changes.length - 1
    if (baseIndex < 0) return undefined
    return { base: list[baseIndex], changes }
  }

  forget(address: string): void {
    this.kept.delete(address)
    this.latest.delete(address)
  }
}
