// Properties of live "who is available" queries over the real services (fast-check): for a random
// privacy rule of a member towards the asker and random presences, the joins, changes and leaves
// rebuild exactly the answer the asker would get now; a `changed` comes only when the entry really
// differs; a change the rule hides sends nothing; and no entry ever carries what the rule hides.
// An example besides: someone of another organization who comes to block the asker leaves.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InProcessChangeBus } from '../../src/adapters/bus/in-process/in-process-bus.js'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import { openSqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js'
import type { WhoEntry } from '../../src/app/availability/availability-service.js'
import type { WhoChange } from '../../src/app/availability/live-who.js'
import type { NarvaroServices } from '../../src/app/services.js'
import { createServices, stopServices } from '../../src/app/services.js'
import { noPasswordHash } from '../../src/app/shared/no-password.js'
import type { Availability } from '../../src/core/model/presence-model.js'
import type { SubscriptionHandling } from '../../src/core/policy/permissions.js'
import type { Grant } from '../../src/core/policy/policy-model.js'
import type { ReachFilter } from '../../src/core/reach/matches-reach-filter.js'
import type { User } from '../../src/ports/store.js'
import { defaultConfig } from '../../src/server/config.js'
import { t0 } from '../support/publications.js'
import { changedEntry, entriesOf } from '../support/live-who.js'

const ann = 'ann@acme.example'
const max = 'max@acme.example'

/** What Max publishes at one step: each field a small choice, so steps often repeat one another. */
interface Step {
  readonly availability: Exclude<Availability, 'offline'>
  readonly note?: string
  readonly mood?: string
  readonly place?: string
  readonly timeZone?: string
  readonly inACall: boolean
}

/** The fields a grant may hide, with the values a step may take (each one unique text). */
const hideable = {
  note: ['note-alpha', 'note-beta'],
  mood: ['mood-gamma', 'mood-delta'],
  place: ['place-epsilon', 'place-zeta'],
  timeZone: ['Pacific/Chatham', 'Asia/Kathmandu'],
} as const
type Hideable = keyof typeof hideable

const stepArb: fc.Arbitrary<Step> = fc.record(
  {
    availability: fc.constantFrom('available', 'busy', 'away', 'do-not-disturb', 'be-right-back'),
    note: fc.constantFrom(...hideable.note),
    mood: fc.constantFrom(...hideable.mood),
    place: fc.constantFrom(...hideable.place),
    timeZone: fc.constantFrom(...hideable.timeZone),
    inACall: fc.boolean(),
  },
  { requiredKeys: ['availability', 'inACall'] },
)

/** A step, or one that changes only fields the grant hides (`hidden` says so). */
const stepsArb = fc.array(fc.tuple(stepArb, fc.boolean()), { minLength: 1, maxLength: 8 })

const grantArb: fc.Arbitrary<Grant> = fc.record({
  activities: fc.boolean(),
  note: fc.boolean(),
  mood: fc.boolean(),
  place: fc.boolean(),
  timeZone: fc.boolean(),
})

/** Mostly `allow`: the blocks are short runs (nothing is ever sent). */
const handlingArb = fc.oneof(
  { arbitrary: fc.constant<SubscriptionHandling>('allow'), weight: 4 },
  { arbitrary: fc.constantFrom<SubscriptionHandling>('polite-block', 'block'), weight: 1 },
)

const filterArb: fc.Arbitrary<ReachFilter> = fc.oneof(
  fc.constant({}),
  fc.record({
    availability: fc.subarray(['available', 'busy', 'away', 'offline'] as Availability[], {
      minLength: 1,
    }),
  }),
)

/** `next` with every field the grant shows taken from `previous`: only hidden fields change. */
const hiddenOnly = (previous: Step, next: Step, grant: Grant): Step => {
  const kept: Record<string, unknown> = { ...next, availability: previous.availability }
  kept['inACall'] = previous.inACall
  for (const field of Object.keys(hideable) as Hideable[]) {
    if (grant[field]) kept[field] = previous[field]
  }
  return kept as unknown as Step
}

const newServices = async () => {
  const store = await openSqliteStore({ file: ':memory:' })
  await store.migrate()
  const errors: unknown[] = []
  const services = createServices({
    store,
    bus: new InProcessChangeBus(),
    clock: new FixedClock(t0),
    // Many publications of one source in the same instant of the fixed clock.
    settings: { ...defaultConfig, publicationsPerSecond: 1_000 },
    onError: (e) => errors.push(e),
  })
  const acme = await store.createOrganization({
    domain: 'acme.example',
    name: 'acme',
    createdAt: t0,
  })
  const admin = await store.createUser({
    organizationId: acme.id,
    address: 'admin@acme.example',
    displayName: 'Admin',
    role: 'admin',
    timeZone: 'UTC',
    passwordHash: noPasswordHash,
    createdAt: t0,
  })
  const rows = [ann, max].map((address) => ({
    address,
    displayName: address.slice(0, 3),
    timeZone: 'UTC',
    teams: ['team'],
  }))
  const report = await services.directory.import(admin, { rows }, { dryRun: false })
  expect(report.problems).toEqual([])
  const teamId = (await services.groups.list(admin)).find((g) => g.name === 'team')!.id
  const [asker, member] = await Promise.all(rows.map((r) => services.users.get(admin, r.address)))
  return { services, store, errors, teamId, asker: asker!, member: member! }
}

