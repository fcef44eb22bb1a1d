// Expands an iCalendar file (RFC 5545) into the meetings and out-of-office time that overlap a
// window; app layer, no I/O: the file and the time come in as arguments.
import { createHash } from 'node:crypto'
import ICAL from 'ical.js'
import { NarvaroError } from '../../core/errors.js'
import type { CalendarExpansion, CalendarOccurrence } from './calendar-occurrence.js'
import { expandSeries, type EventSeries, type SeriesContext } from './expand-series.js'
import {
  RecurrenceBudget,
  RecurrenceBudgetExceeded,
  withRecurrenceBudget,
} from './recurrence-budget.js'
import { WarningLog } from './warning-log.js'
import { ZoneResolver } from './zone-resolver.js'
import { isKnownTimeZone } from './zoned-time.js'

type Component = InstanceType<typeof ICAL.Component>

export interface CalendarExpansionOptions {
  /** Start of the window, epoch ms, inclusive. */
  readonly from: number
  /** End of the window, epoch ms, exclusive. */
  readonly to: number
  /** The person's IANA time zone: for floating times and all-day events. */
  readonly defaultTimeZone: string
  /** At most this many occurrences, the earliest; more give a warning. */
  readonly maxOccurrences?: number
  /**
   * False for text the server fetched from a URL: errors and warnings then never quote it, so a
   * calendar URL cannot be used to read another server's pages through error messages.
   */
  readonly quoteErrors?: boolean
}

export const DEFAULT_MAX_OCCURRENCES = 5000
/** Steps of the recurrence iterator per event and per file; a step is a candidate time checked. */
export const RECURRENCE_STEPS_PER_EVENT = 20_000
export const RECURRENCE_STEPS_PER_CALENDAR = 200_000

const invalid = (message: string, cause?: unknown): NarvaroError =>
  new NarvaroError('NRV_VALIDATION', message, { cause })

const checkOptions = (options: CalendarExpansionOptions): number => {
  const { from, to, defaultTimeZone } = options
  const maxOccurrences = options.maxOccurrences ?? DEFAULT_MAX_OCCURRENCES
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
    throw invalid('the calendar window needs finite from < to')
  }
  if (!Number.isSafeInteger(maxOccurrences) || maxOccurrences < 1) {
    throw invalid('maxOccurrences must be a positive integer')
  }
  if (!isKnownTimeZone(defaultTimeZone)) {
    throw invalid(`unknown time zone ${JSON.stringify(defaultTimeZone)}`)
  }
  return maxOccurrences
}

const parseCalendars = (ics: string, quote: boolean): Component[] => {
  let parsed: unknown
  try {
    parsed = ICAL.parse(ics)
  } catch (error) {
    if (!quote) throw invalid('not a valid iCalendar file', error)
    const reason = error instanceof Error ? error.message.slice(0, 200) : String(error)
    throw invalid(`not a valid iCalendar file: ${reason}`, error)
  }
  const roots: unknown[] =
    Array.isArray(parsed) && typeof parsed[0] !== 'string' ? parsed : [parsed]
  const calendars = roots
    .filter((root): root is unknown[] => Array.isArray(root) && root[0] === 'vcalendar')
    .map((root) => new ICAL.Component(root))
  if (calendars.length === 0) throw invalid('not a valid iCalendar file: no VCALENDAR')
  return calendars
}

/** The properties that name an event without a UID: its times only (DTSTAMP changes per export). */
const IDENTITY = ['dtstart', 'dtend', 'duration', 'rrule', 'rdate', 'exdate', 'recurrence-id']

/** RFC 5545 requires a UID; without one, a hash of the event's times keeps re-imports stable. */
const uidOf = (event: Component): string => {
  const uid = event.getFirstPropertyValue('uid')
  if (typeof uid === 'string' && uid.trim() !== '') return uid.trim()
  const identity = IDENTITY.flatMap((name) =>
    event.getAllProperties(name).map((property) => property.toICALString()),
  )
  return `generated-${createHash('sha256').update(identity.join('\n')).digest('hex').slice(0, 32)}`
}

const groupSeries = (events: readonly Component[], log: WarningLog): EventSeries[] => {
  const groups = new Map<string, { masters: Component[]; overrides: Component[] }>()
  for (const event of events) {
    const uid = uidOf(event)
    if (!event.hasProperty('dtstart')) {
      log.add(`event ${uid}: no DTSTART, ignored`)
      continue
    }
    const group = groups.get(uid) ?? { masters: [], overrides: [] }
    groups.set(uid, group)
    ;(event.hasProperty('recurrence-id') ? group.overrides : group.masters).push(event)
  }
  return [...groups].map(([uid, { masters, overrides }]) => {
    if (masters.length > 1)
      log.add(`event ${uid}: defined ${masters.length} times, the first is used`)
    return { uid, master: masters[0], overrides }
  })
}

