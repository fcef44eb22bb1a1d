// Which calendar events make their owner busy, and which of those are out-of-office; app layer.
// SUMMARY and CATEGORIES are read here to classify only; they never leave this module.
import type ICAL from 'ical.js'

type Component = InstanceType<typeof ICAL.Component>

/** What an occurrence does to presence: a meeting makes busy, out-of-office makes away. */
export type CalendarKind = 'in-a-meeting' | 'out-of-office'

/** Below this length an event is out-of-office only when explicitly marked so (Outlook's OOF). */
export const HEURISTIC_OOO_MIN_MS = 4 * 3_600_000

const OOO_CATEGORIES = new Set([
  'out of office',
  'out-of-office',
  'ooo',
  'vacation',
  'holiday',
  'holidays',
  'leave',
  'semester',
  'ledig',
])
const OOO_SUMMARY = /^(out of office|out-of-office|ooo)(\W|$)/
const OOO_SUMMARY_EXACT = new Set(['vacation', 'on vacation', 'on leave', 'holiday', 'semester'])

const textOf = (event: Component, property: string): string => {
  const value = event.getFirstPropertyValue(property)
  return typeof value === 'string' ? value.trim().toLowerCase() : ''
}

/** Cancelled events and free time (TRANSP:TRANSPARENT, Outlook's FREE) do not make anyone busy. */
export const isFreeTime = (event: Component): boolean =>
  textOf(event, 'status') === 'cancelled' ||
  textOf(event, 'transp') === 'transparent' ||
  textOf(event, 'x-microsoft-cdo-busystatus') === 'free'

const isMarkedOutOfOffice = (event: Component): boolean =>
  textOf(event, 'x-microsoft-cdo-busystatus') === 'oof' ||
  textOf(event, 'x-microsoft-cdo-intendedstatus') === 'oof'

const looksOutOfOffice = (event: Component): boolean => {
  const categories = event
    .getAllProperties('categories')
    .flatMap((property) => property.getValues())
    .map((value) => String(value).trim().toLowerCase())
  if (categories.some((category) => OOO_CATEGORIES.has(category))) return true
  const summary = textOf(event, 'summary')
  return OOO_SUMMARY.test(summary) || OOO_SUMMARY_EXACT.has(summary)
}

/**
 * The kind of a busy occurrence, or undefined when it does not change presence. Outlook's OOF
 * status counts at any length; a category or summary that says so counts when the occurrence is
 * all-day or at least four hours long; other all-day events are ignored, as most calendars show
 * them as free (birthdays, holidays, "conference week"); other timed events are meetings.
 */
export const classifyOccurrence = (
  event: Component,
  occurrence: { readonly allDay: boolean; readonly durationMs: number },
): CalendarKind | undefined => {
  if (isMarkedOutOfOffice(event)) return 'out-of-office'
  const long = occurrence.allDay || occurrence.durationMs >= HEURISTIC_OOO_MIN_MS
  if (long && looksOutOfOffice(event)) return 'out-of-office'
  return occurrence.allDay ? undefined : 'in-a-meeting'
}