const stop = async (services: NarvaroServices): Promise<void> => {
  await stopServices(services)
  await services.store.close()
}

const publish = async (services: NarvaroServices, member: User, step: Step): Promise<void> => {
  const { inACall, note, ...rest } = step
  await services.presence.publishSource(
    member,
    { id: 'desk', kind: 'device' },
    {
      ...rest,
      ...(note !== undefined ? { note: { text: note } } : {}),
      activities: inACall ? [{ kind: 'in-a-call' }] : [],
      device: { capabilities: ['im'] },
    },
  )
  // Presence changes reach the live query through the bus: let it deliver.
  await new Promise((resolve) => setImmediate(resolve))
}

const withoutSeq = ({ seq: _seq, ...entry }: WhoEntry) => entry

/** What of a step the grant hides must never be in an entry Ann is sent. */
const hiddenValues = (step: Step, grant: Grant, handling: SubscriptionHandling): string[] => {
  const hidden = (Object.keys(hideable) as Hideable[]).filter(
    (field) => handling !== 'allow' || !grant[field],
  )
  const values = hidden.flatMap((field) => (step[field] === undefined ? [] : [step[field]]))
  return handling !== 'allow' || !grant.activities ? [...values, 'in-a-call'] : values
}

describe('live who queries, over the real services', () => {
  it('joins, changes and leaves rebuild the answer; a hidden change sends nothing; nothing hidden is sent', async () => {
    await fc.assert(
      fc.asyncProperty(
        grantArb,
        handlingArb,
        filterArb,
        stepArb,
        stepsArb,
        async (grant, handling, filter, first, steps) => {
          const { services, errors, teamId, asker, member } = await newServices()
          try {
            await services.privacy.setPrivacy(member, {
              rules: [
                { id: 'ann', conditions: { addresses: [ann] }, subscription: handling, grant },
              ],
              shareOutsideWorkingHours: true,
            })
            await publish(services, member, first)
            const sent: WhoChange[] = []
            const opened = await services.liveWho.open(asker, { group: teamId }, filter, (c) =>
              sent.push(c),
            )
            // What Ann holds of Max: the answer, then each change applied.
            let held = entriesOf(opened).find((e) => e.address === max)
            let previous = first
            const published = [first]
            for (const [raw, hidden] of steps) {
              const step = hidden ? hiddenOnly(previous, raw, grant) : raw
              const before = sent.length
              await publish(services, member, step)
              published.push(step)
              const now = sent.slice(before)
              // A change of hidden fields only, or any change of someone shown as a bare offline,
              // sends nothing.
              if (hidden || handling !== 'allow') expect(now).toEqual([])
              for (const change of now) {
                if (change.op === 'left') {
                  expect(held).toBeDefined()
                  held = undefined
                  continue
                }
                expect(change.op).toBe(held === undefined ? 'joined' : 'changed')
                // Only a real difference of what Ann sees is sent.
                const entry = changedEntry(change)
                expect(entry.address).toBe(change.address)
                if (held) expect(withoutSeq(entry)).not.toEqual(withoutSeq(held))
                held = entry
              }
              const current = services.availability.entryOf(asker, max)
              const inside =
                current !== undefined && services.availability.matches(asker, current, filter)
              expect(held && withoutSeq(held)).toEqual(inside ? withoutSeq(current) : undefined)
              previous = step
            }
            const everything = JSON.stringify([entriesOf(opened), sent])
            for (const step of published)
              for (const value of hiddenValues(step, grant, handling))
                expect(everything).not.toContain(value)
            expect(errors).toEqual([])
          } finally {
            await stop(services)
          }
        },
      ),
      { numRuns: 60 },
    )
  }, 60_000)

  it('someone of another organization who comes to block the asker leaves, and joins again when allowed', async () => {
    const { services, store, errors, asker } = await newServices()
    try {
      const beta = await store.createOrganization({
        domain: 'beta.example',
        name: 'beta',
        createdAt: t0,
      })
      const eve = await store.createUser({
        organizationId: beta.id,
        address: 'eve@beta.example',
        displayName: 'Eve',
        role: 'member',
        timeZone: 'UTC',
        passwordHash: noPasswordHash,
        createdAt: t0,
      })
      const rule = (subscription: SubscriptionHandling) =>
        services.privacy.setPrivacy(eve, {
          rules: [{ id: 'ann', conditions: { addresses: [ann] }, subscription, grant: {} }],
          shareOutsideWorkingHours: true,
        })
      await rule('allow')
      await publish(services, eve, { availability: 'available', inACall: false })
      const sent: WhoChange[] = []
      const opened = await services.liveWho.open(asker, { addresses: [eve.address] }, {}, (c) =>
        sent.push(c),
      )
      expect(entriesOf(opened).map((e) => e.address)).toEqual([eve.address])
      await rule('block')
      await publish(services, eve, { availability: 'busy', inACall: false })
      await rule('allow')
      expect(sent.map((c) => c.op)).toEqual(['left', 'joined'])
      const joined = sent[1]!
      expect(joined.op === 'left' ? undefined : changedEntry(joined)).toMatchObject({
        view: { availability: 'busy' },
      })
      expect(errors).toEqual([])
    } finally {
      await stop(services)
    }
  })
})
