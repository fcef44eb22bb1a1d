// Expands a schedule entry into scheduled publications for a window: once, or weekly in the person's
// time zone (local times kept across daylight-saving changes); app layer.
import { occurrencesOf } from '../../core/model/hours.js'
import type { PublicationState } from '../../core/model/presence-model.js'
import type {
  FreeBusyKind,
  ScheduleEntry,
  ScheduledPublication,
} from '../../ports/schedule-store.js'

export const scheduleOwner = (entryId: string) => `schedule:${entryId}`

const stateOf = (entry: ScheduleEntry, endsAt: number): PublicationState => {
  const { availability, note, workLocation } = entry.set
  return {
    ...(availability === undefined ? {} : { availability }),
    ...(note === undefined ? {} : { note: { text: note, expiresAt: endsAt } }),
    ...(workLocation === undefined ? {} : { workLocation }),
  }
}

const freeBusyOf = (entry: ScheduleEntry): FreeBusyKind | undefined =>
  entry.set.availability === 'do-not-disturb' || entry.set.availability === 'busy'
    ? 'busy'
    : undefined

/** Overlapping spans become one (two weekly spans may overlap), so one source never overlaps itself. */
const merged = (spans: readonly { startsAt: number; endsAt: number }[]) => {
  const result: { startsAt: number; endsAt: number }[] = []
  for (const span of [...spans].sort((a, b) => a.startsAt - b.startsAt)) {
    const last = result.at(-1)
    if (last && span.startsAt <= last.endsAt) last.endsAt = Math.max(last.endsAt, span.endsAt)
    else result.push({ ...span })
  }
  return result
}

/** The scheduled publications of one entry that overlap [from, to). */
export const expandScheduleEntry = (
  entry: ScheduleEntry,
  timeZone: string,
  window: { readonly from: number; readonly to: number },
): readonly ScheduledPublication[] => {
  const spans =
    'once' in entry.when
      ? [entry.when.once].filter((o) => o.endsAt > window.from && o.startsAt < window.to)
      : occurrencesOf(entry.when.weekly, timeZone, window)
  const freeBusy = freeBusyOf(entry)
  const owner = scheduleOwner(entry.id)
  return merged(spans).map(({ startsAt, endsAt }) => ({
    userId: entry.userId,
    owner,
    sourceId: owner,
    sourceKind: 'schedule',
    state: stateOf(entry, endsAt),
    startsAt,
    endsAt,
    ...(freeBusy === undefined ? {} : { freeBusy }),
  }))
}
