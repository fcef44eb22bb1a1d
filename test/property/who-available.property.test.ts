// Properties of team availability over the real services (fast-check): for random organizations,
// policies and presences, who-is-available is a pure function of the asker's own views, hidden
// people never look available or reachable, and no answer names a contact method the view hides.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { WhoEntry } from '../../src/app/availability/availability-service.js'
import { availabilities, contactKinds } from '../../src/core/model/presence-model.js'
import type { View } from '../../src/core/policy/compute-view.js'
import type { Permissions } from '../../src/core/policy/permissions.js'
import { checkReach } from '../../src/core/reach/check-reach.js'
import type { ReachFilter } from '../../src/core/reach/matches-reach-filter.js'
import { routeMessage, urgencies } from '../../src/core/reach/route-message.js'
import {
  methodAddress,
  organizationArb,
  personAddress,
  type OrganizationSketch,
} from '../support/arbitraries.js'
import {
  expectedWho,
  inOrganization,
  viewsOf,
  type Organization,
} from '../support/who-organization.js'

const runs = { numRuns: 200 }
const timeoutMs = 30_000

const withoutSeq = (entries: readonly WhoEntry[]) => entries.map(({ seq: _seq, ...entry }) => entry)

/** Offline to this asker because of a block, a polite block or "appear offline". */
const hiddenBy = (p: Permissions) =>
  p.subscription === 'block' ||
  p.subscription === 'polite-block' ||
  (p.subscription === 'allow' && p.appearOffline)

const everyone = (org: Organization) => ({ addresses: org.users.map((u) => u.address) })

const askerArb = (sketch: OrganizationSketch) =>
  fc.integer({ min: 0, max: sketch.people.length - 1 })
