// The cheap filter of a "who is available" question (`mayPassReachFilter`) never drops someone the
// full filter would keep: whenever a watcher's view of a person passes a filter, the person's own
// availability passes the cheap one, over random presences, profiles, permissions (off work, polite
// block, appear offline…), moments and filters.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { availabilities, contactKinds } from '../../src/core/model/presence-model.js'
import { computeView } from '../../src/core/policy/compute-view.js'
import {
  matchesReachFilter,
  mayPassReachFilter,
  type ReachFilter,
} from '../../src/core/reach/matches-reach-filter.js'
import { permissionsArb, presenceArb, profileArb, weekMomentArb } from '../support/arbitraries.js'
import { t0 } from '../support/publications.js'

const filterArb: fc.Arbitrary<ReachFilter> = fc.record(
  {
    availability: fc.subarray([...availabilities], { minLength: 1 }),
    reachableBy: fc.constantFrom(...contactKinds),
    insideWorkingHours: fc.boolean(),
    availableForMeeting: fc.boolean(),
  },
  { requiredKeys: [] },
)

describe('the cheap filter of who is available', () => {
  it('keeps everyone whose view passes the filter', () => {
    let skipped = 0
    fc.assert(
      fc.property(
        fc.record({
          presence: presenceArb(t0),
          profile: profileArb,
          permissions: permissionsArb,
          now: weekMomentArb,
        }),
        filterArb,
        (input, filter) => {
          const view = computeView(input)
          const cheap = mayPassReachFilter(input.presence.availability, filter)
          if (!cheap) skipped++
          if (matchesReachFilter(view, filter, { now: input.now })) expect(cheap).toBe(true)
        },
      ),
      { numRuns: 3000 },
    )
    // The cheap filter did skip people (the property is not true by never skipping).
    expect(skipped).toBeGreaterThan(100)
  })
})
