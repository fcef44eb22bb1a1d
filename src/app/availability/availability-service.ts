// Team availability: who of a team, a list or a set of people is available now and how to reach
// them, "can I reach X by voice now?", where to route a message, and skill routing. Every answer is
// computed from the asker's own views (the core's reach functions read nothing else), so nothing a
// policy hides can surface in a filter, a ranking or a reason; app layer.
import { answerDirect, type DirectAnswer } from '../../core/reach/answer-direct.js'
import { NarvaroError } from '../../core/errors.js'
import { normalizeAddress } from '../../core/model/address.js'
import type { ContactKind } from '../../core/model/presence-model.js'
import type { View, ViewContactMethod } from '../../core/policy/compute-view.js'
import type { Party } from '../../core/policy/decide-permissions.js'
import type { ReachAnswer } from '../../core/reach/check-reach.js'
import { checkReach } from '../../core/reach/check-reach.js'
import type { ReachFilter } from '../../core/reach/matches-reach-filter.js'
import { matchesReachFilter } from '../../core/reach/matches-reach-filter.js'
import { rankContactMethods } from '../../core/reach/rank-contact-methods.js'
import type { RouteAnswer, Urgency } from '../../core/reach/route-message.js'
import { routeMessage } from '../../core/reach/route-message.js'
import type { Clock } from '../../ports/clock.js'
import type { DirectoryStore } from '../../ports/directory-store.js'
import { maxDirectoryPage } from '../../ports/directory-store.js'
import type { PolicyStore } from '../../ports/policy-store.js'
import type { AskerViews } from '../watching/index.js'
import type { PolicyDirectory } from '../policy/index.js'
import type { ProfileDirectory, TeamNames } from '../directory/index.js'
import type { PresenceStore } from '../../ports/store.js'
import { presentityNotFound } from '../../core/subscriptions/hidden-presentity.js'
import { createHash } from 'node:crypto'
import type { ChangeBus } from '../../ports/bus.js'
import type { Asker } from '../policy/index.js'
import { disclosedDetails } from '../policy/index.js'
import { filterKey, WhoIndex } from './who-index.js'
import type { SharedAnswer, IndexedEntry } from './shared-answer.js'
import { whoPageText } from './who-json.js'

/**
 * Whose availability is asked: a team (an organization group, by id or name), people with a tag (a
 * skill), a search of the directory, one of the asker's own contact lists, or people by address.
 * Team, tag and search narrow each other; the list and the addresses add to them.
 */
export interface MemberSelection {
  readonly group?: string
  readonly tag?: string
  readonly search?: string
  readonly list?: string
  readonly addresses?: readonly string[]
}

export interface WhoEntry {
  readonly address: string
  readonly seq: number
  readonly view: View
  /** The best way to reach the person now, from the view; absent when the view shows none. */
  readonly best?: ViewContactMethod
  /** Whether `best` gets through now (for the asker, priority access included). */
  readonly reachableNow: boolean
}

/** At most this many people in one answer (a 10,000-person organization fits). */
export const maxMembers = 20_000

/** A selection of one team alone: its answers follow the team's roster. */
const isTeamOnly = (selection: MemberSelection): boolean =>
  selection.group !== undefined &&
  selection.tag === undefined &&
  selection.search === undefined &&
  selection.list === undefined &&
  (selection.addresses ?? []).length === 0

/** The cursor of the page after an entry: its place in the answer's order, opaque. */
const cursorOf = (order: string): string => Buffer.from(order, 'utf8').toString('base64url')

const orderOfCursor = (cursor: string): string => {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(cursor))
    throw new NarvaroError('NRV_VALIDATION', 'cursor is not one this server gave')
  return Buffer.from(cursor, 'base64url').toString('utf8')
}

export class AvailabilityService {
  /** Skill routing: the order in which people were last picked, per selection ("least recently picked"). */
  private readonly lastPicked = new Map<string, number>()
  private picks = 0

