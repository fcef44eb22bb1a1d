// Properties of the view parts a resume decides on (fast-check): where no part a watcher's view
// can show changed, the view is the same, so a resume may send nothing; and a change the view
// cannot show (a city move seen at country level, a zone no shown contact method uses) moves none.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Presence } from '../../src/core/aggregation/presence.js'
import type { Profile } from '../../src/core/model/presence-model.js'
import { computeView } from '../../src/core/policy/compute-view.js'
import type { Permissions } from '../../src/core/policy/permissions.js'
import { stampViewParts, viewMayHaveChanged } from '../../src/core/policy/view-parts.js'
import { permissionsArb, presenceArb, profileArb, weekMomentArb } from '../support/arbitraries.js'
import { aggregateAt, allPermissions, annProfile, device, t0 } from '../support/publications.js'

type Subject = { readonly presence: Presence; readonly profile: Profile }

const mayHaveChanged = (before: Subject, after: Subject, permissions: Permissions) => {
  const stamps = stampViewParts(undefined, { before, after, seq: 1 })
  return viewMayHaveChanged({ stamps, permissions, subject: after, cursor: 0 })
}

const viewOf = (subject: Subject, permissions: Permissions, now: number) =>
  computeView({ ...subject, permissions, now })

describe('view parts', () => {
  it('where no part the view can show changed, the view is the same', () => {
    const subjectArb = fc.record({ presence: presenceArb(t0), profile: profileArb })
    fc.assert(
      fc.property(
        subjectArb,
        subjectArb,
        fc.boolean(),
        permissionsArb,
        weekMomentArb,
        (before, other, sameProfile, permissions, now) => {
          const after = sameProfile ? { ...other, profile: before.profile } : other
          if (mayHaveChanged(before, after, permissions)) return
          expect(viewOf(after, permissions, now)).toEqual(viewOf(before, permissions, now))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('a change the view cannot show moves no part it shows', () => {
    const at = (city: string, timeZone: string) =>
      aggregateAt([
        device('laptop', { location: { country: 'SE', city }, timeZone, availability: 'busy' }),
      ])
    const countryOnly = { ...allPermissions, location: 'country' as const, timeZone: false }
    const noMethods = { ...countryOnly, contactScopes: ['personal' as const] }
    const profile = annProfile({ contactMethods: [] })
    const before = { presence: at('Stockholm', 'Europe/Stockholm'), profile }
    const after = { presence: at('Uppsala', 'UTC'), profile }
    expect(mayHaveChanged(before, after, noMethods)).toBe(false)
    expect(mayHaveChanged(before, after, { ...noMethods, location: 'city' })).toBe(true)
    expect(mayHaveChanged(before, after, { ...noMethods, timeZone: true })).toBe(true)
  })
})
