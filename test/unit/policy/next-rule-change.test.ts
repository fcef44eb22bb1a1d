// When rules next change with time alone: the earliest validFrom or validUntil after now; unit tests.
import { describe, expect, it } from 'vitest'
import { nextRuleChange } from '../../../src/core/policy/next-rule-change.js'
import type { PersonalRule } from '../../../src/core/policy/policy-model.js'

const rule = (validFrom?: number, validUntil?: number): PersonalRule => ({
  id: `r${validFrom}-${validUntil}`,
  conditions: {
    everyone: true,
    ...(validFrom === undefined ? {} : { validFrom }),
    ...(validUntil === undefined ? {} : { validUntil }),
  },
  grant: {},
})

describe('nextRuleChange', () => {
  it('is the earliest start or end still to come', () => {
    expect(nextRuleChange([rule(100, 500), rule(undefined, 300)], 50)).toBe(100)
    expect(nextRuleChange([rule(100, 500), rule(undefined, 300)], 100)).toBe(300)
    expect(nextRuleChange([rule(100, 500), rule(undefined, 300)], 300)).toBe(500)
  })

  it('is nothing when no rule changes with time, or all changes have passed', () => {
    expect(nextRuleChange([rule()], 0)).toBeUndefined()
    expect(nextRuleChange([rule(1, 2)], 2)).toBeUndefined()
    expect(nextRuleChange([], 0)).toBeUndefined()
  })
})