  /** The answers shared by asker classes, kept up to date. */
  private readonly index: WhoIndex

  constructor(
    private readonly deps: {
      readonly views: AskerViews
      readonly profiles: ProfileDirectory
      readonly teams: TeamNames
      readonly policies: PolicyDirectory
      readonly store: PolicyStore & DirectoryStore & Pick<PresenceStore, 'getUser'>
      readonly clock: Clock
      readonly bus: ChangeBus
      readonly onError: (error: unknown) => void
    },
  ) {
    const { views, policies, bus, clock, onError } = deps
    this.index = new WhoIndex({ entries: this, views, policies, bus, clock, onError })
  }

  stop(): void {
    this.index.stop()
  }

  /**
   * The addresses of a selection that exist (teams, tags, searches and lists are of the asker's
   * organization; an address of another one whose owner blocks the asker is then left out by
   * `entryOf`, exactly like an unknown one).
   */
  async members(asker: Party, selection: MemberSelection): Promise<string[]> {
    const addresses = new Set<string>()
    const groupId =
      selection.group === undefined ? undefined : await this.groupIdOf(asker, selection.group)
    if (selection.tag !== undefined || selection.search !== undefined) {
      for (const address of await this.search(asker, {
        groupId,
        tag: selection.tag,
        text: selection.search,
      })) {
        addresses.add(address)
      }
    } else if (groupId !== undefined) {
      for (const id of await this.deps.store.listGroupMembers(groupId))
        await this.addById(addresses, id)
    }
    if (selection.list !== undefined) {
      const ownerId = this.deps.profiles.idOf(asker.address)
      const list =
        ownerId === undefined
          ? undefined
          : await this.deps.store.getContactList(ownerId, selection.list)
      if (!list)
        throw new NarvaroError('NRV_NOT_FOUND', `you have no contact list ${selection.list}`)
      for (const id of await this.deps.store.listContactListMembers(list.id))
        await this.addById(addresses, id)
    }
    for (const raw of selection.addresses ?? []) addresses.add(normalizeAddress(raw))
    if (addresses.size > maxMembers) {
      throw new NarvaroError('NRV_VALIDATION', `at most ${maxMembers} people in one question`)
    }
    return this.deps.views.load(addresses)
  }

  private async groupIdOf(asker: Party, idOrName: string): Promise<string> {
    const id = await this.deps.teams.idOf(asker.organizationId, idOrName)
    if (id === undefined) throw new NarvaroError('NRV_NOT_FOUND', `no team ${idOrName}`)
    return id
  }

  /**
   * Adds a member by user id. Someone who never published has no loaded profile yet: the store
   * names them, so a never-active member is listed (offline) like everyone else.
   */
  private async addById(addresses: Set<string>, userId: string): Promise<void> {
    const address =
      this.deps.profiles.addressOf(userId) ?? (await this.deps.store.getUser(userId))?.address
    if (address) addresses.add(address)
  }

  /** Every directory entry of the asker's organization matching a team, a tag and a text, page by page. */
  private async search(
    asker: Party,
    query: { groupId: string | undefined; tag: string | undefined; text: string | undefined },
  ): Promise<string[]> {
    const found: string[] = []
    let after: string | undefined
    do {
      const page = await this.deps.store.searchDirectory({
        organizationId: asker.organizationId,
        limit: maxDirectoryPage,
        ...(query.groupId !== undefined ? { groupId: query.groupId } : {}),
        ...(query.tag !== undefined ? { tag: query.tag.trim().toLowerCase() } : {}),
        ...(query.text !== undefined ? { text: query.text } : {}),
        ...(after !== undefined ? { after } : {}),
      })
      for (const entry of page.entries) found.push(entry.address)
      after = page.next
      if (found.length > maxMembers) break
    } while (after !== undefined)
    return found
  }

