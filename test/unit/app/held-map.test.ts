// What a node holds of the store: bounded (oldest first out), trusted for maxAgeMs at most, every
// entry that goes told to the owner, and a read that overlapped a drop or a write never held.
import { describe, expect, it } from 'vitest'
import { HeldMap } from '../../../src/app/shared/held-map.js'

const t0 = 1_000_000

/** A read the test settles by hand. */
const pending = <T>() => {
  let settle!: (value: T) => void
  const promise = new Promise<T>((resolve) => (settle = resolve))
  return { promise, settle }
}

describe('HeldMap', () => {
  it('answers an entry until it is maxAgeMs old, then drops it', () => {
    const dropped: string[] = []
    const map = new HeldMap<string, number>({ maxEntries: 10, maxAgeMs: 1_000 }, (key) =>
      dropped.push(key),
    )
    map.set('a', 1, t0)
    expect(map.get('a', t0 + 999)).toBe(1)
    expect(map.get('a', t0 + 1_000)).toBeUndefined()
    expect(map.heldFor('a')).toBeUndefined()
    expect(dropped).toEqual(['a'])
  })

  it('holds maxEntries at most, the oldest held going first; a key set again is the newest', () => {
    const dropped: string[] = []
    const map = new HeldMap<string, number>({ maxEntries: 2, maxAgeMs: 1_000 }, (key, value) =>
      dropped.push(`${key}=${value}`),
    )
    map.set('a', 1, t0)
    map.set('b', 2, t0)
    map.set('a', 3, t0)
    map.set('c', 4, t0)
    expect(dropped).toEqual(['a=1', 'b=2'])
    expect(map.get('a', t0)).toBe(3)
    expect(map.get('c', t0)).toBe(4)
    expect(map.size).toBe(2)
    map.clear()
    expect(dropped).toEqual(['a=1', 'b=2', 'a=3', 'c=4'])
    expect(map.size).toBe(0)
  })

  it('holds what a read gave, as of when the read began', async () => {
    const map = new HeldMap<string, string>({ maxEntries: 10, maxAgeMs: 1_000 })
    const answer = await map.readThrough(
      'a',
      t0,
      async () => 'read',
      (value) => value.toUpperCase(),
    )
    expect(answer).toBe('read')
    expect(map.heldFor('a')).toEqual({ value: 'READ', heldAt: t0 })
    // What `toValue` declines is not held.
    await map.readThrough(
      'b',
      t0,
      async () => 'x',
      () => undefined,
    )
    expect(map.heldFor('b')).toBeUndefined()
  })

  it.each([
    ['a drop', (map: HeldMap<string, string>) => map.drop('a')],
    ['a write beginning', (map: HeldMap<string, string>) => map.voidReads('a')],
    ['a clear', (map: HeldMap<string, string>) => map.clear()],
    ['a value set meanwhile', (map: HeldMap<string, string>) => map.set('a', 'newer', t0 + 5)],
  ])('does not hold a read that %s overlapped', async (_, overlap) => {
    const map = new HeldMap<string, string>({ maxEntries: 10, maxAgeMs: 1_000 })
    const read = pending<string>()
    const reading = map.readThrough(
      'a',
      t0,
      () => read.promise,
      (value) => value,
    )
    overlap(map)
    // A read that began after it is held.
    const other = map.readThrough(
      'b',
      t0,
      async () => 'b',
      (value) => value,
    )
    read.settle('stale')
    expect(await reading).toBe('stale')
    await other
    expect(map.get('a', t0 + 10)).not.toBe('stale')
    expect(map.get('b', t0 + 10)).toBe('b')
  })
})
