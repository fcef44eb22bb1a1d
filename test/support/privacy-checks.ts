// What the privacy property tests check a view against: the grant a rule needs for given permissions,
// and the fields a view carries that its permissions withhold.
import type { View } from '../../src/core/policy/compute-view.js'
import type { Permissions } from '../../src/core/policy/permissions.js'
import type { Grant } from '../../src/core/policy/policy-model.js'

/** The grant of a personal rule that gives exactly `p`. */
export const grantOf = (p: Permissions): Grant => ({
  activities: p.activities,
  note: p.note,
  mood: p.mood,
  place: p.place,
  workLocation: p.workLocation,
  freeBusy: p.freeBusy,
  location: p.location,
  timeZone: p.timeZone,
  lastSeen: p.lastSeen,
  devices: p.devices,
  contactScopes: p.contactScopes,
})

/** Fields a view may only carry with their permission. */
export const withheld = (view: View, p: Permissions): string[] => {
  const fields: string[] = (
    [
      'activities',
      'note',
      'mood',
      'place',
      'workLocation',
      'timeZone',
      'devices',
      'lastSeen',
    ] as const
  ).filter(
    (field) => !p[field] && view[field] !== undefined && !(field === 'activities' && p.offWork),
  )
  if (p.location === 'none' && view.location !== undefined) fields.push('location')
  const scopes = view.contactMethods?.map((m) => m.scope) ?? []
  if (scopes.some((scope) => !p.contactScopes.includes(scope))) fields.push('contactMethods')
  return fields
}
