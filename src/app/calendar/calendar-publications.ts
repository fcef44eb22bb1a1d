// The scheduled publications of one calendar feed: an occurrence each, its activity ending with it,
// and free/busy as busy or out-of-office; app layer (calendar import).
import type { CalendarFeed, ScheduledPublication } from '../../ports/schedule-store.js'
import type { CalendarOccurrence } from './calendar-occurrence.js'

/** The scheduler's owner of everything a feed planned: replaced as a whole on each refresh. */
export const calendarOwner = (feedId: string): string => `calendar:${feedId}`

/** One source per occurrence, so overlapping meetings are separate publications. */
export const calendarPublications = (
  feed: Pick<CalendarFeed, 'id' | 'userId'>,
  occurrences: readonly CalendarOccurrence[],
): ScheduledPublication[] => {
  const owner = calendarOwner(feed.id)
  return occurrences.map((occurrence) => ({
    userId: feed.userId,
    owner,
    sourceId: `${owner}:${occurrence.occurrenceId}`,
    sourceKind: 'calendar',
    state: { activities: [{ kind: occurrence.kind, until: occurrence.endsAt }] },
    startsAt: occurrence.startsAt,
    endsAt: occurrence.endsAt,
    freeBusy: occurrence.kind === 'in-a-meeting' ? 'busy' : 'out-of-office',
  }))
}
