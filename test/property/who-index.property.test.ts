// Properties of the maintained who-is-available index over the real services (fast-check): answers
// are shared by askers the policy engine cannot tell apart and kept up to date from the change
// channel, so after any sequence of presence, privacy, team, approval, policy and time changes, every
// asker's answer, read whole or page by page, is exactly the one computed afresh from that asker's
// own views; and an entry the asker's class does not see is never on any page.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { MemberSelection, WhoEntry } from '../../src/app/availability/index.js'
import {
  manualAvailabilities,
  type ManualAvailability,
} from '../../src/core/model/presence-model.js'
import type { OrganizationPolicy, PersonalSettings } from '../../src/core/policy/policy-model.js'
import type { ReachFilter } from '../../src/core/reach/matches-reach-filter.js'
import type { User } from '../../src/ports/store.js'
import {
  organizationArb,
  personAddress,
  policyArb,
  settingsArb,
  teamNames,
  type OrganizationSketch,
} from '../support/arbitraries.js'
import {
  expectedWho,
  inOrganization,
  viewsOf,
  withIds,
  type Organization,
} from '../support/who-organization.js'
import { changedEntry, entriesOf } from '../support/live-who.js'

const runs = { numRuns: 120 }
const timeoutMs = 60_000
const hour = 3_600_000

type Step =
  | { readonly kind: 'manual'; readonly person: number; readonly availability: ManualAvailability }
  | { readonly kind: 'settings'; readonly person: number; readonly settings: PersonalSettings }
  | { readonly kind: 'team'; readonly team: string; readonly people: readonly number[] }
  | { readonly kind: 'approve'; readonly watcher: number; readonly owner: number }
  | { readonly kind: 'policy'; readonly policy: OrganizationPolicy }
  | { readonly kind: 'time'; readonly ms: number }

interface Question {
  readonly filter: ReachFilter
  /** A team's name, or everyone by address. */
  readonly team?: string
  readonly limit: number
}

const filterArb: fc.Arbitrary<ReachFilter> = fc.oneof(
  fc.constant({}),
  fc.constant({ availability: ['available' as const] }),
  fc.constant({ availability: ['available' as const, 'busy' as const] }),
  fc.constant({ reachableBy: 'im' as const }),
  fc.constant({ availableForMeeting: true }),
  fc.boolean().map((insideWorkingHours) => ({ insideWorkingHours })),
)

const questionArb: fc.Arbitrary<Question> = fc.record(
  {
    filter: filterArb,
    team: fc.constantFrom(...teamNames),
    limit: fc.integer({ min: 1, max: 5 }),
  },
  { requiredKeys: ['filter', 'limit'] },
)

const stepArb = (sketch: OrganizationSketch): fc.Arbitrary<Step> => {
  const addresses = sketch.people.map((_, i) => personAddress(i))
  const person = fc.integer({ min: 0, max: sketch.people.length - 1 })
  return fc.oneof(
    fc.record({
      kind: fc.constant('manual' as const),
      person,
      availability: fc.constantFrom(...manualAvailabilities),
    }),
    fc.record({ kind: fc.constant('settings' as const), person, settings: settingsArb(addresses) }),
    fc.record({
      kind: fc.constant('team' as const),
      team: fc.constantFrom(...teamNames),
      people: fc.uniqueArray(person, { maxLength: sketch.people.length }),
    }),
    fc.record({ kind: fc.constant('approve' as const), watcher: person, owner: person }),
    fc.record({ kind: fc.constant('policy' as const), policy: policyArb(addresses) }),
    fc.record({ kind: fc.constant('time' as const), ms: fc.integer({ min: 1, max: 30 * hour }) }),
  )
}

const scenarioArb = organizationArb.chain((sketch) =>
  fc.tuple(
    fc.constant(sketch),
    fc.array(questionArb, { minLength: 1, maxLength: 3 }),
    fc.array(stepArb(sketch), { minLength: 1, maxLength: 5 }),
  ),
)

const admin = (org: Organization): User => org.users[0]!

const applyStep = async (org: Organization, step: Step): Promise<void> => {
  const { services, users } = org
  const unlessHidden = (error: unknown) => {
    if ((error as { code?: string }).code !== 'NRV_NOT_FOUND') throw error
  }
  switch (step.kind) {
    case 'manual':
      return void (await services.presence.setManual(users[step.person]!, {
        availability: step.availability,
      }))
    case 'settings': {
      const settings = withIds(step.settings, org.teamIds, new Map())
      return void (await services.privacy.setPrivacy(users[step.person]!, settings))
    }
    case 'team': {
      const teamId = org.teamIds.get(step.team)
      if (teamId === undefined) return
      const members = step.people.map((i) => users[i]!.address)
      return void (await services.groups.setMembers(admin(org), teamId, members))
    }
    case 'approve': {
      if (step.watcher === step.owner) return
      const [watcher, owner] = [users[step.watcher]!, users[step.owner]!]
      await services.subscriptions.subscribe(watcher, owner.address).catch(unlessHidden)
      return void (await services.privacy.approve(owner, watcher.address).catch(unlessHidden))
    }
    case 'policy':
      return void (await services.privacy.setOrganizationPolicy(admin(org), step.policy))
    case 'time':
      return void org.clock.advance(step.ms)
  }
}

