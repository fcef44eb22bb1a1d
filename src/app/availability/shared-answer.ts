// One "who is available" answer kept up to date for a class of askers (askers the policy engine
// cannot tell apart): the members who pass the filter, in answer order (reachable now first, then by
// availability, then by name), each with its text; pages are read by position, and every change of
// an entry is told to the answer's listeners (live queries); app layer.
import type { ReachFilter } from '../../core/reach/matches-reach-filter.js'
import type { AskerClass } from '../policy/index.js'
import { whoPageText } from './who-json.js'

/** A page's text kept for the next asker of the same page (askers of a class ask alike). */
interface KeptPage {
  readonly after: string | undefined
  readonly limit: number
  /** The asker left out of the page, when their entry falls in it (else everyone gets the same). */
  readonly except: string | undefined
  readonly entries: readonly IndexedEntry[]
  readonly text: Buffer
}

/** Longest page text kept (a whole team of 10,000 is about 1.8 MB: made for each asker). */
const maxKeptBytes = 512 * 1024

/**
 * One member in a shared answer: only what pages, live queries and the audit read. The view it was
 * made from is not kept (its object tree, thousands of entries per answer, was most of what the
 * old generation had to mark while askers asked): what the asker sees is in `text`.
 */
export interface IndexedEntry {
  readonly address: string
  /** The entry's place in the answer's order, as a string that compares in that order. */
  readonly order: string
  /** The entry's whole JSON (`whoEntryText`), encoded once for every page that shows it. */
  readonly text: Buffer
  /**
   * Where the body (`whoEntryBody`: the JSON after address and sequence number) begins in `text`:
   * equal bodies, equal views, best ways and reachability.
   */
  readonly bodyAt: number
  /** The details an asker is shown (audited as disclosed when a page shows the entry). */
  readonly details: readonly string[]
  readonly organizationId: string
}

/** Whether two entries of a member show the same and sit at the same place (`seq` aside). */
export const sameShown = (a: IndexedEntry, b: IndexedEntry): boolean =>
  a.order === b.order &&
  a.text.length - a.bodyAt === b.text.length - b.bodyAt &&
  a.text.compare(b.text, b.bodyAt, b.text.length, a.bodyAt, a.text.length) === 0

/** A member entered the answer, changed in it, or left it. */
export interface AnswerChange {
  readonly address: string
  readonly before?: IndexedEntry
  readonly after?: IndexedEntry
}

/** Whom a shared answer is about. */
export interface AnswerScope {
  readonly key: string
  readonly asker: AskerClass
  readonly filter: ReachFilter
  /** The team whose roster the answer follows, when it is a team's answer; else its members are fixed. */
  readonly groupId?: string
}

export class SharedAnswer {
  readonly members = new Set<string>()
  private readonly byAddress = new Map<string, IndexedEntry>()
  private readonly sorted: IndexedEntry[] = []
  readonly listeners = new Set<(change: AnswerChange) => void>()
  lastUsed = 0
  /** The page asked last, while the answer has not changed since. */
  private kept: KeptPage | undefined
  /** Settles when every member's entry has been computed once. */
  ready: Promise<void> = Promise.resolve()

  constructor(readonly scope: AnswerScope) {}

  get size(): number {
    return this.sorted.length
  }

  get(address: string): IndexedEntry | undefined {
    return this.byAddress.get(address)
  }

  /** Puts a member's entry (undefined: they are not in the answer); listeners hear of a real change. */
  put(address: string, next: IndexedEntry | undefined): void {
    const before = this.byAddress.get(address)
    if (before === undefined && next === undefined) return
    if (before && next && sameShown(before, next)) return
    this.kept = undefined
    if (before) this.sorted.splice(this.positionOf(before.order), 1)
    if (next) {
      this.sorted.splice(this.positionOf(next.order), 0, next)
      this.byAddress.set(address, next)
    } else {
      this.byAddress.delete(address)
    }
    const change = { address, ...(before ? { before } : {}), ...(next ? { after: next } : {}) }
    for (const listener of this.listeners) listener(change)
  }

  /**
   * The entries after `order` (from the first without it), at most `limit`, but `except`: made at
   * its size (a page of thousands grown entry by entry was most of what a question allocated).
   */
  page(after: string | undefined, limit: number, except: string): IndexedEntry[] {
    const from = this.firstAfter(after)
    const own = this.byAddress.get(except)
    const skipped = own === undefined ? -1 : this.positionOf(own.order)
    let to = Math.min(this.sorted.length, from + Math.max(0, limit))
    if (skipped >= from && skipped < to) to = Math.min(this.sorted.length, to + 1)
    const size = to - from - (skipped >= from && skipped < to ? 1 : 0)
    const entries = new Array<IndexedEntry>(Math.max(0, size))
    let n = 0
    for (let i = from; i < to; i++) if (i !== skipped) entries[n++] = this.sorted[i]!
    return entries
  }

  /**
   * A page (`page`) with its JSON text (`whoPageText`): the same text as the last asker's when they
   * asked the same page and nothing changed since.
   */
  pageWithText(
    after: string | undefined,
    limit: number,
    except: string,
  ): { readonly entries: readonly IndexedEntry[]; readonly text: Buffer } {
    // The asker's own entry changes a page only where it would be read (it is left out, and one
    // more is taken): elsewhere, or not in the answer, the asker gets what everyone gets.
    const own = this.byAddress.get(except)
    const mine = own !== undefined && this.inPage(after, limit, own.order) ? except : undefined
    const kept = this.kept
    if (kept && kept.after === after && kept.limit === limit && kept.except === mine) return kept
    const entries = this.page(after, limit, except)
    const text = whoPageText(entries)
    if (text.length <= maxKeptBytes) this.kept = { after, limit, except: mine, entries, text }
    return { entries, text }
  }

  /** Whether the entry at `order` is among the `limit` read after `after` (no one left out). */
  private inPage(after: string | undefined, limit: number, order: string): boolean {
    const from = this.firstAfter(after)
    const at = this.positionOf(order)
    return at >= from && at < from + Math.max(0, limit)
  }

  /** The position a page after `after` begins at (the first entry past it). */
  private firstAfter(after: string | undefined): number {
    if (after === undefined) return 0
    const from = this.positionOf(after)
    return this.sorted[from]?.order === after ? from + 1 : from
  }

  /** Whether an entry other than `except`'s comes after `order`. */
  hasAfter(order: string, except: string): boolean {
    return this.page(order, 1, except).length > 0
  }

  /** The first position whose order is not below `order` (binary search). */
  private positionOf(order: string): number {
    let low = 0
    let high = this.sorted.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (this.sorted[mid]!.order < order) low = mid + 1
      else high = mid
    }
    return low
  }
}