  /** One member as the asker sees them, with the best way to reach them; undefined if unknown. */
  entryOf(asker: Party, address: string): WhoEntry | undefined {
    const seen = this.seenAs(asker, address)
    if (seen) {
      const details = disclosedDetails(seen.entry.view)
      this.deps.views.disclose(asker, address, seen.organizationId, details)
    }
    return seen?.entry
  }

  /**
   * What `party` (an asker, or an asker class's party) sees of a member, not audited, with the
   * member's organization; undefined if unknown or hidden.
   */
  seenAs(party: Asker, address: string): { entry: WhoEntry; organizationId: string } | undefined {
    const current = this.deps.views.viewAs(party, address)
    if (!current) return undefined
    const now = this.deps.clock.now()
    const priority = this.deps.policies.priorityFor(party, address)
    const best = rankContactMethods(current.view, now)[0]
    const reachableNow =
      best !== undefined && checkReach(current.view, best.kind, { now, priority }).reachable
    const entry = {
      address,
      seq: current.seq,
      view: current.view,
      ...(best ? { best } : {}),
      reachableNow,
    }
    return { entry, organizationId: current.organizationId }
  }

  /** The entry with `best` the best method of `kind` (a pick by voice answers with a voice address). */
  private via(entry: WhoEntry, kind: ContactKind): WhoEntry {
    const best = rankContactMethods(entry.view, this.deps.clock.now()).find((m) => m.kind === kind)
    return best ? { ...entry, best } : entry
  }

  /** Whether an entry passes the filter, for this asker (priority access counts for `reachableBy`). */
  matches(asker: Asker, entry: WhoEntry, filter: ReachFilter): boolean {
    const priority = this.deps.policies.priorityFor(asker, entry.address)
    return matchesReachFilter(entry.view, filter, { now: this.deps.clock.now(), priority })
  }

  /**
   * Who of the selection passes the filter now, best reachable first (every page of `whoPage`), as
   * sent: read back from the texts the shared answer keeps.
   */
  async who(
    asker: Party,
    selection: MemberSelection,
    filter: ReachFilter = {},
  ): Promise<WhoEntry[]> {
    const answer = await this.sharedAnswer(asker, selection, filter)
    const entries = answer.page(undefined, maxMembers, asker.address)
    this.disclose(asker, entries)
    return JSON.parse(whoPageText(entries).toString('utf8')) as WhoEntry[]
  }

  /**
   * One page of who of the selection passes the filter now, best reachable first: read from the
   * answer the asker's class shares (`WhoIndex`), built in slices of a few milliseconds the first
   * time, so that a big team's question does not hold back every other watcher. `next` is the
   * cursor of the page after, absent on the last; `text` the page's JSON (`whoPageText`); what the
   * page shows is audited as disclosed.
   */
  async whoPage(
    asker: Party,
    selection: MemberSelection,
    filter: ReachFilter,
    page: { readonly limit: number; readonly cursor?: string },
  ): Promise<{ entries: readonly IndexedEntry[]; text: Buffer; next?: string }> {
    const after = page.cursor === undefined ? undefined : orderOfCursor(page.cursor)
    const answer = await this.sharedAnswer(asker, selection, filter)
    const { entries, text } = answer.pageWithText(after, page.limit, asker.address)
    this.disclose(asker, entries)
    const last = entries.at(-1)
    const more = last !== undefined && answer.hasAfter(last.order, asker.address)
    return { entries, text, ...(more ? { next: cursorOf(last.order) } : {}) }
  }

  /** Audits what entries of a shared answer show to the asker who is shown them. */
  disclose(asker: Party, entries: readonly IndexedEntry[]): void {
    this.index.disclose(asker, entries)
  }

