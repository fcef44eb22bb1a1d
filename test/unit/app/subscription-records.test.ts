// Unit (real SQLite store, real in-process bus, two holders standing for two nodes): a watcher's
// active subscriptions are held after a read and follow this holder's writes, and the held list never
// outlives what it holds: another holder's write told on the change channel, a read that overlapped
// such a write, a removed user, its age.
import { afterEach, describe, expect, it } from 'vitest'
import { FixedClock } from '../../../src/adapters/clock/fixed-clock.js'
import { openSqliteStore } from '../../../src/adapters/store/sqlite/sqlite-store.js'
import { ProfileDirectory } from '../../../src/app/directory/index.js'
import type { SubscriptionRecordsLimits } from '../../../src/app/watching/subscription-records.js'
import { SubscriptionRecords } from '../../../src/app/watching/subscription-records.js'
import type { SubscriptionState } from '../../../src/core/subscriptions/subscription.js'
import type { User } from '../../../src/ports/store.js'
import { LaggingBus } from '../../support/lagging-bus.js'
import { t0 } from '../../support/publications.js'
import { acmeIn, withAmyBobAndEve } from '../../support/services-fixture.js'

const stops: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop()
})

const world = async (limits?: SubscriptionRecordsLimits) => {
  const store = await openSqliteStore({ file: ':memory:' })
  await store.migrate()
  const clock = new FixedClock(t0)
  const bus = new LaggingBus()
  /** The store's list reads, counted; `gate`, when set, holds each read after it was made. */
  const reads = { count: 0, gate: undefined as Promise<void> | undefined }
  const counted = new Proxy(store, {
    get(target, key, receiver) {
      if (key !== 'listSubscriptionsOf') return Reflect.get(target, key, receiver) as unknown
      return async (watcherId: string) => {
        reads.count++
        const found = await target.listSubscriptionsOf(watcherId)
        await reads.gate
        return found
      }
    },
  })
  const profiles = new ProfileDirectory(store)
  const holder = () => {
    const records = new SubscriptionRecords({
      store: counted,
      bus,
      clock,
      profiles,
      ...(limits ? { limits } : {}),
    })
    stops.push(() => records.stop())
    return records
  }
  stops.push(() => store.close())
  const { organization, person } = await acmeIn(store, profiles)
  const [amy, bob, cy, di] = [
    await person('amy'),
    await person('bob'),
    await person('cy'),
    await person('di'),
  ]
  const put = (records: SubscriptionRecords, to: User, state: SubscriptionState = 'active') =>
    records.put({ watcherId: amy.id, presentityId: to.id, state, createdAt: t0 })
  return { store, clock, bus, reads, holder, put, amy, bob, cy, di, organization }
}

