// Predicates of the "who is available" filters (availability, reachable by a kind, inside working
// hours, free for a meeting), each decided from one watcher's view alone; core layer, pure.
import type { Availability, ContactKind } from '../model/presence-model.js'
import type { View } from '../policy/compute-view.js'
import { checkReach, type ReachOptions } from './check-reach.js'
import { situationOf } from './situation-of.js'

export interface ReachFilter {
  /** Keep views with one of these availabilities. */
  readonly availability?: readonly Availability[]
  /** Keep views through which this kind reaches the person now (`checkReach`). */
  readonly reachableBy?: ContactKind
  /** Keep views inside (true) or outside (false) working hours, as far as the view tells. */
  readonly insideWorkingHours?: boolean
  /** Keep only people free to join a meeting now. */
  readonly availableForMeeting?: boolean
}

/** Free for a meeting now: available, with no call, meeting, presentation, focus or leave shown. */
export const isAvailableForMeeting = (view: View, now?: number): boolean =>
  situationOf(view, now).code === 'available'

/** False only when the view says the person is off work; a view that does not tell is inside. */
export const isInsideWorkingHours = (view: View): boolean =>
  !(view.activities ?? []).some((a) => a.kind === 'off-work')

export const isReachableBy = (view: View, kind: ContactKind, options: ReachOptions = {}): boolean =>
  checkReach(view, kind, options).reachable

/** True when the view passes every filter given; an empty filter keeps every view. */
export const matchesReachFilter = (
  view: View,
  filter: ReachFilter,
  options: ReachOptions = {},
): boolean =>
  (filter.availability === undefined || filter.availability.includes(view.availability)) &&
  (filter.reachableBy === undefined || isReachableBy(view, filter.reachableBy, options)) &&
  (filter.insideWorkingHours === undefined ||
    isInsideWorkingHours(view) === filter.insideWorkingHours) &&
  (filter.availableForMeeting !== true || isAvailableForMeeting(view, options.now))
