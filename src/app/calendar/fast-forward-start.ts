// Where to start expanding a long-running series: a DAILY or WEEKLY rule without COUNT repeats with
// its period, so a start moved forward by whole periods (in local days) yields the same occurrences
// from there on, and years of history need not be walked; app layer (calendar import).
import type ICAL from 'ical.js'
import { tzidOf, type ZoneResolver } from './zone-resolver.js'

type Event = InstanceType<typeof ICAL.Event>
type Time = InstanceType<typeof ICAL.Time>
type Recur = InstanceType<typeof ICAL.Recur>

const DAY_MS = 86_400_000
/** Days kept before the window for summer time and for all-day dates read in another zone. */
const SLACK_DAYS = 2

const periodDaysOf = (rule: Recur): number | undefined => {
  if (rule.count !== null) return undefined
  if (rule.freq === 'DAILY') return rule.interval
  if (rule.freq === 'WEEKLY') return 7 * rule.interval
  return undefined
}

/** The period of the event's only RRULE in days, when moving its start is safe. */
const periodOf = (event: Event): number | undefined => {
  const rules = event.component.getAllProperties('rrule')
  if (rules.length !== 1 || event.rangeExceptions.length > 0) return undefined
  const rule = rules[0]?.getFirstValue()
  if (typeof rule !== 'object' || rule === null || !('freq' in rule)) return undefined
  const period = periodDaysOf(rule)
  return period !== undefined && Number.isSafeInteger(period) && period > 0 ? period : undefined
}

/**
 * The time to start the event's recurrence at so that no occurrence lasting `spanMs` that overlaps
 * [from, …) is lost: DTSTART, or DTSTART plus whole periods. The moved start counts as an
 * occurrence itself (RFC 5545 always includes DTSTART) but ends before `from`, so it is filtered out.
 * RDATE, EXDATE and RECURRENCE-ID are absolute and unaffected; a THISANDFUTURE override disables it.
 */
export const fastForwardStart = (
  event: Event,
  window: { readonly from: number; readonly spanMs: number },
  zones: ZoneResolver,
): Time => {
  const start = event.startDate
  const period = periodOf(event)
  if (period === undefined) return start
  const startsAt = zones.toEpoch(start, tzidOf(event.component, 'dtstart'))
  const gapDays = Math.floor((window.from - window.spanMs - startsAt) / DAY_MS) - SLACK_DAYS
  if (gapDays < period) return start
  const moved = start.clone()
  moved.adjust(gapDays - (gapDays % period), 0, 0, 0)
  return moved
}
