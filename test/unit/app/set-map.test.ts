// SetMap keeps a lone value without a Set and must behave exactly as a Map of Sets would.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SetMap } from '../../../src/app/shared/index.js'

type Step =
  | { readonly op: 'add' | 'delete'; readonly key: number; readonly value: string }
  | { readonly op: 'deleteKey'; readonly key: number }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constantFrom('add' as const, 'delete' as const),
    key: fc.nat(3),
    value: fc.constantFrom('a', 'b', 'c'),
  }),
  fc.record({ op: fc.constant('deleteKey' as const), key: fc.nat(3) }),
)

describe('SetMap', () => {
  it('answers as a Map of Sets after any adds and deletes', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        const map = new SetMap<number, string>()
        const model = new Map<number, Set<string>>()
        for (const step of steps) {
          if (step.op === 'deleteKey') {
            map.deleteKey(step.key)
            model.delete(step.key)
          } else if (step.op === 'add') {
            map.add(step.key, step.value)
            model.set(step.key, (model.get(step.key) ?? new Set()).add(step.value))
          } else {
            const had = model.get(step.key)?.delete(step.value) ?? false
            if (model.get(step.key)?.size === 0) model.delete(step.key)
            expect(map.delete(step.key, step.value)).toBe(had)
          }
          for (const key of [0, 1, 2, 3]) {
            expect(map.get(key).sort()).toEqual([...(model.get(key) ?? [])].sort())
            expect(map.count(key)).toBe(model.get(key)?.size ?? 0)
          }
          const all = [...model.values()].flatMap((values) => [...values])
          expect(map.values().sort()).toEqual(all.sort())
        }
      }),
    )
  })

  it('gives a copy that the caller may change the map while reading', () => {
    const map = new SetMap<string, string>()
    map.add('ann', 'one')
    map.add('ann', 'two')
    for (const value of map.get('ann')) map.delete('ann', value)
    expect(map.count('ann')).toBe(0)
  })
})
