// Live "who is available" queries: the answer of `AvailabilityService.who` kept up to date, telling
// the asker when someone joins or leaves the result set (becomes reachable, stops being so) and when
// what the asker sees of a member who stays in it changes. A query listens to the answer its asker's
// class shares (`WhoIndex`), so a change costs one view per class, not one per query; when the
// asker's class changes (their groups, a rule naming them), the query moves to the new class's answer
// and is told the difference; app layer.
import { randomUUID } from 'node:crypto'
import { NarvaroError, isNarvaroError } from '../../core/errors.js'
import type { Party } from '../../core/policy/decide-permissions.js'
import type { ReachFilter } from '../../core/reach/matches-reach-filter.js'
import type { ChangeBus } from '../../ports/bus.js'
import type { AvailabilityService, MemberSelection } from './availability-service.js'
import { maxMembers } from './availability-service.js'
import type { PolicyDirectory } from '../policy/index.js'
import { onPolicyChanged } from '../shared/index.js'
import type { AnswerChange, IndexedEntry, SharedAnswer } from './shared-answer.js'
import { sameShown } from './shared-answer.js'
import { whoPageText } from './who-json.js'

/**
 * A change of a live query's result set, for the transport to translate: a member who joined or
 * changed comes with their whole entry's JSON (`WhoEntrySchema`), the text the shared answer keeps.
 */
export type WhoChange =
  | {
      readonly op: 'joined' | 'changed'
      readonly query: string
      readonly address: string
      readonly entry: Buffer
    }
  | { readonly op: 'left'; readonly query: string; readonly address: string }

interface Query {
  readonly id: string
  readonly asker: Party
  readonly selection: MemberSelection
  readonly filter: ReachFilter
  readonly deliver: (change: WhoChange) => void
  /** The shared answer the query follows, and its listener there. */
  answer: SharedAnswer
  listener: (change: AnswerChange) => void
  /** Set while the query moves to another class's answer (nothing is told meanwhile). */
  moving: boolean
}

/** Live queries one asker may hold open at once. */
const maxQueriesPerAsker = 20

export class LiveWho {
  private readonly queries = new Map<string, Query>()
  private readonly unlisten: () => void
  /** Moves of queries to another class's answer under way. */
  private readonly moves = new Set<Promise<void>>()

  constructor(
    private readonly deps: {
      readonly availability: AvailabilityService
      readonly bus: ChangeBus
      readonly policies: PolicyDirectory
      readonly onError: (error: unknown) => void
    },
  ) {
    this.unlisten = onPolicyChanged(deps.bus, () => this.followClasses())
  }

  /** Opens a live query: its answer now, then `deliver` for each join, change and leave until closed. */
  async open(
    asker: Party,
    selection: MemberSelection,
    filter: ReachFilter,
    deliver: (change: WhoChange) => void,
  ): Promise<{ id: string; text: Buffer }> {
    const open = [...this.queries.values()].filter((q) => q.asker.address === asker.address).length
    if (open >= maxQueriesPerAsker) {
      throw new NarvaroError(
        'NRV_RATE_LIMITED',
        `at most ${maxQueriesPerAsker} live queries at once`,
      )
    }
    const answer = await this.deps.availability.sharedAnswer(asker, selection, filter)
    const id = randomUUID()
    const query: Query = {
      id,
      asker,
      selection,
      filter,
      deliver,
      answer,
      listener: () => undefined,
      moving: false,
    }
    const entries = this.shown(query, answer.page(undefined, maxMembers, asker.address))
    this.attach(query, answer)
    this.queries.set(id, query)
    // `text`: the entries' JSON array joined from their encoded texts (`whoPageText`), so that a
    // transport need not serialize thousands of views again in one turn.
    return { id, text: whoPageText(entries) }
  }

  close(id: string): boolean {
    const query = this.queries.get(id)
    if (!query) return false
    this.queries.delete(id)
    query.answer.listeners.delete(query.listener)
    return true
  }

  private attach(query: Query, answer: SharedAnswer): void {
    query.answer.listeners.delete(query.listener)
    query.answer = answer
    query.listener = (change) => {
      if (change.address !== query.asker.address && !query.moving) this.tell(query, change)
    }
    answer.listeners.add(query.listener)
  }

  /** Audits what the asker is shown of these entries, and gives them back. */
  private shown(query: Query, entries: readonly IndexedEntry[]): readonly IndexedEntry[] {
    this.deps.availability.disclose(query.asker, entries)
    return entries
  }

  private tell(query: Query, { address, before, after }: AnswerChange): void {
    if (!after) return query.deliver({ op: 'left', query: query.id, address })
    this.shown(query, [after])
    const op = before ? 'changed' : 'joined'
    query.deliver({ op, query: query.id, address, entry: after.text })
  }

  /**
   * After a policy change: every query whose asker's class changed moves to the new class's answer,
   * and is told the difference between what it was last told and that answer.
   */
  private followClasses(): void {
    for (const query of this.queries.values()) {
      if (query.moving) continue
      if (this.deps.policies.classOf(query.asker).key === query.answer.scope.asker.key) continue
      query.moving = true
      const told = query.answer.page(undefined, maxMembers, query.asker.address)
      const move = this.move(query, told).catch(this.deps.onError)
      this.moves.add(move)
      void move.finally(() => this.moves.delete(move))
    }
  }

  /** Settles when no query is moving to another class's answer. */
  async settled(): Promise<void> {
    while (this.moves.size > 0) await Promise.all([...this.moves])
  }

  /**
   * Moves a query to its asker's new class's answer. When there is none to move to (their team was
   * removed), everyone the query was told of leaves, and it is told nothing more.
   */
  private async move(query: Query, told: readonly IndexedEntry[]): Promise<void> {
    const { availability } = this.deps
    let answer: SharedAnswer
    try {
      answer = await availability.sharedAnswer(query.asker, query.selection, query.filter)
    } catch (error) {
      if (this.queries.get(query.id) !== query) return
      query.answer.listeners.delete(query.listener)
      for (const entry of told) this.tell(query, { address: entry.address, before: entry })
      if (!isNarvaroError(error)) throw error
      return
    }
    if (this.queries.get(query.id) !== query) return
    const now = answer.page(undefined, maxMembers, query.asker.address)
    const before = new Map(told.map((e) => [e.address, e]))
    const after = new Map(now.map((e) => [e.address, e]))
    this.attach(query, answer)
    query.moving = false
    for (const [address, entry] of before)
      if (!after.has(address)) this.tell(query, { address, before: entry })
    for (const [address, entry] of after) {
      const was = before.get(address)
      if (was === undefined || !sameShown(was, entry))
        this.tell(query, { address, after: entry, ...(was ? { before: was } : {}) })
    }
    // The class may have changed again while the new answer was being built.
    this.followClasses()
  }

  stop(): void {
    this.unlisten()
    for (const id of [...this.queries.keys()]) this.close(id)
  }
}
