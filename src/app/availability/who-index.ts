// Who-is-available as a maintained index: answers shared by every asker of a class (`AskerClass`:
// askers the policy engine cannot tell apart see every member alike), per team or member set and
// filter, computed once in slices and then kept up to date from the change channel (presence of a
// member, policy, team rosters), so that a question is a page read and a change costs one view per
// answer, not one per asker. The views are the class's views through the policy engine and the one
// view function; what a page shows is audited as disclosed to the asker who reads it; app layer.
import { mayPassReachFilter } from '../../core/reach/matches-reach-filter.js'
import type { ReachFilter } from '../../core/reach/matches-reach-filter.js'
import { availabilities } from '../../core/model/presence-model.js'
import type { ChangeBus } from '../../ports/bus.js'
import type { Clock, TimerHandle } from '../../ports/clock.js'
import type { Asker, PolicyChange, PolicyDirectory } from '../policy/index.js'
import { disclosedDetails } from '../policy/index.js'
import { onPolicyChanged, onPresenceChanged } from '../shared/index.js'
import type { AskerViews } from '../watching/index.js'
import type { WhoEntry } from './availability-service.js'
import { SharedAnswer, sameShown } from './shared-answer.js'
import type { AnswerScope, IndexedEntry } from './shared-answer.js'
import { whoEntryText } from './who-json.js'

/** How long a build computes before it lets the event loop go (ms). */
const sliceMs = 4
/** An answer nobody read for this long, and that no live query holds, is dropped (ms). */
const idleAnswerMs = 60_000
/**
 * At most this many answers, and members over all answers (an entry holds its encoded text, about
 * half a kilobyte), are kept;
 * past either, the least recently read answers that no live query holds are dropped.
 */
const maxAnswers = 256
const maxMembersKept = 300_000

/** Computes what a party sees of a member, and whether it passes a filter (`AvailabilityService`). */
export interface EntryMaker {
  seenAs(party: Asker, address: string): { entry: WhoEntry; organizationId: string } | undefined
  matches(party: Asker, entry: WhoEntry, filter: ReachFilter): boolean
}

/** The order of availabilities in an answer: the most reachable first. */
const availabilityRanks: readonly string[] = [
  'available',
  'be-right-back',
  'busy',
  'away',
  'do-not-disturb',
  'offline',
]

const rankOf = (entry: WhoEntry) =>
  String.fromCharCode(65 + availabilityRanks.indexOf(entry.view.availability))

/**
 * The order of a "who can I reach" list, as a string that sorts in it: reachable now first, then by
 * availability, then by name (the address when none), then by address.
 */
export const orderOf = (entry: WhoEntry): string =>
  `${entry.reachableNow ? '0' : '1'}${rankOf(entry)}${entry.view.displayName ?? entry.address}\u0000${entry.address}`

/** The key of a filter: equal filters, equal keys. */
export const filterKey = (filter: ReachFilter): string =>
  JSON.stringify([
    availabilities.filter((a) => filter.availability?.includes(a)),
    filter.availability === undefined,
    filter.reachableBy ?? null,
    filter.insideWorkingHours ?? null,
    filter.availableForMeeting ?? null,
  ])

export class WhoIndex {
  private readonly answers = new Map<string, SharedAnswer>()
  private readonly byMember = new Map<string, Set<SharedAnswer>>()
  private readonly unsubscribe: () => void
  private readonly unlisten: () => void
  private sweep: TimerHandle | undefined

  constructor(
    private readonly deps: {
      readonly entries: EntryMaker
      readonly views: AskerViews
      readonly policies: PolicyDirectory
      readonly bus: ChangeBus
      readonly clock: Clock
      readonly onError: (error: unknown) => void
    },
  ) {
    this.unsubscribe = onPresenceChanged(deps.bus, (event) => this.recompute(event.address))
    this.unlisten = onPolicyChanged(deps.bus, (change) => this.onPolicyChange(change))
  }

  /** The answer of `key`, if one is kept (maybe still being built). */
  private existing(key: string): SharedAnswer | undefined {
    const answer = this.answers.get(key)
    if (answer) answer.lastUsed = this.deps.clock.now()
    return answer
  }

  /**
   * The answer of `scope`, built now (in slices) over the members `membersOf` gives unless one is
   * kept. An answer dropped while it was being built (an organization's policy changed) is built
   * again.
   */
  async answer(
    scope: AnswerScope,
    membersOf: () => Promise<readonly string[]>,
  ): Promise<SharedAnswer> {
    for (;;) {
      let answer = this.existing(scope.key)
      if (!answer) {
        const members = await membersOf()
        answer = this.existing(scope.key) ?? this.start(scope, members)
      }
      await answer.ready
      if (this.answers.get(scope.key) === answer) return answer
    }
  }

  private start(scope: AnswerScope, members: readonly string[]): SharedAnswer {
    const answer = new SharedAnswer(scope)
    answer.lastUsed = this.deps.clock.now()
    this.evictBeyond(maxAnswers - 1, maxMembersKept - members.length)
    this.answers.set(scope.key, answer)
    answer.ready = this.build(answer, members)
    this.armSweep()
    return answer
  }

  /** Audits what a page shows to the asker who reads it. */
  disclose(asker: Asker, entries: readonly IndexedEntry[]): void {
    for (const { address, organizationId, details } of entries)
      this.deps.views.disclose(asker, address, organizationId, details)
  }

  private async build(answer: SharedAnswer, members: readonly string[]): Promise<void> {
    let sliceStart = performance.now()
    for (const address of members) {
      this.join(answer, address)
      if (performance.now() - sliceStart < sliceMs) continue
      await new Promise((resolve) => setImmediate(resolve))
      sliceStart = performance.now()
    }
  }

