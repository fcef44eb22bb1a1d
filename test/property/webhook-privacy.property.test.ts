// Properties of webhooks out over the real services (fast-check): for random personal rules and random
// publications, a webhook of a watcher receives exactly the view that watcher has, so nothing the
// watcher's policy hides ever reaches the watcher's webhook.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WebhookService } from '../../src/app/webhooks/webhook-service.js'
import { isNarvaroError } from '../../src/core/errors.js'
import type { Publication } from '../../src/core/model/presence-model.js'
import { computeView, type View } from '../../src/core/policy/compute-view.js'
import type { Permissions } from '../../src/core/policy/permissions.js'
import { permissionsArb, publicationsArb } from '../support/arbitraries.js'
import { grantOf, withheld } from '../support/privacy-checks.js'
import { servicesWithAmyAndBob } from '../support/services-fixture.js'
import { t0 } from '../support/publications.js'

const settle = async () => {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve))
}

const run = async (input: {
  permissions: Permissions
  first: readonly Publication[]
  then: readonly Publication[]
}) => {
  const { store, clock, errors, services, amy, bob } = await servicesWithAmyAndBob()
  const rule = {
    id: 'bob',
    conditions: { addresses: [bob.address] },
    subscription: input.permissions.subscription,
    grant: grantOf(input.permissions),
  }
  await services.privacy.setPrivacy(amy, { rules: [rule] })
  for (const p of input.first) services.engine.publish(amy.address, p)
  const bodies: string[] = []
  const webhooks = new WebhookService({
    store,
    hub: services.hub,
    profiles: services.profiles,
    policies: services.policies,
    clock,
    onError: (e) => errors.push(e),
    post: async ({ body }) => {
      bodies.push(body)
      return 204
    },
  })
  try {
    await webhooks.create(bob, {
      url: 'https://hooks.example/in',
      addresses: [amy.address],
      events: ['presence'],
    })
  } catch (error) {
    // A blocked watcher cannot watch at all: it gets nothing, the same answer as for nobody.
    if (!isNarvaroError(error) || error.code !== 'NRV_NOT_FOUND') throw error
    expect(input.permissions.subscription).toBe('block')
    return
  }
  await settle()
  for (const p of input.then) services.engine.publish(amy.address, p)
  await settle()
  const snapshot = services.engine.snapshot(amy.address)!
  const permissions = services.policies.permissionsFor(bob, snapshot.profile, clock.now())
  const expected = computeView({ ...snapshot, permissions, now: clock.now() })
  const views = bodies.map((b) => (JSON.parse(b) as { data: { view?: View } }).data.view)
  expect(views.length).toBeGreaterThan(0)
  for (const view of views) expect(withheld(view!, permissions)).toEqual([])
  expect(views.at(-1)).toEqual(JSON.parse(JSON.stringify(expected)))
  await webhooks.close()
  services.hub.close()
  await store.close()
  expect(errors).toEqual([])
}

describe('webhook privacy', () => {
  it("a watcher's webhook gets exactly the watcher's view: nothing policy hides reaches it", async () => {
    await fc.assert(
      fc.asyncProperty(
        permissionsArb.map((p) => ({
          ...p,
          appearOffline: false,
          offWork: false,
          contactMethodIds: [],
        })),
        publicationsArb(t0, 4),
        publicationsArb(t0, 4),
        (permissions, first, then) => run({ permissions, first, then }),
      ),
      { numRuns: 60 },
    )
  }, 60_000)
})
