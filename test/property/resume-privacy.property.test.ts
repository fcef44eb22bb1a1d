// Properties of resuming a watch over the real services (fast-check): while a watcher is away, a
// presentity publishes at random (often enough to push its changes out of the history); a resume
// then sends nothing where the watcher's view never changed (so polite-block, "appear offline" and
// hidden changes look exactly like a person who stayed offline), and otherwise ends on the view now.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stopServices } from '../../src/app/services.js'
import type { WatcherSink } from '../../src/app/watching/watch-hub.js'
import type { Publication } from '../../src/core/model/presence-model.js'
import type { Permissions } from '../../src/core/policy/permissions.js'
import { permissionsArb, publicationArb } from '../support/arbitraries.js'
import { grantOf } from '../support/privacy-checks.js'
import { servicesWithAmyAndBob } from '../support/services-fixture.js'
import { t0 } from '../support/publications.js'

const settle = async () => {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve))
}

interface Message {
  readonly type: string
  readonly view?: unknown
}

const sinkOf = (address: string, organizationId: string) => {
  const received: Message[] = []
  const sink: WatcherSink = {
    watcher: { address, organizationId },
    send: (message) => received.push(JSON.parse(message) as Message),
  }
  return { sink, received }
}

const scenarioArb = fc.record({
  permissions: permissionsArb.map((p) => ({ ...p, offWork: false, contactMethodIds: [] })),
  before: fc.array(publicationArb(t0), { maxLength: 3 }),
  away: fc.array(
    fc.record({ publication: publicationArb(t0), elapse: fc.integer({ min: 0, max: 600_000 }) }),
    { maxLength: 24 },
  ),
})

type Scenario = {
  readonly permissions: Permissions
  readonly before: readonly Publication[]
  readonly away: readonly { readonly publication: Publication; readonly elapse: number }[]
}

/**
 * Bob watches Amy on two connections; one goes away at a cursor and resumes after Amy's changes,
 * the other stays and sees every change live. Returns what each received after the cursor.
 */
const run = async (scenario: Scenario) => {
  const { clock, errors, services, amy, bob } = await servicesWithAmyAndBob()
  const { permissions } = scenario
  await services.privacy.setPrivacy(amy, {
    rules: [
      {
        id: 'bob',
        conditions: { addresses: [bob.address] },
        subscription: permissions.subscription,
        grant: grantOf(permissions),
      },
    ],
    ...(permissions.appearOffline ? { appearOfflineTo: [bob.address] } : {}),
  })
  for (const publication of scenario.before) services.engine.publish(amy.address, publication)
  await settle()
  const live = sinkOf(bob.address, bob.organizationId)
  const away = sinkOf(bob.address, bob.organizationId)
  const watched = services.hub.watch(live.sink, amy.address)
  services.hub.watch(away.sink, amy.address)
  await settle()
  const cursor = services.engine.cursor
  const atCursor = live.received.at(-1)?.view
  services.hub.detach(away.sink)
  live.received.length = 0
  for (const { publication, elapse } of scenario.away) {
    clock.advance(elapse)
    services.engine.publish(amy.address, { ...publication, publishedAt: clock.now() })
    await settle()
  }
  away.received.length = 0
  services.hub.watch(away.sink, amy.address, { kind: 'resume', cursor })
  await settle()
  const result = { watched, atCursor, live: [...live.received], resumed: [...away.received] }
  await stopServices(services)
  expect(errors).toEqual([])
  return result
}

describe('resuming a watch', () => {
  it('sends nothing where the live view never changed, and else ends on the live view', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const { watched, atCursor, live, resumed } = await run(scenario)
        if (!watched) return
        if (live.length === 0) expect(resumed).toEqual([])
        const lastLive = live.at(-1)?.view ?? atCursor
        expect(resumed.at(-1)?.view ?? atCursor).toEqual(lastLive)
      }),
      { numRuns: 300 },
    )
  }, 120_000)

  it('a polite-blocked or appear-offline watcher gets nothing on resume, as for someone offline', async () => {
    const hiddenArb = fc.record({
      scenario: scenarioArb,
      polite: fc.boolean(),
    })
    await fc.assert(
      fc.asyncProperty(hiddenArb, async ({ scenario, polite }) => {
        const permissions: Permissions = polite
          ? { ...scenario.permissions, subscription: 'polite-block', appearOffline: false }
          : { ...scenario.permissions, subscription: 'allow', appearOffline: true }
        const hidden = await run({ ...scenario, permissions })
        const offline = await run({ ...scenario, before: [], away: [] })
        expect(hidden.resumed).toEqual([])
        expect(hidden.resumed).toEqual(offline.resumed)
      }),
      { numRuns: 150 },
    )
  }, 120_000)
})