/** The change channel's handlers run on later turns of the event loop. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

const selectionOf = (org: Organization, question: Question): MemberSelection | undefined => {
  if (question.team === undefined) return { addresses: org.users.map((u) => u.address) }
  const group = org.teamIds.get(question.team)
  return group === undefined ? undefined : { group }
}

const withoutSeq = (entries: readonly WhoEntry[]) => entries.map(({ seq: _seq, ...entry }) => entry)

/** Every page of the answer as sent, `limit` at a time, following the cursors. */
const allPages = async (
  org: Organization,
  asker: User,
  selection: MemberSelection,
  question: Question,
): Promise<WhoEntry[]> => {
  const entries: WhoEntry[] = []
  let cursor: string | undefined
  for (let pages = 0; pages <= org.users.length; pages++) {
    const page = await org.services.availability.whoPage(asker, selection, question.filter, {
      limit: question.limit,
      ...(cursor !== undefined ? { cursor } : {}),
    })
    // What the asker is sent is the page's text (shared with askers of the same page and class).
    const sent = JSON.parse(page.text.toString('utf8')) as WhoEntry[]
    expect(sent.map((e) => e.address)).toEqual(page.entries.map((e) => e.address))
    entries.push(...sent)
    expect(page.entries.length).toBeLessThanOrEqual(question.limit)
    if (page.next === undefined) return entries
    cursor = page.next
  }
  throw new Error('the pages never ended')
}

/**
 * Each asker's answer, whole and paged, against the one computed here afresh from their own views
 * (the policy engine for them, the one view function), with the groups and settings of now.
 */
const checkEveryAsker = async (org: Organization, question: Question): Promise<void> => {
  const selection = selectionOf(org, question)
  if (!selection) return
  const { availability, policies, clock } = org.services
  const settings = new Map(org.users.map((u) => [u.address, policies.settingsOf(u.address)]))
  for (const [i, asker] of org.users.entries()) {
    const members = new Set(await availability.members(asker, selection))
    const groups = policies.groupsOf(asker.address)
    const views = viewsOf(org, i, { groups, settings }).filter((e) => members.has(e.address))
    const fresh = expectedWho(views, question.filter, clock.now())
    expect(withoutSeq(await availability.who(asker, selection, question.filter))).toEqual(fresh)
    expect(withoutSeq(await allPages(org, asker, selection, question))).toEqual(fresh)
  }
}

/** A live query of every asker, and what each holds: the answer, then each change applied. */
const openLive = async (org: Organization, question: Question) => {
  const selection = selectionOf(org, question)
  if (!selection) return []
  return Promise.all(
    org.users.map(async (asker, i) => {
      const held = new Map<string, WhoEntry>()
      const opened = await org.services.liveWho.open(asker, selection, question.filter, (c) => {
        if (c.op === 'left') {
          expect(held.has(c.address)).toBe(true)
          held.delete(c.address)
        } else {
          const entry = changedEntry(c)
          expect(entry.address).toBe(c.address)
          expect(held.has(c.address)).toBe(c.op === 'changed')
          held.set(c.address, entry)
        }
      })
      for (const entry of entriesOf(opened)) held.set(entry.address, entry)
      return { i, asker, held, selection, question }
    }),
  )
}

type Live = Awaited<ReturnType<typeof openLive>>[number]

/** What a live query holds is what the asker's answer afresh would be (in any order). */
const checkLive = async (org: Organization, live: Live): Promise<void> => {
  const { availability, policies, clock } = org.services
  const settings = new Map(org.users.map((u) => [u.address, policies.settingsOf(u.address)]))
  const members = new Set(await availability.members(live.asker, live.selection))
  const groups = policies.groupsOf(live.asker.address)
  const views = viewsOf(org, live.i, { groups, settings }).filter((e) => members.has(e.address))
  const fresh = expectedWho(views, live.question.filter, clock.now())
  const byAddress = (a: { address: string }, b: { address: string }) =>
    a.address < b.address ? -1 : 1
  expect(withoutSeq([...live.held.values()]).sort(byAddress)).toEqual(fresh.sort(byAddress))
}

describe('the maintained who-is-available index, over the real services', () => {
  it(
    'a live query of every asker holds, after any changes, the answer computed afresh from their own views',
    async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, ([sketch, questions, steps]) =>
          inOrganization(sketch, async (org) => {
            const live = (await Promise.all(questions.map((q) => openLive(org, q)))).flat()
            for (const step of steps) {
              await applyStep(org, step)
              await settle()
              await org.services.liveWho.settled()
              for (const query of live) await checkLive(org, query)
            }
          }),
        ),
        runs,
      )
    },
    timeoutMs,
  )

  it(
    'after any changes, every asker’s answer, whole or paged, is the one computed afresh from their own views',
    async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, ([sketch, questions, steps]) =>
          inOrganization(sketch, async (org) => {
            for (const question of questions) await checkEveryAsker(org, question)
            for (const step of steps) {
              await applyStep(org, step)
              await settle()
              for (const question of questions) await checkEveryAsker(org, question)
            }
          }),
        ),
        runs,
      )
    },
    timeoutMs,
  )
})
