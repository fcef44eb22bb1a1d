// Free/busy properties: nothing shows without the grant of an allowed watcher; what shows lies in the
// window, is merged, and covers exactly the busy time of the input; property tests.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { BusyInterval } from '../../src/core/policy/free-busy.js'
import { freeBusyKinds, freeBusyView } from '../../src/core/policy/free-busy.js'
import { permissionsArb } from '../support/arbitraries.js'

const window = { from: 1_000, to: 5_000 }
const intervalArb: fc.Arbitrary<BusyInterval> = fc
  .tuple(
    fc.integer({ min: 0, max: 6_000 }),
    fc.integer({ min: 1, max: 2_000 }),
    fc.constantFrom(...freeBusyKinds),
  )
  .map(([startsAt, length, kind]) => ({ startsAt, endsAt: startsAt + length, kind }))

const covered = (intervals: readonly BusyInterval[], kind: string, at: number) =>
  intervals.some((i) => i.kind === kind && i.startsAt <= at && at < i.endsAt)

describe('free/busy properties', () => {
  it('shows nothing unless the watcher is allowed, not hidden from, and granted free/busy', () => {
    fc.assert(
      fc.property(
        permissionsArb,
        fc.array(intervalArb, { maxLength: 8 }),
        (permissions, intervals) => {
          const view = freeBusyView({ address: 'a@b.example', permissions, intervals, window })
          const allowed =
            permissions.subscription === 'allow' &&
            !permissions.appearOffline &&
            permissions.freeBusy
          expect(view.shown).toBe(allowed)
          if (!allowed) expect(view.busy).toEqual([])
        },
      ),
    )
  })

  it('what shows lies in the window, never overlaps itself, and covers the same moments', () => {
    fc.assert(
      fc.property(
        permissionsArb,
        fc.array(intervalArb, { maxLength: 8 }),
        fc.integer({ min: 0, max: 6_000 }),
        (p, intervals, at) => {
          const permissions = {
            ...p,
            subscription: 'allow' as const,
            appearOffline: false,
            freeBusy: true,
          }
          const { busy } = freeBusyView({ address: 'a@b.example', permissions, intervals, window })
          for (const i of busy)
            expect(
              i.startsAt >= window.from && i.endsAt <= window.to && i.endsAt > i.startsAt,
            ).toBe(true)
          for (const kind of freeBusyKinds) {
            const same = busy.filter((i) => i.kind === kind)
            for (let k = 1; k < same.length; k += 1)
              expect(same[k]!.startsAt).toBeGreaterThan(same[k - 1]!.endsAt)
            const inWindow = at >= window.from && at < window.to
            expect(covered(busy, kind, at)).toBe(inWindow && covered(intervals, kind, at))
          }
        },
      ),
    )
  })
})
