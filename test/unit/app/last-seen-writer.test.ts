// Unit (real SQLite store): last seen is written behind the engine's changes: gathered for a second
// into one transaction for everyone, at most once a minute while someone stays online, at once (within
// the second) when they go hidden, what still gathers at the stop, and a failing write is reported.
import { afterEach, describe, expect, it } from 'vitest'
import { FixedClock } from '../../../src/adapters/clock/fixed-clock.js'
import { openSqliteStore } from '../../../src/adapters/store/sqlite/sqlite-store.js'
import {
  LastSeenWriter,
  lastSeenWriteAfterMs,
  onlineWriteIntervalMs,
} from '../../../src/app/presence/last-seen-writer.js'
import { acmeIn } from '../../support/services-fixture.js'

const t0 = Date.UTC(2026, 11, 7, 9, 0, 0)

const stops: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop()
})

const world = async (options: { failWrites?: boolean } = {}) => {
  const store = await openSqliteStore({ file: ':memory:' })
  await store.migrate()
  stops.push(() => store.close())
  const clock = new FixedClock(t0)
  const writes: number[] = []
  const errors: unknown[] = []
  const writer = new LastSeenWriter({
    clock,
    onError: (e) => errors.push(e),
    store: {
      recordLastSeen: async (seen) => {
        writes.push(seen.size)
        if (options.failWrites) throw new Error('disk full')
        return store.recordLastSeen(seen)
      },
    },
  })
  const acme = await acmeIn(store, { refresh: async () => undefined })
  const people = await Promise.all(['amy', 'bo', 'cy'].map((name) => acme.person(name)))
  const lastSeen = async (address: string) => (await store.getUserByAddress(address))?.lastSeen
  return { clock, writer, writes, errors, people, lastSeen }
}

describe('last seen', () => {
  it('of many people is written a second later, in one write', async () => {
    const { clock, writer, writes, people, lastSeen } = await world()
    for (const { address } of people) writer.record(address, t0, false)
    writer.record('nobody@acme.example', t0, false)
    expect(writes).toEqual([])
    clock.advance(lastSeenWriteAfterMs)
    await writer.flush() // waits for the write the timer began
    expect(writes).toEqual([4])
    for (const { address } of people) expect(await lastSeen(address)).toBe(t0)
  })

  it('is written again within a minute only when the person goes hidden', async () => {
    const { clock, writer, writes, people, lastSeen } = await world()
    const amy = people[0]!.address
    writer.record(amy, t0, false)
    await writer.flush()
    writer.record(amy, t0 + 1000, false)
    writer.record(amy, t0 + onlineWriteIntervalMs - 1, false)
    await writer.flush()
    expect(writes).toEqual([1])
    expect(await lastSeen(amy)).toBe(t0)
    writer.record(amy, t0 + 2000, true)
    await writer.flush()
    expect(await lastSeen(amy)).toBe(t0 + 2000)
    writer.record(amy, t0 + 2000 + onlineWriteIntervalMs, false)
    clock.advance(lastSeenWriteAfterMs)
    await writer.flush()
    expect(writes).toEqual([1, 1, 1])
    expect(await lastSeen(amy)).toBe(t0 + 2000 + onlineWriteIntervalMs)
  })

  it('that fails to be written is reported and not thrown', async () => {
    const { writer, writes, errors, people } = await world({ failWrites: true })
    expect(() => writer.record(people[0]!.address, t0, true)).not.toThrow()
    await writer.flush()
    expect(writes).toEqual([1])
    expect(errors).toEqual([new Error('disk full')])
  })
})
