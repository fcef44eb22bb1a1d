// Properties of live watching across policy changes, over the real services (fast-check): for random
// interleavings of publications, changes of a person's rule for a watcher (valid for a while, or
// always) and the passing of time across those validities and the usable hours of a contact method,
// every message the watcher receives carries only what the permissions in force when it is sent
// allow, a watcher that becomes blocked receives nothing more, and the last view is the current one.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stopServices } from '../../src/app/services.js'
import type { WatcherSink } from '../../src/app/watching/watch-hub.js'
import { connectionBound } from '../../src/core/aggregation/presentity.js'
import type { Publication } from '../../src/core/model/presence-model.js'
import { computeView, type View } from '../../src/core/policy/compute-view.js'
import type { Permissions } from '../../src/core/policy/permissions.js'
import { permissionsArb, publicationArb } from '../support/arbitraries.js'
import { checkReceived, grantOf, type ReceivedView } from '../support/privacy-checks.js'
import { servicesWithAmyAndBob } from '../support/services-fixture.js'
import { t0 } from '../support/publications.js'

interface Rule {
  readonly permissions: Permissions
  readonly validFrom?: number
  readonly validUntil?: number
}

type Step =
  | { readonly kind: 'publish'; readonly publication: Publication }
  | { readonly kind: 'rule'; readonly rule: Rule }
  | { readonly kind: 'time'; readonly ms: number }

const halfHour = 30 * 60_000
/** Where validities and usable hours begin and end: 09:30 or 10:00 on Monday (t0 is 09:00 UTC). */
const boundaryArb = fc.integer({ min: 1, max: 2 }).map((n) => t0 + n * halfHour)
const clockOf = (at: number) => new Date(at).toISOString().slice(11, 16)

const rulePermissionsArb = permissionsArb.map((p) => ({
  ...p,
  appearOffline: false,
  offWork: false,
  contactMethodIds: [],
}))

const ruleArb: fc.Arbitrary<Rule> = fc
  .record(
    { permissions: rulePermissionsArb, validFrom: boundaryArb, validUntil: boundaryArb },
    { requiredKeys: ['permissions'] },
  )
  .filter(
    (r) => r.validFrom === undefined || r.validUntil === undefined || r.validFrom < r.validUntil,
  )

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  publicationArb(t0).map((publication) => ({ kind: 'publish' as const, publication })),
  ruleArb.map((rule) => ({ kind: 'rule' as const, rule })),
  fc
    .oneof(fc.constant(halfHour), fc.integer({ min: 1, max: 2 * halfHour }))
    .map((ms) => ({ kind: 'time' as const, ms })),
)

const settle = async () => {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve))
}

const run = async (args: { initial: Rule; chatUntil: number; steps: readonly Step[] }) => {
  const { store, clock, errors, services, amy, bob } = await servicesWithAmyAndBob()
  // Amy's work chat is usable until a boundary: the view of it changes with time alone.
  await store.replaceContactMethods(amy.id, [
    {
      id: 'chat',
      kind: 'im',
      address: amy.address,
      rank: 1,
      scope: 'work',
      hours: [{ days: ['mon'], start: '09:00', end: clockOf(args.chatUntil) }],
    },
  ])
  await services.profiles.refresh(amy)
  // Online on a laptop that takes chat, so the chat's usable hours show in the view.
  services.engine.publish(amy.address, {
    source: { id: 'desk', kind: 'device' },
    state: { availability: 'available', device: { capabilities: ['im'] } },
    publishedAt: t0,
    expiresAt: connectionBound,
  })
  const setRule = ({ permissions, validFrom, validUntil }: Rule) =>
    services.privacy.setPrivacy(amy, {
      rules: [
        {
          id: 'bob',
          conditions: {
            addresses: [bob.address],
            ...(validFrom === undefined ? {} : { validFrom }),
            ...(validUntil === undefined ? {} : { validUntil }),
          },
          subscription: permissions.subscription,
          grant: grantOf(permissions),
        },
      ],
    })
  const permissionsNow = () =>
    services.policies.permissionsFor(bob, services.profiles.get(amy.address)!, clock.now())
  await setRule(args.initial)
  const received: ReceivedView[] = []
  const sink: WatcherSink = {
    watcher: { address: bob.address, organizationId: bob.organizationId },
    send: (message) => {
      const parsed = JSON.parse(message) as { type: string; view?: View }
      received.push({ type: parsed.type, view: parsed.view, permissions: permissionsNow() })
    },
  }
  if (services.hub.watch(sink, amy.address)) {
    for (const step of args.steps) {
      if (step.kind === 'publish') services.engine.publish(amy.address, step.publication)
      else if (step.kind === 'rule') await setRule(step.rule)
      else clock.advance(step.ms)
      await settle()
    }
    checkReceived(received, () => {
      const snapshot = services.engine.snapshot(amy.address)!
      return computeView({ ...snapshot, permissions: permissionsNow(), now: clock.now() })
    })
  } else {
    expect(permissionsNow().subscription).toBe('block')
  }
  await stopServices(services)
  await store.close()
  expect(errors).toEqual([])
}

describe('live watching across policy changes', () => {
  it('every message carries only what the permissions in force when it is sent allow', async () => {
    await fc.assert(
      fc.asyncProperty(
        ruleArb,
        boundaryArb,
        fc.array(stepArb, { maxLength: 12 }),
        (initial, chatUntil, steps) => run({ initial, chatUntil, steps }),
      ),
      { numRuns: 600 },
    )
  }, 120_000)
})