const failureOf = (uid: string, error: unknown, quote: boolean): string => {
  if (error instanceof RecurrenceBudgetExceeded) {
    return error.scope === 'event'
      ? `event ${uid}: recurrence too costly, expanded only in part`
      : 'recurrences of the file too costly: later recurring events expanded only in part'
  }
  if (!quote) return `event ${uid}: could not be read; expanded only in part`
  const reason = error instanceof Error ? error.message.slice(0, 200) : String(error)
  return `event ${uid}: ${reason}; expanded only in part`
}

/** Every series' occurrences; a series that fails keeps what it found before. */
const expandAll = (
  series: readonly EventSeries[],
  context: SeriesContext,
  budget: RecurrenceBudget,
  quote: boolean,
): CalendarOccurrence[] => {
  const out: CalendarOccurrence[] = []
  for (const one of series) {
    budget.startEvent()
    const found: CalendarOccurrence[] = []
    try {
      expandSeries(one, context, found)
    } catch (error) {
      context.warn(failureOf(one.uid, error, quote))
    }
    out.push(...found)
  }
  return out
}

const byStart = (a: CalendarOccurrence, b: CalendarOccurrence): number =>
  a.startsAt - b.startsAt ||
  (a.occurrenceId < b.occurrenceId ? -1 : a.occurrenceId > b.occurrenceId ? 1 : 0)

/** Sorted, one per occurrence id, at most `max` (the earliest). */
const finish = (
  found: readonly CalendarOccurrence[],
  max: number,
  log: WarningLog,
): CalendarOccurrence[] => {
  const seen = new Set<string>()
  const unique = [...found].sort(byStart).filter((occurrence) => {
    if (!seen.has(occurrence.occurrenceId)) {
      seen.add(occurrence.occurrenceId)
      return true
    }
    log.add(`event ${occurrence.uid}: the same occurrence twice, the earlier is kept`)
    return false
  })
  if (unique.length <= max) return unique
  log.add(`more than ${max} occurrences in the window: the first are kept`)
  return unique.slice(0, max)
}

/**
 * The occurrences of busy and out-of-office events in a calendar that overlap [from, to), with
 * their full times (not clipped to the window), ordered by start, the earliest `maxOccurrences`.
 * - Recurrences (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides, also RANGE=THISANDFUTURE) are
 *   expanded at their local time in their own zone: a VTIMEZONE of the file (Outlook's Windows
 *   names included), else the IANA name via Intl; floating times and all-day dates are in
 *   `defaultTimeZone`; an unknown TZID without a VTIMEZONE is read there too, with a warning.
 * - Cancelled events, free time (TRANSP:TRANSPARENT, Outlook's FREE) and timed occurrences without
 *   length (no DTEND or DURATION, so they end when they start: a warning) are left out; a DATE
 *   without an end lasts one day. For out-of-office and all-day events see classifyOccurrence.
 * - Events without DTSTART are skipped; one without UID gets `generated-` plus a hash of its times.
 * - Work is bounded: RECURRENCE_STEPS_PER_EVENT and RECURRENCE_STEPS_PER_CALENDAR iterator steps.
 * Throws NRV_VALIDATION for a file that is not iCalendar or for invalid options; an event that
 * cannot be read is skipped, in part or whole, with a warning. Titles never reach the result.
 */
export const expandCalendar = (
  ics: string,
  options: CalendarExpansionOptions,
): CalendarExpansion => {
  const maxOccurrences = checkOptions(options)
  const quote = options.quoteErrors ?? true
  const calendars = parseCalendars(ics, quote)
  const log = new WarningLog()
  const warn = (message: string): void => log.add(message)
  const zones = new ZoneResolver(options.defaultTimeZone, warn)
  const context = { from: options.from, to: options.to, maxOccurrences, zones, warn }
  const events = calendars.flatMap((calendar) => calendar.getAllSubcomponents('vevent'))
  const series = groupSeries(events, log)
  const budget = new RecurrenceBudget({
    perEvent: RECURRENCE_STEPS_PER_EVENT,
    total: RECURRENCE_STEPS_PER_CALENDAR,
  })
  const found = withRecurrenceBudget(budget, () => expandAll(series, context, budget, quote))
  return { occurrences: finish(found, maxOccurrences, log), warnings: log.list() }
}
