// Occurrences in a window of one event series: a VEVENT, its recurrence rule and its RECURRENCE-ID
// overrides (moved or cancelled instances); app layer (calendar import).
import ICAL from 'ical.js'
import { classifyOccurrence, isFreeTime } from './classify-event.js'
import { fastForwardStart } from './fast-forward-start.js'
import type { CalendarOccurrence } from './calendar-occurrence.js'
import { tzidOf, type ZoneResolver } from './zone-resolver.js'

type Component = InstanceType<typeof ICAL.Component>
type Time = InstanceType<typeof ICAL.Time>
type Event = InstanceType<typeof ICAL.Event>

/** The VEVENTs of one UID: the master (absent when only overrides were exported) and overrides. */
export interface EventSeries {
  readonly uid: string
  readonly master: Component | undefined
  readonly overrides: readonly Component[]
}

export interface SeriesContext {
  readonly from: number
  readonly to: number
  readonly maxOccurrences: number
  readonly zones: ZoneResolver
  readonly warn: (message: string) => void
}

/** One instance before the window and classification: the VEVENT whose properties apply, and times. */
interface Instance {
  readonly event: Component
  readonly start: Time
  readonly end: Time
  readonly startTzid: string | undefined
  readonly endTzid: string | undefined
  readonly occurrenceId: string
}

const DAY_MS = 86_400_000

const pad = (value: number, width = 2): string => String(value).padStart(width, '0')

/** The uid plus the original start: a date for all-day series, else the UTC instant. */
const occurrenceIdOf = (uid: string, original: number | Time): string => {
  if (typeof original !== 'number') {
    return `${uid}/${pad(original.year, 4)}${pad(original.month)}${pad(original.day)}`
  }
  const iso = new Date(original).toISOString()
  return `${uid}/${iso.slice(0, 19).replaceAll('-', '').replaceAll(':', '')}Z`
}

const endOf = (instance: Instance, startsAt: number, zones: ZoneResolver): number => {
  const endsAt = zones.toEpoch(instance.end, instance.endTzid)
  if (endsAt > startsAt || !instance.start.isDate) return endsAt
  const nextDay = instance.start.clone()
  nextDay.day += 1
  return zones.toEpoch(nextDay, instance.startTzid)
}

const toOccurrence = (
  uid: string,
  instance: Instance,
  context: SeriesContext,
): CalendarOccurrence | undefined => {
  if (isFreeTime(instance.event)) return undefined
  const startsAt = context.zones.toEpoch(instance.start, instance.startTzid)
  const endsAt = endOf(instance, startsAt, context.zones)
  if (endsAt <= startsAt) {
    context.warn(`event ${uid}: an occurrence that ends when it starts is ignored`)
    return undefined
  }
  if (startsAt >= context.to || endsAt <= context.from) return undefined
  const allDay = instance.start.isDate
  const kind = classifyOccurrence(instance.event, { allDay, durationMs: endsAt - startsAt })
  if (kind === undefined) return undefined
  return { uid, occurrenceId: instance.occurrenceId, startsAt, endsAt, allDay, kind }
}

/** Appends unless the series already has `maxOccurrences`; false when it is full. */
const push = (
  out: CalendarOccurrence[],
  found: CalendarOccurrence | undefined,
  context: SeriesContext,
): boolean => {
  if (found === undefined) return true
  if (out.length >= context.maxOccurrences) {
    context.warn(
      `more than ${context.maxOccurrences} occurrences in the window: the first are kept`,
    )
    return false
  }
  out.push(found)
  return true
}

/** The length of the master's own instance, in ms (never negative). */
const spanOf = (event: Event, zones: ZoneResolver): number => {
  const startsAt = zones.toEpoch(event.startDate, tzidOf(event.component, 'dtstart'))
  const endTzid = event.component.hasProperty('dtend')
    ? tzidOf(event.component, 'dtend')
    : tzidOf(event.component, 'dtstart')
  return Math.max(0, zones.toEpoch(event.endDate, endTzid) - startsAt)
}

