// Canonical JSON: equality of plain data independent of key order; unit tests.
import { describe, expect, it } from 'vitest'
import { canonicalJson, sameData, sameDataBut } from '../../../src/core/model/canonical-json.js'

describe('canonicalJson', () => {
  it('sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}',
    )
  })

  it('leaves out undefined properties, so an absent field and an undefined one are equal', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}')
    expect(sameData({ a: 1, b: undefined }, { a: 1 })).toBe(true)
  })

  it('keeps primitives as JSON does', () => {
    expect(canonicalJson('x')).toBe('"x"')
    expect(canonicalJson(3)).toBe('3')
    expect(canonicalJson(null)).toBe('null')
  })
})

describe('sameData', () => {
  it('ignores key order', () => {
    expect(sameData({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true)
  })

  it('respects array order', () => {
    expect(sameData([1, 2], [2, 1])).toBe(false)
  })

  it('tells different values apart', () => {
    expect(sameData({ a: 1 }, { a: 2 })).toBe(false)
    expect(sameData({ a: 1 }, { a: 1, b: 0 })).toBe(false)
  })
})

describe('sameData agrees with canonical JSON', () => {
  it('for any two JSON values, and for a value and a reordered copy of it', async () => {
    const fc = (await import('fast-check')).default
    const reorder = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reorder)
      if (value === null || typeof value !== 'object') return value
      return Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([k, v]) => [k, reorder(v)]),
      )
    }
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(sameData(a, b)).toBe(canonicalJson(a) === canonicalJson(b))
        expect(sameData(a, reorder(a))).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('sameDataBut', () => {
  it('is sameData of both objects with the skipped member undefined', async () => {
    const fc = (await import('fast-check')).default
    const object = fc.dictionary(fc.constantFrom('a', 'b', 'skip', 'c'), fc.jsonValue())
    fc.assert(
      fc.property(object, object, (a, b) => {
        const expected = sameData({ ...a, skip: undefined }, { ...b, skip: undefined })
        expect(sameDataBut(a, b, 'skip')).toBe(expected)
      }),
      { numRuns: 2000 },
    )
  })

  it('tells apart objects that differ elsewhere, whatever the skipped member holds', () => {
    expect(sameDataBut({ a: 1, skip: 2 }, { a: 1, skip: 3 }, 'skip')).toBe(true)
    expect(sameDataBut({ a: 1, skip: 2 }, { a: 1 }, 'skip')).toBe(true)
    expect(sameDataBut({ a: 1, skip: 2 }, { a: 2, skip: 2 }, 'skip')).toBe(false)
    expect(sameDataBut({ a: 1 }, { a: 1, b: 0 }, 'skip')).toBe(false)
  })
})
