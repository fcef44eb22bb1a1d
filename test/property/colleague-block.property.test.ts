// A colleague's block reads as polite-block, everywhere (docs/privacy.md, "Decisions"): over the real
// services, for random grants, contact methods and presences, every answer a colleague gets under
// `block` is the one it gets under `polite-block`, and another organization's watcher gets under
// `block` exactly what an address nobody has gets.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { NarvaroServices } from '../../src/app/services.js'
import { isNarvaroError } from '../../src/core/errors.js'
import { availabilities, contactKinds } from '../../src/core/model/presence-model.js'
import type { SubscriptionHandling } from '../../src/core/policy/permissions.js'
import type { PersonalSettings } from '../../src/core/policy/policy-model.js'
import { urgencies } from '../../src/core/reach/route-message.js'
import type { User } from '../../src/ports/store.js'
import { hour } from '../support/publications.js'
import { withAmyBobAndEve } from '../support/services-fixture.js'

const runs = { numRuns: 40 }
const timeoutMs = 60_000

const scenarioArb = fc.record({
  methods: fc.array(fc.constantFrom(...contactKinds), { maxLength: 3 }),
  availability: fc.option(fc.constantFrom(...availabilities.filter((a) => a !== 'offline'))),
  grant: fc.record({
    note: fc.boolean(),
    lastSeen: fc.boolean(),
    freeBusy: fc.boolean(),
    contactScopes: fc.constantFrom([], ['work'] as const),
  }),
  kind: fc.constantFrom(...contactKinds),
  urgency: fc.constantFrom(...urgencies),
})
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never

/** An answer as data: a value, or the error's code and message with the address made generic. */
const outcome = async (address: string, run: () => Promise<unknown>): Promise<unknown> => {
  try {
    return JSON.parse(JSON.stringify(await run()).replaceAll(address, '<address>'))
  } catch (error) {
    if (!isNarvaroError(error)) throw error
    return { code: error.code, message: error.message.replaceAll(address, '<address>') }
  }
}

/** Everything `watcher` can ask about `address`: each service a transport answers from. */
const answers = async (services: NarvaroServices, watcher: User, address: string, s: Scenario) => {
  const party = { address: watcher.address, organizationId: watcher.organizationId }
  const now = services.clock.now()
  const ask = (run: () => Promise<unknown>) => outcome(address, run)
  const result = {
    subscribe: await ask(async () => {
      const { createdAt: _c, ...rest } = await services.subscriptions.subscribe(watcher, address)
      return rest
    }),
    presence: await ask(() => services.subscriptions.viewOf(watcher, address)),
    reach: await ask(() => services.availability.reach(party, address, s.kind)),
    route: await ask(() => services.availability.route(party, address, s.urgency)),
    who: await ask(() => services.availability.who(party, { addresses: [address] })),
    pick: await ask(() =>
      services.availability.pick(party, { addresses: [address], key: 'k' }, s.kind),
    ),
    notify: await ask(async () => {
      const {
        id,
        createdAt: _c,
        ...rest
      } = await services.notify.create(party, address, now + hour)
      services.notify.cancel(watcher.address, id)
      return rest
    }),
    freeBusy: await ask(() =>
      services.schedules.freeBusy(party, address, { from: now, to: now + hour }),
    ),
  }
  await services.subscriptions.unsubscribe(watcher, address).catch(() => undefined)
  return result
}

const settingsFor = (
  watcher: string,
  handling: SubscriptionHandling,
  s: Scenario,
): PersonalSettings => ({
  rules: [
    {
      id: 'r',
      conditions: { addresses: [watcher] },
      subscription: handling,
      grant: { ...s.grant, contactScopes: [...s.grant.contactScopes] },
    },
  ],
})

const inServices = withAmyBobAndEve

const furnish = async (services: NarvaroServices, amy: User, s: Scenario) => {
  await services.users.replaceContactMethods(
    amy,
    s.methods.map((kind, rank) => ({
      kind,
      address: `amy-${rank}@acme.example`,
      rank,
      scope: 'work' as const,
    })),
  )
  if (s.availability !== null) {
    await services.presence.publishSource(
      amy,
      { id: 'laptop', kind: 'device' },
      { availability: s.availability },
    )
  }
}

describe('a blocked watcher, over the real services', () => {
  it(
    "a colleague's block is answered exactly like polite-block, by every service",
    () =>
      fc.assert(
        fc.asyncProperty(scenarioArb, (s) =>
          inServices(async ({ services, amy, bob }) => {
            await furnish(services, amy, s)
            await services.privacy.setPrivacy(amy, settingsFor(bob.address, 'block', s))
            const blocked = await answers(services, bob, amy.address, s)
            await services.privacy.setPrivacy(amy, settingsFor(bob.address, 'polite-block', s))
            const politelyBlocked = await answers(services, bob, amy.address, s)
            expect(blocked).toEqual(politelyBlocked)
            expect(blocked.subscribe).toMatchObject({
              state: 'active',
              view: { availability: 'offline' },
            })
          }),
        ),
        runs,
      ),
    timeoutMs,
  )

  it(
    "another organization's blocked watcher is answered as for an address nobody has",
    () =>
      fc.assert(
        fc.asyncProperty(scenarioArb, (s) =>
          inServices(async ({ services, amy, eve }) => {
            await furnish(services, amy, s)
            await services.privacy.setPrivacy(amy, settingsFor(eve.address, 'block', s))
            const blocked = await answers(services, eve, amy.address, s)
            const nobody = await answers(services, eve, 'nobody@acme.example', s)
            expect(blocked).toEqual(nobody)
            expect(blocked.presence).toMatchObject({ code: 'NRV_NOT_FOUND' })
          }),
        ),
        runs,
      ),
    timeoutMs,
  )
})
