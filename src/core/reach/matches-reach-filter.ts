// Predicates of the "who is available" filters (availability, reachable by a kind, inside working
// hours, free for a meeting), each decided from one watcher's view alone; core layer, pure.
import type { AggregateAvailability, Availability, ContactKind } from '../model/presence-model.js'
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

/**
 * Whether any watcher's view of a person whose own presence is `availability` can pass `filter`:
 * a presence offline or invisible shows as offline, or as away and off work (`computeView`), and as
 * nothing else; a filter that keeps neither (or wants people free for a meeting) is passed by no
 * such view. A question over many people skips their views (the cheap filter first).
 */
export const mayPassReachFilter = (
  availability: AggregateAvailability,
  filter: ReachFilter,
): boolean => {
  if (availability !== 'offline' && availability !== 'invisible') return true
  if (filter.availableForMeeting === true) return false
  return (
    filter.availability === undefined ||
    filter.availability.some((wanted) => wanted === 'offline' || wanted === 'away')
  )
}