  /** The answer of the asker's class for a selection and a filter, kept or built now. */
  async sharedAnswer(
    asker: Party,
    selection: MemberSelection,
    filter: ReachFilter,
  ): Promise<SharedAnswer> {
    const cls = this.deps.policies.classOf(asker)
    const base = `${cls.key}\n${filterKey(filter)}`
    if (isTeamOnly(selection)) {
      const groupId = await this.groupIdOf(asker, selection.group!)
      const key = `${base}\nteam\n${groupId}`
      return this.index.answer({ key, asker: cls, filter, groupId }, () =>
        this.members(asker, selection),
      )
    }
    const members = (await this.members(asker, selection)).sort()
    const digest = createHash('sha1').update(members.join('\n')).digest('base64')
    return this.index.answer(
      { key: `${base}\nset\n${digest}`, asker: cls, filter },
      async () => members,
    )
  }

  private async viewFor(asker: Party, rawAddress: string): Promise<View> {
    const address = normalizeAddress(rawAddress)
    const [known] = await this.deps.views.load([address])
    const current = known ? this.deps.views.viewOf(asker, address) : undefined
    // An unknown person and one of another organization who blocks the asker answer alike; a
    // colleague's block reads as polite-block (`effectiveHandling`): offline with no grants.
    if (!current) throw presentityNotFound(address)
    return current.view
  }

  /** "Can I reach X by `kind` now?" */
  async reach(
    asker: Party,
    address: string,
    kind: ContactKind,
  ): Promise<{ address: string; answer: ReachAnswer }> {
    const view = await this.viewFor(asker, address)
    const priority = this.deps.policies.priorityFor(asker, view.address)
    return {
      address: view.address,
      answer: checkReach(view, kind, { now: this.deps.clock.now(), priority }),
    }
  }

  /** The answer to a direct chat or call of `asker` to `address` (a serverless peer's busy signal). */
  async answerDirect(asker: Party, address: string, kind: ContactKind): Promise<DirectAnswer> {
    const view = await this.viewFor(asker, address)
    return answerDirect(view, kind, this.deps.clock.now())
  }

  /** Where a message of `urgency` to X should be delivered now, and why. */
  async route(
    asker: Party,
    address: string,
    urgency: Urgency,
  ): Promise<{ address: string; answer: RouteAnswer }> {
    const view = await this.viewFor(asker, address)
    const priority = this.deps.policies.priorityFor(asker, view.address)
    return {
      address: view.address,
      answer: routeMessage(view, urgency, { now: this.deps.clock.now(), priority }),
    }
  }

  /**
   * Picks one person of the selection who is available and reachable by `kind` now, spreading load
   * (the least recently picked first); or says nobody is, with when the first one is expected to be
   * free where the asker's views tell it.
   */
  async pick(
    asker: Party,
    selection: MemberSelection & { readonly key: string },
    kind: ContactKind,
  ): Promise<{ picked?: WhoEntry; candidates: number; firstFreeAt?: number }> {
    // The free are an answer of their own (the index keeps it): no view is computed here for them.
    const freeAnswer = await this.sharedAnswer(asker, selection, {
      availability: ['available'],
      reachableBy: kind,
    })
    const free = freeAnswer.page(undefined, maxMembers, asker.address)
    if (free.length === 0) {
      const entries = await this.who(asker, selection, {})
      const now = this.deps.clock.now()
      const until = entries
        .map((e) => {
          const answer = checkReach(e.view, kind, {
            now,
            priority: this.deps.policies.priorityFor(asker, e.address),
          })
          return answer.reachable ? undefined : answer.until
        })
        .filter((u): u is number => u !== undefined && u > now)
      return {
        candidates: entries.length,
        ...(until.length > 0 ? { firstFreeAt: Math.min(...until) } : {}),
      }
    }
    this.disclose(asker, free)
    const keyOf = (address: string) => `${asker.organizationId}\n${selection.key}\n${address}`
    const picked = free.reduce((best, e) =>
      (this.lastPicked.get(keyOf(e.address)) ?? 0) < (this.lastPicked.get(keyOf(best.address)) ?? 0)
        ? e
        : best,
    )
    this.lastPicked.set(keyOf(picked.address), ++this.picks)
    const entry = JSON.parse(picked.text.toString('utf8')) as WhoEntry
    return { picked: this.via(entry, kind), candidates: free.length }
  }
}
