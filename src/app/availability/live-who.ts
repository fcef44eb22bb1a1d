// Live "who is available" queries: the answer of `AvailabilityService.who` kept up to date, telling
// the asker when someone joins or leaves the result set (becomes reachable, stops being so) and when
// what the asker sees of a member who stays in it changes; re-evaluated on every presence change of
// a member and on every policy change; app layer.
import { createHash, randomUUID } from 'node:crypto'
import { NarvaroError } from '../../core/errors.js'
import type { Party } from '../../core/policy/decide-permissions.js'
import type { ReachFilter } from '../../core/reach/matches-reach-filter.js'
import type { ChangeBus } from '../../ports/bus.js'
import type { AvailabilityService, MemberSelection, WhoEntry } from './availability-service.js'
import type { PolicyChange, PolicyDirectory } from '../policy/index.js'
import { onPolicyChanged, onPresenceChanged } from '../shared/index.js'
import { serializeView } from '../watching/index.js'

/** A change of a live query's result set, for the transport to translate. */
export type WhoChange =
  | { readonly op: 'joined'; readonly query: string; readonly entry: WhoEntry }
  | { readonly op: 'changed'; readonly query: string; readonly entry: WhoEntry }
  | { readonly op: 'left'; readonly query: string; readonly address: string }

interface Query {
  readonly id: string
  readonly asker: Party
  readonly members: readonly string[]
  readonly filter: ReachFilter
  /** Each member in the result, with the fingerprint of the entry the asker was last sent. */
  readonly inResult: Map<string, string>
  readonly deliver: (change: WhoChange) => void
}

/**
 * What the asker sees of an entry, as a short digest: the view (serialized by the one schema-driven
 * serializer, so equal views give equal text), the best way to reach and whether it gets through.
 * Not `seq`, which moves with every change anywhere (a change the asker cannot see must send
 * nothing). A digest rather than the text keeps a 10,000-member query's state small.
 */
const fingerprintOf = (entry: WhoEntry): string =>
  createHash('sha1')
    .update(serializeView(entry.view))
    .update(JSON.stringify([entry.best ?? null, entry.reachableNow]))
    .digest('base64')

/** Live queries one asker may hold open at once. */
const maxQueriesPerAsker = 20

export class LiveWho {
  private readonly queries = new Map<string, Query>()
  private readonly byMember = new Map<string, Set<Query>>()
  private readonly unsubscribe: () => void
  private readonly unlisten: () => void

  constructor(
    private readonly deps: {
      readonly availability: AvailabilityService
      readonly bus: ChangeBus
      readonly policies: PolicyDirectory
    },
  ) {
    this.unsubscribe = onPresenceChanged(deps.bus, (event) => {
      for (const query of this.byMember.get(event.address) ?? [])
        this.evaluate(query, event.address)
    })
    this.unlisten = onPolicyChanged(deps.bus, (change) => this.onPolicyChange(change))
  }

  /** Opens a live query: its answer now, then `deliver` for each join, change and leave until closed. */
  async open(
    asker: Party,
    selection: MemberSelection,
    filter: ReachFilter,
    deliver: (change: WhoChange) => void,
  ): Promise<{ id: string; entries: WhoEntry[] }> {
    const open = [...this.queries.values()].filter((q) => q.asker.address === asker.address).length
    if (open >= maxQueriesPerAsker) {
      throw new NarvaroError(
        'NRV_RATE_LIMITED',
        `at most ${maxQueriesPerAsker} live queries at once`,
      )
    }
    const members = (await this.deps.availability.members(asker, selection)).filter(
      (a) => a !== asker.address,
    )
    const query: Query = { id: randomUUID(), asker, members, filter, inResult: new Map(), deliver }
    const entries = this.deps.availability.answer(asker, members, filter)
    for (const entry of entries) query.inResult.set(entry.address, fingerprintOf(entry))
    this.queries.set(query.id, query)
    for (const address of members) {
      let set = this.byMember.get(address)
      if (!set) this.byMember.set(address, (set = new Set()))
      set.add(query)
    }
    return { id: query.id, entries }
  }

  close(id: string): boolean {
    const query = this.queries.get(id)
    if (!query) return false
    this.queries.delete(id)
    for (const address of query.members) {
      const set = this.byMember.get(address)
      set?.delete(query)
      if (set?.size === 0) this.byMember.delete(address)
    }
    return true
  }

  /**
   * Re-evaluates only what a policy change can have changed: one member (also when their view
   * changed with time alone), one asker's queries, or an organization's.
   */
  private onPolicyChange(change: PolicyChange): void {
    if (change.kind === 'presentity') {
      for (const query of this.byMember.get(change.address) ?? [])
        this.evaluate(query, change.address)
      return
    }
    for (const query of this.queries.values()) {
      if (change.kind === 'pair') {
        if (
          query.asker.address === change.watcher &&
          this.byMember.get(change.presentity)?.has(query)
        ) {
          this.evaluate(query, change.presentity)
        }
      } else if (change.kind === 'watcher' ? query.asker.address === change.address : true) {
        for (const address of query.members) this.evaluate(query, address)
      }
    }
  }

  /**
   * Compares a member's entry, computed from the asker's own view, with what the asker was last
   * sent: a hidden member has no entry (and leaves), and a change the view hides leaves the entry,
   * so its fingerprint, as it was.
   */
  private evaluate(query: Query, address: string): void {
    const entry = this.deps.availability.entryOf(query.asker, address)
    const inside =
      entry !== undefined && this.deps.availability.matches(query.asker, entry, query.filter)
    if (!inside) {
      if (query.inResult.delete(address)) query.deliver({ op: 'left', query: query.id, address })
      return
    }
    const sent = query.inResult.get(address)
    const fingerprint = fingerprintOf(entry)
    if (sent === fingerprint) return
    query.inResult.set(address, fingerprint)
    query.deliver({ op: sent === undefined ? 'joined' : 'changed', query: query.id, entry })
  }

  stop(): void {
    this.unsubscribe()
    this.unlisten()
    this.queries.clear()
    this.byMember.clear()
  }
}
