// shareUnchanged: a new presence keeps every field and its order, and takes the parts equal to the
// previous presence's from it (so that only what changed survives in memory).
import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Presence } from '../../../src/core/aggregation/presence.js'
import { shareUnchanged } from '../../../src/core/aggregation/share-unchanged.js'
import { presenceArb } from '../../support/arbitraries.js'
import { aggregateAt, device, manualNote, t0 } from '../../support/publications.js'

/** A deep copy: equal data, no object in common. */
const copy = (presence: Presence): Presence => JSON.parse(JSON.stringify(presence)) as Presence

describe('shareUnchanged', () => {
  it('gives a presence equal to the new one, field for field and in the same order', () => {
    fc.assert(
      fc.property(presenceArb(t0), presenceArb(t0), (previous, next) => {
        const expected = JSON.stringify(next)
        const shared = shareUnchanged(previous, next)
        expect(JSON.stringify(shared)).toBe(expected)
        expect(shared).toStrictEqual(next)
        // Neither input is changed.
        expect(JSON.stringify(next)).toBe(expected)
        for (const key of Object.keys(shared) as (keyof Presence)[]) {
          const value = shared[key]
          if (typeof value !== 'object') continue
          // An object part is the previous one's when they are equal, else the new one's.
          const same =
            JSON.stringify(previous[key]) === JSON.stringify(next[key]) &&
            isDeepStrictEqual(previous[key], next[key])
          if (same && key !== 'provenance') expect(value).toBe(previous[key])
        }
      }),
      { numRuns: 500 },
    )
  })

  it('keeps the previous presence itself when nothing changed, and its unchanged parts otherwise', () => {
    const before = aggregateAt([device(), manualNote('in Lund today')])
    expect(shareUnchanged(before, copy(before))).toBe(before)
    const after = aggregateAt([device(), manualNote('in Malmö today')])
    const shared = shareUnchanged(before, after)
    expect(shared.note?.text).toBe('in Malmö today')
    expect(shared.devices).toBe(before.devices)
    expect(shared.reachable).toBe(before.reachable)
    expect(shared.provenance.availability).toBe(before.provenance.availability)
  })
})
