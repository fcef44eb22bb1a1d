// The answers the core gives one watcher from the policy engine's decision: the owner, an approval
// and a colleague's block, each one function.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  answeredPermissions,
  approvedHandling,
  effectiveHandling,
  isOwner,
} from '../../../src/core/policy/effective-handling.js'
import { nothing, subscriptionHandlings } from '../../../src/core/policy/permissions.js'
import { permissionsArb } from '../../support/arbitraries.js'

describe('isOwner', () => {
  it('is the presentity looking at themselves, by address only', () => {
    expect(isOwner({ address: 'amy@acme.example' }, { address: 'amy@acme.example' })).toBe(true)
    expect(isOwner({ address: 'amy@acme.example' }, { address: 'bob@acme.example' })).toBe(false)
  })
})

describe('approvedHandling', () => {
  it('turns an approved confirm into allow and leaves everything else', () => {
    expect(approvedHandling('confirm', { approved: true })).toBe('allow')
    expect(approvedHandling('confirm', { approved: false })).toBe('confirm')
    for (const handling of subscriptionHandlings.filter((h) => h !== 'confirm')) {
      expect(approvedHandling(handling, { approved: true })).toBe(handling)
    }
  })
})

describe('answeredPermissions', () => {
  it('answers a colleague blocked with polite-block and no grant at all', () => {
    const blocked = { ...nothing, note: true, activities: true, subscription: 'block' as const }
    const answered = answeredPermissions(blocked, { approved: false, sameOrganization: true })
    expect(answered).toEqual({ ...nothing, subscription: 'polite-block' })
  })

  it('keeps a block a block for a watcher of another organization', () => {
    const blocked = { ...nothing, subscription: 'block' as const }
    expect(answeredPermissions(blocked, { approved: true, sameOrganization: false })).toBe(blocked)
  })

  it('agrees with approvedHandling and effectiveHandling for any decision', () => {
    fc.assert(
      fc.property(
        permissionsArb,
        fc.boolean(),
        fc.boolean(),
        (decided, approved, sameOrganization) => {
          const answered = answeredPermissions(decided, { approved, sameOrganization })
          const handling = effectiveHandling(approvedHandling(decided.subscription, { approved }), {
            sameOrganization,
          })
          expect(answered.subscription).toBe(handling)
          // Only the handling may change, except that a translated block carries no grant.
          if (decided.subscription === 'block' && handling === 'polite-block') {
            expect(answered).toEqual({ ...nothing, subscription: 'polite-block' })
          } else {
            expect({ ...answered, subscription: decided.subscription }).toEqual(decided)
          }
        },
      ),
    )
  })
})