/** The instance as the series has it, or undefined when an override of its own replaces it. */
const instanceOf = (event: Event, original: Time, occurrenceId: string): Instance | undefined => {
  const { item, startDate, endDate } = event.getOccurrenceDetails(original)
  if (item !== event && item.recurrenceId.compare(original) === 0) return undefined
  const tzid = tzidOf(item.component, 'dtstart')
  const times = { start: startDate, end: endDate, startTzid: tzid, endTzid: tzid }
  return { event: item.component, ...times, occurrenceId }
}

/**
 * Walks the rule from DTSTART (or shortly before the window, see fastForwardStart) up to `to`.
 * Overridden instances are left to their own VEVENT; those that end well before `from` are
 * skipped before their details are read, unless a THISANDFUTURE override may move them.
 */
const expandRule = (
  series: EventSeries,
  event: Event,
  context: SeriesContext,
  out: CalendarOccurrence[],
): void => {
  const masterTzid = tzidOf(event.component, 'dtstart')
  const spanMs = spanOf(event, context.zones)
  const earliest = event.rangeExceptions.length > 0 ? -Infinity : context.from - spanMs - DAY_MS
  const iterator = event.iterator(
    fastForwardStart(event, { from: context.from, spanMs }, context.zones),
  )
  for (let original = iterator.next(); original; original = iterator.next()) {
    const originalStart = context.zones.toEpoch(original, masterTzid)
    if (originalStart >= context.to) return
    if (originalStart < earliest) continue
    const id = occurrenceIdOf(series.uid, original.isDate ? original : originalStart)
    const instance = instanceOf(event, original, id)
    if (instance === undefined) continue
    if (!push(out, toOccurrence(series.uid, instance, context), context)) return
  }
}

const originalOf = (override: Event, zones: ZoneResolver): number | Time => {
  const recurrenceId = override.recurrenceId
  return recurrenceId.isDate
    ? recurrenceId
    : zones.toEpoch(recurrenceId, tzidOf(override.component, 'recurrence-id'))
}

/** A single event, or one override emitted on its own (its RECURRENCE-ID names the original start). */
const expandSingle = (
  series: EventSeries,
  component: Component,
  context: SeriesContext,
  out: CalendarOccurrence[],
): void => {
  const event = new ICAL.Event(component, { exceptions: [] })
  const startTzid = tzidOf(component, 'dtstart')
  const endTzid = component.hasProperty('dtend') ? tzidOf(component, 'dtend') : startTzid
  const occurrenceId = component.hasProperty('recurrence-id')
    ? occurrenceIdOf(series.uid, originalOf(event, context.zones))
    : series.uid
  const instance = {
    event: component,
    start: event.startDate,
    end: event.endDate,
    startTzid,
    endTzid,
  }
  push(out, toOccurrence(series.uid, { ...instance, occurrenceId }, context), context)
}

const relateOverrides = (series: EventSeries, master: Component, context: SeriesContext): Event => {
  const event = new ICAL.Event(master, { exceptions: [], strictExceptions: true })
  for (const override of series.overrides) {
    try {
      event.relateException(override)
    } catch (error) {
      context.warn(`event ${series.uid}: an override does not fit the series (${String(error)})`)
    }
  }
  return event
}

/**
 * Appends the series' occurrences that overlap [from, to) to `out` (at most `maxOccurrences`).
 * A cancelled master cancels its overrides too. Throws what ICAL.js throws for invalid values, or
 * the recurrence budget; what was appended before stays.
 */
export const expandSeries = (
  series: EventSeries,
  context: SeriesContext,
  out: CalendarOccurrence[],
): void => {
  const master = series.master
  if (master !== undefined) {
    if (master.getFirstPropertyValue('status')?.toString().toLowerCase() === 'cancelled') return
    const event = relateOverrides(series, master, context)
    if (event.isRecurring()) expandRule(series, event, context, out)
    else expandSingle(series, master, context, out)
  }
  for (const override of series.overrides) expandSingle(series, override, context, out)
}