const kindArb = fc.constantFrom(...contactKinds)
const someAvailabilities = fc.subarray([...availabilities], { minLength: 1 })
/** No filter, one filter, or several at once (which rarely leave anyone). */
const filterArb: fc.Arbitrary<ReachFilter> = fc.oneof(
  fc.constant({}),
  { weight: 2, arbitrary: someAvailabilities.map((availability) => ({ availability })) },
  { weight: 2, arbitrary: kindArb.map((reachableBy) => ({ reachableBy })) },
  fc.boolean().map((insideWorkingHours) => ({ insideWorkingHours })),
  fc.constant({ availableForMeeting: true }),
  fc.record(
    {
      availability: someAvailabilities,
      reachableBy: kindArb,
      insideWorkingHours: fc.boolean(),
      availableForMeeting: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
)
/** Filters that ask for someone there: available (among others, never offline) or reachable. */
const presentFilterArb: fc.Arbitrary<ReachFilter> = fc.oneof(
  fc
    .subarray(availabilities.filter((a) => a !== 'offline' && a !== 'available'))
    .map((others) => ({ availability: ['available' as const, ...others] })),
  kindArb.map((reachableBy) => ({ reachableBy })),
  fc.constant({ availableForMeeting: true }),
)

/** A scenario and what is asked in it; the organization is built inside the property. */
const scenarioArb = <T>(question: (sketch: OrganizationSketch) => fc.Arbitrary<T>) =>
  organizationArb.chain((sketch) => fc.tuple(fc.constant(sketch), question(sketch)))

describe('who is available, over the real services', () => {
  it(
    'the answer is exactly the members whose own views pass the filter, in order, for everyone or a team',
    async () => {
      const question = (sketch: OrganizationSketch) =>
        fc.tuple(askerArb(sketch), filterArb, fc.constantFrom('team-a', 'team-b', 'team-c'))
      await fc.assert(
        fc.asyncProperty(scenarioArb(question), ([sketch, [askerIndex, filter, team]]) =>
          inOrganization(sketch, async (org) => {
            const { services, users } = org
            const asker = users[askerIndex]!
            const now = services.clock.now()
            const expected = viewsOf(org, askerIndex)
            for (const { address, permissions, view } of expected) {
              const individual = services.subscriptions.viewOf(asker, address)
              if (permissions.subscription === 'block') {
                await expect(individual).rejects.toMatchObject({ code: 'NRV_NOT_FOUND' })
              } else expect((await individual).view).toEqual(view)
            }
            const answer = await services.availability.who(asker, everyone(org), filter)
            expect(withoutSeq(answer)).toEqual(expectedWho(expected, filter, now))
            const teamId = org.teamIds.get(team)
            if (teamId === undefined) return
            const inTeam = new Set(
              users.filter((_, i) => sketch.people[i]!.teams.includes(team)).map((u) => u.address),
            )
            const byTeam = await services.availability.who(asker, { group: teamId }, filter)
            const teamExpected = expected.filter((e) => inTeam.has(e.address))
            expect(withoutSeq(byTeam)).toEqual(expectedWho(teamExpected, filter, now))
          }),
        ),
        runs,
      )
    },
    timeoutMs,
  )

  it(
    'someone blocking, polite-blocking or appearing offline to the asker is never listed as there, and reach and route read as offline',
    async () => {
      const question = (sketch: OrganizationSketch) => fc.tuple(askerArb(sketch), presentFilterArb)
      await fc.assert(
        fc.asyncProperty(scenarioArb(question), ([sketch, [askerIndex, filter]]) =>
          inOrganization(sketch, async (org) => {
            const { services, users } = org
            const asker = users[askerIndex]!
            const now = services.clock.now()
            const hidden = viewsOf(org, askerIndex).filter((e) => hiddenBy(e.permissions))
            const answer = await services.availability.who(asker, everyone(org), filter)
            const listed = answer.map((e) => e.address)
            for (const { address, view, priority } of hidden) {
              expect(listed).not.toContain(address)
              // A stranger's view of someone really offline: the name and nothing else.
              const offline: View = {
                address,
                displayName: view.displayName!,
                availability: 'offline',
              }
              for (const kind of contactKinds) {
                const { answer: reach } = await services.availability.reach(asker, address, kind)
                expect(reach).toMatchObject({ reachable: false, reason: 'offline' })
                expect(reach).toStrictEqual(checkReach(offline, kind, { now, priority }))
              }
              for (const urgency of urgencies) {
                const { answer: route } = await services.availability.route(asker, address, urgency)
                expect(route).toStrictEqual(routeMessage(offline, urgency, { now, priority }))
              }
            }
          }),
        ),
        runs,
      )
    },
    timeoutMs,
  )

  it(
    'no entry, reason, best method, route or pick names a contact method the asker’s view hides',
    async () => {
      const question = (sketch: OrganizationSketch) => fc.tuple(askerArb(sketch), filterArb)
      await fc.assert(
        fc.asyncProperty(scenarioArb(question), ([sketch, [askerIndex, filter]]) =>
          inOrganization(sketch, async (org) => {
            const { services, users } = org
            const asker = users[askerIndex]!
            const hiddenMethods = viewsOf(org, askerIndex).flatMap(({ address, view }) => {
              const index = users.findIndex((u) => u.address === address)
              const shown = new Set((view.contactMethods ?? []).map((m) => m.address))
              return sketch.people[index]!.contactMethods.map((m, k) =>
                methodAddress(index, k, m.kind),
              ).filter((method) => !shown.has(method))
            })
            const { availability } = services
            const answers: unknown[] = [
              await availability.who(asker, everyone(org), filter),
              await availability.who(asker, everyone(org), {}),
            ]
            for (const { address } of users.filter((u) => u !== asker)) {
              for (const kind of contactKinds)
                answers.push(await availability.reach(asker, address, kind))
              for (const urgency of urgencies)
                answers.push(await availability.route(asker, address, urgency))
            }
            for (const kind of contactKinds) {
              answers.push(await availability.pick(asker, { ...everyone(org), key: 'all' }, kind))
            }
            const serialized = JSON.stringify(answers)
            for (const method of hiddenMethods) expect(serialized).not.toContain(method)
          }),
        ),
        runs,
      )
    },
    timeoutMs,
  )

  it(
    'pick picks only someone whose view is available and reachable by the kind, spreads picks, and picks when anyone is',
    async () => {
      // Mostly kinds people are reachable by without a ringing device, so that someone is free.
      const pickKindArb = fc.oneof(fc.constantFrom('im' as const, 'email' as const), kindArb)
      const question = (sketch: OrganizationSketch) => fc.tuple(askerArb(sketch), pickKindArb)
      await fc.assert(
        fc.asyncProperty(scenarioArb(question), ([sketch, [askerIndex, kind]]) =>
          inOrganization(sketch, async (org) => {
            const { services, users } = org
            const asker = users[askerIndex]!
            const now = services.clock.now()
            const free = viewsOf(org, askerIndex)
              .filter((e) => e.view.availability === 'available')
              .filter((e) => checkReach(e.view, kind, { now, priority: e.priority }).reachable)
              .map((e) => e.address)
            const picks: string[] = []
            for (let round = 0; round < 3; round++) {
              const result = await services.availability.pick(
                asker,
                { ...everyone(org), key: 'all' },
                kind,
              )
              if (free.length === 0) {
                expect(result.picked).toBeUndefined()
                continue
              }
              expect(result.candidates).toBe(free.length)
              expect(free).toContain(result.picked?.address)
              picks.push(result.picked!.address)
            }
            // Nobody is picked twice before everyone free was picked once.
            const firstRound = picks.slice(0, free.length)
            expect(new Set(firstRound).size).toBe(firstRound.length)
          }),
        ),
        runs,
      )
    },
    timeoutMs,
  )

  it(
    'someone whose policy blocks an asker of another organization answers that asker as an address nobody has',
    async () => {
      await fc.assert(
        fc.asyncProperty(organizationArb, kindArb, (sketch, kind) =>
          inOrganization(sketch, async (org) => {
            const { services, users, outsider } = org
            const now = services.clock.now()
            const nobody = personAddress(99)
            for (const { address } of users) {
              const profile = services.profiles.get(address)!
              if (services.policies.permissionsFor(outsider, profile, now).subscription !== 'block')
                continue
              expect(await services.availability.who(outsider, { addresses: [address] })).toEqual(
                [],
              )
              const reach = services.availability.reach(outsider, address, kind)
              await expect(reach).rejects.toMatchObject({ code: 'NRV_NOT_FOUND' })
              const pick = await services.availability.pick(
                outsider,
                { addresses: [address], key: 'k' },
                kind,
              )
              expect(pick).toEqual(
                await services.availability.pick(outsider, { addresses: [nobody], key: 'k' }, kind),
              )
            }
          }),
        ),
        runs,
      )
    },
    timeoutMs,
  )
})
