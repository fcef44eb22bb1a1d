// Whether a contact method can take a message now: the one definition that the view, and through
// it reach, route, pick and team lists, use; core layer, pure.
import type { Presence } from '../aggregation/presence.js'
import { isWithinHours } from '../model/hours.js'
import type { ContactKind, ContactMethod } from '../model/presence-model.js'
import { asynchronousContactKinds } from '../model/presence-model.js'

/** Store-and-forward kinds (e-mail, SMS to a phone): they need no live Närvaro source. */
export const isAsynchronous = (kind: ContactKind): boolean =>
  asynchronousContactKinds.includes(kind)

/**
 * A method is reachable inside its usable hours (in `timeZone`) when its kind is asynchronous,
 * whatever the presence, or when a live source of a visible presence can take its kind. While the
 * person is offline or invisible no live source counts, so nothing of a device shows.
 */
export const isReachable = (
  method: Pick<ContactMethod, 'kind' | 'hours'>,
  presence: Pick<Presence, 'availability' | 'reachable'>,
  at: { readonly now: number; readonly timeZone: string },
): boolean => {
  if (!isWithinHours(method.hours, at.timeZone, at.now)) return false
  if (isAsynchronous(method.kind)) return true
  const hidden = presence.availability === 'offline' || presence.availability === 'invisible'
  return !hidden && presence.reachable.includes(method.kind)
}
