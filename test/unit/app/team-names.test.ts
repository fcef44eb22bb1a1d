// Unit (real SQLite store, real in-process bus behind a lag, two holders standing for two nodes): an
// organization's teams are read once and then held, and the held list never outlives what it holds:
// a team created or deleted here or on another node (told on the change channel), a read that
// overlapped such a change, its age.
import { afterEach, describe, expect, it } from 'vitest'
import { FixedClock } from '../../../src/adapters/clock/fixed-clock.js'
import { openSqliteStore } from '../../../src/adapters/store/sqlite/sqlite-store.js'
import { ProfileDirectory, TeamNames } from '../../../src/app/directory/index.js'
import { LaggingBus } from '../../support/lagging-bus.js'
import { t0 } from '../../support/publications.js'
import { acmeIn } from '../../support/services-fixture.js'

const stops: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop()
})

const world = async () => {
  const store = await openSqliteStore({ file: ':memory:' })
  await store.migrate()
  stops.push(() => store.close())
  const clock = new FixedClock(t0)
  const bus = new LaggingBus()
  /** The store's team reads, counted; `gate`, when set, holds each read after it was made. */
  const reads = { count: 0, gate: undefined as Promise<void> | undefined }
  const counted = {
    listGroups: async (organizationId: string) => {
      reads.count++
      const found = await store.listGroups(organizationId)
      await reads.gate
      return found
    },
  }
  const holder = () => {
    const teams = new TeamNames({ store: counted, bus, clock })
    stops.push(() => teams.stop())
    return teams
  }
  const { organization } = await acmeIn(store, new ProfileDirectory(store))
  const team = (name: string) =>
    store.createGroup({ organizationId: organization.id, name, createdAt: t0 })
  return { store, clock, bus, reads, holder, team, org: organization.id }
}

describe('TeamNames', () => {
  it('finds a team by id or by name, reading the store once for many questions', async () => {
    const { reads, holder, team, org } = await world()
    const sales = await team('sales')
    const teams = holder()
    expect(await teams.idOf(org, 'sales')).toBe(sales.id)
    expect(await teams.idOf(org, sales.id)).toBe(sales.id)
    expect(await teams.idOf(org, 'nobody')).toBeUndefined()
    expect(await teams.idOf('another-organization', 'sales')).toBeUndefined()
    expect(reads.count).toBe(2)
  })

  it('reads again after a team is created here, and on the other node once told', async () => {
    const { bus, reads, holder, team, org } = await world()
    const here = holder()
    const there = holder()
    expect(await here.idOf(org, 'support')).toBeUndefined()
    expect(await there.idOf(org, 'support')).toBeUndefined()
    const support = await team('support')
    await here.changed(org)
    expect(await here.idOf(org, 'support')).toBe(support.id)
    // Until the change channel brings it, the other node still holds its list without the team.
    expect(await there.idOf(org, 'support')).toBeUndefined()
    await bus.flush()
    expect(await there.idOf(org, 'support')).toBe(support.id)
    expect(reads.count).toBe(4)
  })

  it('forgets a deleted team once told, so its name means nothing any more', async () => {
    const { store, bus, holder, team, org } = await world()
    const gone = await team('gone')
    const teams = holder()
    expect(await teams.idOf(org, 'gone')).toBe(gone.id)
    await store.deleteGroup(gone.id)
    await holder().changed(org)
    await bus.flush()
    expect(await teams.idOf(org, 'gone')).toBeUndefined()
  })

  it('keeps no read that overlapped a change, and reads again after a minute', async () => {
    const { clock, bus, reads, holder, team, org } = await world()
    const teams = holder()
    let release!: () => void
    reads.gate = new Promise((resolve) => (release = resolve))
    const reading = teams.idOf(org, 'late')
    const late = await team('late')
    await holder().changed(org)
    await bus.flush()
    release()
    reads.gate = undefined
    expect(await reading).toBeUndefined()
    expect(await teams.idOf(org, 'late')).toBe(late.id)
    const before = reads.count
    expect(await teams.idOf(org, 'late')).toBe(late.id)
    expect(reads.count).toBe(before)
    clock.advance(60_000)
    expect(await teams.idOf(org, 'late')).toBe(late.id)
    expect(reads.count).toBe(before + 1)
  })
})