describe("a watcher's subscriptions held in memory", () => {
  it('holds the active ones after a read, and no others', async () => {
    const { holder, put, amy, bob, cy, reads } = await world()
    const here = holder()
    await put(here, bob)
    await put(here, cy, 'pending')
    expect(here.allActive(amy.id, ['bob@acme.example'])).toBe(false)
    expect((await here.list(amy.id)).map((s) => s.state).sort()).toEqual(['active', 'pending'])
    expect(reads.count).toBe(1)
    expect(here.allActive(amy.id, ['bob@acme.example'])).toBe(true)
    expect(here.allActive(amy.id, ['bob@acme.example', 'cy@acme.example'])).toBe(false)
    expect(here.allActive(amy.id, ['nobody@acme.example'])).toBe(false)
    expect(here.allActive(amy.id, [])).toBe(true)
  })

  it("follows this holder's own writes without reading the store again", async () => {
    const { holder, put, amy, bob, cy, di, reads, store, bus } = await world()
    const here = holder()
    await here.list(amy.id)
    await put(here, bob)
    await here.putMany([
      { watcherId: amy.id, presentityId: cy.id, state: 'active', createdAt: t0 },
      { watcherId: amy.id, presentityId: di.id, state: 'pending', createdAt: t0 },
    ])
    await bus.flush()
    const all = ['bob@acme.example', 'cy@acme.example']
    expect(here.allActive(amy.id, all)).toBe(true)
    expect(here.allActive(amy.id, ['di@acme.example'])).toBe(false)
    await put(here, cy, 'pending')
    expect(here.allActive(amy.id, all)).toBe(false)
    expect(await here.delete(amy.id, bob.id)).toBe(true)
    await bus.flush()
    expect(here.allActive(amy.id, ['bob@acme.example'])).toBe(false)
    expect(reads.count).toBe(1)
    // What is held is what the store says.
    const stored = await store.listSubscriptionsOf(amy.id)
    expect(stored.filter((s) => s.state === 'active')).toEqual([])
  })

  it("drops a watcher's list when another holder writes it, once the change channel tells", async () => {
    const { holder, put, amy, bob, reads, bus } = await world()
    const here = holder()
    const there = holder()
    await put(here, bob)
    await here.list(amy.id)
    expect(await there.delete(amy.id, bob.id)).toBe(true)
    // Until the channel delivers, this holder cannot know (the lag of another node).
    expect(here.allActive(amy.id, ['bob@acme.example'])).toBe(true)
    await bus.flush()
    expect(here.allActive(amy.id, ['bob@acme.example'])).toBe(false)
    expect((await here.list(amy.id)).length).toBe(0)
    expect(reads.count).toBe(2)
  })

  it('does not hold a read that overlapped a write told by the change channel', async () => {
    const { holder, put, amy, bob, reads, bus } = await world()
    const here = holder()
    const there = holder()
    await put(here, bob)
    let open = () => {}
    reads.gate = new Promise((resolve) => (open = resolve))
    const reading = here.list(amy.id)
    await new Promise((resolve) => setTimeout(resolve, 10))
    await there.delete(amy.id, bob.id)
    await bus.flush()
    open()
    // The read saw Bob active before the delete; it answers so, but is not held.
    expect((await reading).map((s) => s.presentityAddress)).toEqual(['bob@acme.example'])
    reads.gate = undefined
    expect(here.allActive(amy.id, ['bob@acme.example'])).toBe(false)
  })

  it('forgets everything when a user is removed, and reads a list again once it is old', async () => {
    const { holder, put, amy, bob, bus, clock, organization } = await world({
      maxEntries: 10,
      maxAgeMs: 60_000,
    })
    const here = holder()
    await put(here, bob)
    await here.list(amy.id)
    clock.advance(60_000)
    expect(here.allActive(amy.id, ['bob@acme.example'])).toBe(false)
    await here.list(amy.id)
    expect(here.allActive(amy.id, ['bob@acme.example'])).toBe(true)
    await bus.inner.publish({
      type: 'access-ended',
      organizationId: organization.id,
      address: 'bob@acme.example',
      reason: 'user-removed',
      tokenIds: [],
    })
    expect(here.allActive(amy.id, ['bob@acme.example'])).toBe(false)
  })

  it('keeps the age of the read through its own writes: the list is read again in time', async () => {
    const { holder, put, amy, bob, cy, clock, reads } = await world({
      maxEntries: 10,
      maxAgeMs: 60_000,
    })
    const here = holder()
    await put(here, bob)
    await here.list(amy.id)
    clock.advance(30_000)
    await put(here, cy)
    expect(here.allActive(amy.id, ['bob@acme.example', 'cy@acme.example'])).toBe(true)
    clock.advance(30_000)
    expect(here.allActive(amy.id, ['bob@acme.example'])).toBe(false)
    expect(reads.count).toBe(1)
  })

  it('holds at most maxEntries watchers, the oldest going first', async () => {
    const { holder, put, amy, bob, cy, di } = await world({ maxEntries: 2, maxAgeMs: 60_000 })
    const here = holder()
    await put(here, bob)
    for (const user of [amy, bob, cy]) await here.list(user.id)
    expect(here.allActive(amy.id, ['bob@acme.example'])).toBe(false)
    await here.list(di.id)
    expect(here.allActive(bob.id, [])).toBe(false)
    expect(here.allActive(cy.id, [])).toBe(true)
  })
})

describe('subscribing again through the services', () => {
  it('writes the subscription again after the presentity revoked it, and after a denial', () =>
    withAmyBobAndEve(async ({ services, amy, bob, store }) => {
      const again = () => services.subscriptions.subscribeMany(amy, ['bob@acme.example'])
      const states = async () => (await store.listSubscriptionsOf(amy.id)).map((s) => s.state)
      await again()
      await again()
      expect(await states()).toEqual(['active'])
      await services.privacy.revoke(bob, 'amy@acme.example')
      expect(await states()).toEqual([])
      expect((await again()).subscribed).toEqual(['bob@acme.example'])
      expect(await states()).toEqual(['active'])
      await services.privacy.deny(bob, 'amy@acme.example')
      expect(await states()).toEqual(['denied'])
      // Policy allows colleagues, so asking again makes it active: written, not taken as held.
      expect(services.subscriptionRecords.allActive(amy.id, ['bob@acme.example'])).toBe(false)
      await again()
      expect(await states()).toEqual(['active'])
    }))

  it('takes held addresses as given and normalizes any other, refusing a bad one alone', () =>
    withAmyBobAndEve(async ({ services, amy }) => {
      await services.subscriptions.subscribeMany(amy, ['bob@acme.example'])
      const held = await services.subscriptions.subscribeMany(amy, ['bob@acme.example'])
      expect(held).toMatchObject({ subscribed: ['bob@acme.example'], failed: [] })
      const mixed = await services.subscriptions.subscribeMany(amy, [
        ' Bob@ACME.example',
        'not an address',
      ])
      expect(mixed.subscribed).toEqual(['bob@acme.example'])
      expect(mixed.failed.map((f) => [f.address, (f.error as { code?: string }).code])).toEqual([
        ['not an address', 'NRV_ADDRESS_INVALID'],
      ])
    }))
})
