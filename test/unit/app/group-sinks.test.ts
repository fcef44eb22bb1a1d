// A fan-out group's sinks (an array while few, a Set when many) must answer as a Set would, and a
// delivery's lent sinks must stay what they were when lent while sinks leave and join.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { HoldsSinks } from '../../../src/app/watching/group-sinks.js'
import {
  addSink,
  hasSink,
  lendSinks,
  removeSink,
  setFrom,
  sinkCount,
} from '../../../src/app/watching/group-sinks.js'

type Step =
  | { readonly op: 'add' | 'remove'; readonly sink: number }
  | { readonly op: 'lend' }
  | { readonly op: 'addMany'; readonly from: number; readonly count: number }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('add' as const), sink: fc.nat(99) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('remove' as const), sink: fc.nat(99) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('lend' as const) }) },
  // Enough at once to cross `setFrom`.
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('addMany' as const),
      from: fc.nat(99),
      count: fc.integer({ min: 1, max: 80 }),
    }),
  },
)

const membersOf = (sinks: readonly number[] | ReadonlySet<number>): number[] => [...sinks].sort()

describe('group sinks', () => {
  it('answer as a Set after any adds and removes, and what was lent never changes', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 80 }), (steps) => {
        const holder: HoldsSinks<number> = { sinks: [], lent: false }
        const model = new Set<number>()
        const lent: { sinks: readonly number[] | ReadonlySet<number>; members: number[] }[] = []
        const add = (sink: number) => {
          if (model.has(sink)) return
          addSink(holder, sink)
          model.add(sink)
        }
        for (const step of steps) {
          if (step.op === 'add') add(step.sink)
          else if (step.op === 'addMany')
            for (let i = 0; i < step.count; i++) add((step.from + i) % 100)
          else if (step.op === 'remove') {
            removeSink(holder, step.sink)
            model.delete(step.sink)
          } else {
            const sinks = lendSinks(holder)
            // Only arrays are kept as lent; a Set's own forEach skips the removed.
            if (Array.isArray(sinks)) lent.push({ sinks, members: membersOf(sinks) })
          }
          expect(sinkCount(holder)).toBe(model.size)
          expect(membersOf(holder.sinks)).toEqual([...model].sort())
          for (const sink of [0, 1, 50, 99]) expect(hasSink(holder, sink)).toBe(model.has(sink))
          for (const { sinks, members } of lent) expect(membersOf(sinks)).toEqual(members)
        }
      }),
    )
  })

  it('holds an array below setFrom sinks and a Set from it on', () => {
    const holder: HoldsSinks<number> = { sinks: [], lent: false }
    for (let i = 0; i < setFrom - 1; i++) addSink(holder, i)
    expect(Array.isArray(holder.sinks)).toBe(true)
    addSink(holder, setFrom - 1)
    expect(holder.sinks).toBeInstanceOf(Set)
    expect(sinkCount(holder)).toBe(setFrom)
  })

  it('copies a lent array once, then changes the copy in place', () => {
    const holder: HoldsSinks<string> = { sinks: ['a', 'b', 'c'], lent: false }
    const lent = lendSinks(holder)
    removeSink(holder, 'a')
    const copy = holder.sinks
    expect(copy).not.toBe(lent)
    expect(lent).toEqual(['a', 'b', 'c'])
    removeSink(holder, 'b')
    expect(holder.sinks).toBe(copy)
    expect(holder.sinks).toEqual(['c'])
  })
})