  private join(answer: SharedAnswer, address: string): void {
    answer.members.add(address)
    let set = this.byMember.get(address)
    if (!set) this.byMember.set(address, (set = new Set()))
    set.add(answer)
    this.update(answer, address)
  }

  private leave(answer: SharedAnswer, address: string): void {
    answer.members.delete(address)
    const set = this.byMember.get(address)
    set?.delete(answer)
    if (set?.size === 0) this.byMember.delete(address)
    answer.put(address, undefined)
  }

  /**
   * Computes a member's entry for the answer's class, after the cheap filter; `memo` shares one
   * computation between the answers of a class (they differ only by filter).
   */
  private update(answer: SharedAnswer, address: string, memo?: Map<string, Made>): void {
    const { asker, filter } = answer.scope
    const own = this.deps.views.availabilityOf(address)
    let next: IndexedEntry | undefined
    if (own !== undefined && mayPassReachFilter(own, filter)) {
      let made = memo?.get(asker.key)
      if (made === undefined) {
        const seen = this.deps.entries.seenAs(asker.party, address)
        made = seen ? { seen } : {}
        memo?.set(asker.key, made)
      }
      const seen = made.seen
      if (seen && this.deps.entries.matches(asker.party, seen.entry, filter)) {
        made.indexed ??= indexedEntry(seen.entry, seen.organizationId)
        const before = answer.get(address)
        // The entry already held stays when nothing the class sees of the member moved.
        next = before !== undefined && sameShown(before, made.indexed) ? before : made.indexed
      }
    }
    answer.put(address, next)
  }

  /** A member's entry again in every answer they are in, computed once per class. */
  private recompute(address: string): void {
    const answers = this.byMember.get(address)
    if (!answers) return
    const memo = new Map<string, Made>()
    for (const answer of answers) this.update(answer, address, memo)
  }

  /**
   * A presentity's policy, profile or time boundary: that member again everywhere. A watcher's
   * groups: the rosters of teams (their answers' class keys carry the groups, so no answer of theirs
   * is wrong). An approval: the presentity again. An organization's policy: every answer anew.
   */
  private onPolicyChange(change: PolicyChange): void {
    switch (change.kind) {
      case 'presentity':
        return this.recompute(change.address)
      case 'pair':
        return this.recompute(change.presentity)
      case 'watcher':
        return this.followRosters(change.address)
      case 'organization':
        return this.clear()
    }
  }

  /**
   * A member who joined or left a team joins or leaves the team's answers (a newcomer once their
   * profile is loaded, if they are still in the team then).
   */
  private followRosters(address: string): void {
    const inTeam = (answer: SharedAnswer) =>
      answer.scope.groupId !== undefined &&
      this.deps.policies.groupsOf(address).includes(answer.scope.groupId)
    const joining: SharedAnswer[] = []
    for (const answer of this.answers.values()) {
      if (answer.scope.groupId === undefined || inTeam(answer) === answer.members.has(address))
        continue
      if (answer.members.has(address)) this.leave(answer, address)
      else joining.push(answer)
    }
    if (joining.length === 0) return
    void this.deps.views.load([address]).then(([known]) => {
      for (const answer of joining) {
        const kept = this.answers.get(answer.scope.key) === answer
        if (known && kept && inTeam(answer) && !answer.members.has(address))
          this.join(answer, address)
      }
    }, this.deps.onError)
  }

  /** Drops every answer but those live queries hold (those are computed anew, in place). */
  private clear(): void {
    for (const answer of [...this.answers.values()]) {
      if (answer.listeners.size === 0) this.drop(answer)
      else for (const address of answer.members) this.update(answer, address)
    }
  }

  private drop(answer: SharedAnswer): void {
    this.answers.delete(answer.scope.key)
    for (const address of answer.members) {
      const set = this.byMember.get(address)
      set?.delete(answer)
      if (set?.size === 0) this.byMember.delete(address)
    }
  }

  /**
   * Drops the least recently read unheld answers until at most `answers` are kept, with at most
   * `members` members in all (answers live queries hold are kept whatever they hold).
   */
  private evictBeyond(answers: number, members: number): void {
    const unheld = [...this.answers.values()].filter((a) => a.listeners.size === 0)
    unheld.sort((a, b) => a.lastUsed - b.lastUsed)
    let kept = 0
    for (const answer of this.answers.values()) kept += answer.members.size
    for (const answer of unheld) {
      if (this.answers.size <= answers && kept <= members) return
      kept -= answer.members.size
      this.drop(answer)
    }
  }

  private armSweep(): void {
    if (this.sweep) return
    this.sweep = this.deps.clock.setTimer(idleAnswerMs, () => {
      this.sweep = undefined
      const before = this.deps.clock.now() - idleAnswerMs
      for (const answer of [...this.answers.values()])
        if (answer.listeners.size === 0 && answer.lastUsed <= before) this.drop(answer)
      if (this.answers.size > 0) this.armSweep()
    })
  }

  stop(): void {
    this.unsubscribe()
    this.unlisten()
    this.sweep?.cancel()
    this.answers.clear()
    this.byMember.clear()
  }
}

/** What a member is to a class, computed once for the answers of the class (`recompute`). */
interface Made {
  seen?: { entry: WhoEntry; organizationId: string }
  indexed?: IndexedEntry
}

/** The indexed form of an entry: what pages and live queries send of it, without the view. */
const indexedEntry = (entry: WhoEntry, organizationId: string): IndexedEntry => {
  const { text, bodyAt } = whoEntryText(entry)
  return {
    address: entry.address,
    order: orderOf(entry),
    text,
    bodyAt,
    details: disclosedDetails(entry.view),
    organizationId,
  }
}
