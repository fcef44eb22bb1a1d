// What the privacy property tests check a view against: the grant a rule needs for given permissions,
// the fields a view carries that its permissions withhold, and what a live watcher's messages must
// show.
import { expect } from 'vitest'
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

/** A message a watcher received, with the permissions in force when it was handed to the watcher. */
export interface ReceivedView {
  readonly type: string
  readonly view?: View
  readonly permissions: Permissions
}

/**
 * What every run of a live-watching property must show: no message carries what its permissions
 * withheld; a watcher told `unwatched` (blocked) receives nothing more; otherwise the last view is
 * `current()`, the view it should have now.
 */
export const checkReceived = (received: readonly ReceivedView[], current: () => View): void => {
  for (const message of received) {
    if (message.view) expect(withheld(message.view, message.permissions)).toEqual([])
  }
  const unwatched = received.findIndex((m) => m.type === 'unwatched')
  if (unwatched >= 0) {
    expect(received.length).toBe(unwatched + 1)
    expect(received[unwatched]!.permissions.subscription).toBe('block')
  } else {
    const last = received.filter((m) => m.view).at(-1)!.view
    expect(last).toEqual(JSON.parse(JSON.stringify(current())))
  }
}
