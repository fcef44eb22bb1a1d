// Hidden looks exactly like missing (issue 13): over the real services, for random personal rules,
// ceilings and approvals, whenever policy hides a presentity from an asker (`isHiddenFrom`), every
// service answers about it exactly as about an address nobody has (code, status, and message with
// the address taken out), and every such answer is the one `presentityNotFound` reply.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { NarvaroServices } from '../../src/app/services.js'
import { isNarvaroError } from '../../src/core/errors.js'
import { isHiddenFrom, presentityNotFound } from '../../src/core/subscriptions/hidden-presentity.js'
import { subscriptionHandlings } from '../../src/core/policy/permissions.js'
import type { PersonalRule, PersonalSettings } from '../../src/core/policy/policy-model.js'
import { defaultOrganizationPolicy } from '../../src/core/policy/policy-model.js'
import type { User } from '../../src/ports/store.js'
import { permissionsArb } from '../support/arbitraries.js'
import { grantOf } from '../support/privacy-checks.js'
import { hour } from '../support/publications.js'
import { withAmyBobAndEve } from '../support/services-fixture.js'

const runs = { numRuns: 30 }
const timeoutMs = 120_000
const nobody = 'nobody@acme.example'

type Asker = 'bob' | 'eve'

const conditionsArb = (asker: string) =>
  fc.oneof(
    fc.constant({ everyone: true }),
    fc.constant({ ownOrganization: true }),
    fc.constant({ addresses: [asker] }),
    fc.constant({ domains: ['beta.example'] }),
    fc.constant({ everyone: true, except: [asker] }),
  )

const ruleArb = (asker: string): fc.Arbitrary<PersonalRule> =>
  fc
    .record({ conditions: conditionsArb(asker), permissions: permissionsArb, id: fc.nat(99) })
    .map(({ conditions, permissions, id }) => ({
      id: `r${id}`,
      conditions,
      subscription: permissions.subscription,
      grant: grantOf(permissions),
    }))

const scenarioArb = fc.constantFrom<Asker>('bob', 'eve').chain((asker) => {
  const address = `${asker}@${asker === 'bob' ? 'acme' : 'beta'}.example`
  return fc.record({
    asker: fc.constant(asker),
    rules: fc.option(fc.uniqueArray(ruleArb(address), { maxLength: 3, selector: (r) => r.id })),
    appearOffline: fc.boolean(),
    approved: fc.boolean(),
    externalCeiling: fc.constantFrom(...subscriptionHandlings),
  })
})
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never

/** An answer as data: a value, or the error's code, status and message with the address made generic. */
const outcome = async (address: string, run: () => Promise<unknown>): Promise<unknown> => {
  try {
    return {
      value: JSON.parse(JSON.stringify(await run()).replaceAll(address, '<address>')) as unknown,
    }
  } catch (error) {
    if (!isNarvaroError(error)) throw error
    return {
      code: error.code,
      status: error.status,
      message: error.message.replaceAll(address, '<address>'),
    }
  }
}

/** What `asker` is answered about `address` by each service a transport answers from. */
const answers = async (services: NarvaroServices, asker: User, address: string) => {
  const party = { address: asker.address, organizationId: asker.organizationId }
  const now = services.clock.now()
  const ask = (run: () => Promise<unknown>) => outcome(address, run)
  return {
    viewOf: await ask(() => services.subscriptions.viewOf(asker, address)),
    subscribe: await ask(() => services.subscriptions.subscribe(asker, address)),
    unsubscribe: await ask(() => services.subscriptions.unsubscribe(asker, address)),
    freeBusy: await ask(() =>
      services.schedules.freeBusy(party, address, { from: now, to: now + hour }),
    ),
    reach: await ask(() => services.availability.reach(party, address, 'im')),
    route: await ask(() => services.availability.route(party, address, 'normal')),
    who: await ask(() => services.availability.who(party, { addresses: [address] })),
    notify: await ask(() => services.notify.create(party, address, now + hour)),
    webhook: await ask(() =>
      services.webhooks.create(asker, {
        url: 'https://hooks.example/in',
        addresses: [address],
        events: ['presence'],
      }),
    ),
  }
}

const inServices = withAmyBobAndEve

const settingsOf = (s: Scenario, asker: string): PersonalSettings => ({
  ...(s.rules === null ? {} : { rules: s.rules }),
  ...(s.appearOffline ? { appearOfflineTo: [asker] } : {}),
})

describe('a hidden presentity, over the real services', () => {
  it(
    'is answered by every service exactly as an address nobody has, with the one not-found reply',
    () =>
      fc.assert(
        fc.asyncProperty(scenarioArb, (s) =>
          inServices(async ({ services, amy, bob, eve }) => {
            const asker = s.asker === 'bob' ? bob : eve
            services.policies.setPolicy(amy.organizationId, {
              ...defaultOrganizationPolicy,
              externalCeiling: {
                ...defaultOrganizationPolicy.externalCeiling,
                subscription: s.externalCeiling,
              },
            })
            await services.privacy.setPrivacy(amy, settingsOf(s, asker.address))
            if (s.approved) services.policies.setApproved(amy.address, asker.address, true)
            const profile = (await services.profiles.ensure(amy.address))!
            const party = { address: asker.address, organizationId: asker.organizationId }
            const hidden = isHiddenFrom(
              services.policies.permissionsFor(party, profile, services.clock.now()),
            )
            // A colleague's block reads as polite-block: a colleague is never hidden from.
            if (asker === bob) expect(hidden).toBe(false)
            if (!hidden) {
              await expect(services.subscriptions.viewOf(asker, amy.address)).resolves.toBeDefined()
              return
            }
            const aboutAmy = await answers(services, asker, amy.address)
            const aboutNobody = await answers(services, asker, nobody)
            expect(aboutAmy).toEqual(aboutNobody)
            const reply = presentityNotFound('<address>')
            const notFound = { code: reply.code, status: 404, message: reply.message }
            const { who, ...asked } = aboutAmy
            expect(who).toEqual({ value: [] })
            for (const answer of Object.values(asked)) expect(answer).toEqual(notFound)
          }),
        ),
        runs,
      ),
    timeoutMs,
  )

  it(
    "another organization's person is answered as nobody by the directory, contact lists and teams",
    () =>
      inServices(async ({ services, eve }) => {
        const amy = 'amy@acme.example'
        const generic = (address: string) => async (run: () => Promise<unknown>) =>
          outcome(address, run)
        const askBoth = async (run: (address: string) => Promise<unknown>) => [
          await generic(amy)(() => run(amy)),
          await generic(nobody)(() => run(nobody)),
        ]
        const reply = presentityNotFound('<address>')
        const notFound = { code: reply.code, status: 404, message: reply.message }
        for (const [aboutAmy, aboutNobody] of [
          await askBoth((address) => services.directory.entry(eve, address)),
          await askBoth((address) => services.directory.setFields(eve, address, { tags: ['x'] })),
          await askBoth((address) => services.contactLists.create(eve, `l-${address}`, [address])),
        ]) {
          expect(aboutAmy).toEqual(aboutNobody)
          expect(aboutAmy).toEqual(notFound)
        }
      }),
    timeoutMs,
  )
})
