// Properties of the calendar expansion (fast-check): occurrences lie in the window and are well
// formed, a recurring meeting keeps its local time in its zone, and a window gives the same
// occurrences as a longer one walked from the first instance.
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { CalendarOccurrence } from '../../../../src/app/calendar/calendar-occurrence.js'
import { expandCalendar } from '../../../../src/app/calendar/expand-calendar.js'
import { calendar, event, stockholmZone } from './ics.js'

const DAY_MS = 86_400_000
const zones = ['Europe/Stockholm', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC']
const weekdays = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const
const windowStart = Date.parse('2026-03-01T00:00:00Z')

const two = (value: number): string => String(value).padStart(2, '0')
const localStamp = (day: Date, hour: number, minute: number): string =>
  `${day.getUTCFullYear()}${two(day.getUTCMonth() + 1)}${two(day.getUTCDate())}T${two(hour)}${two(minute)}00`

const seriesArb = fc.record({
  zone: fc.constantFrom(...zones),
  withVtimezone: fc.boolean(),
  daysBefore: fc.integer({ min: 0, max: 700 }),
  hour: fc.integer({ min: 8, max: 18 }),
  minute: fc.constantFrom(0, 15, 30, 45),
  minutes: fc.integer({ min: 15, max: 180 }),
  freq: fc.constantFrom('DAILY', 'WEEKLY'),
  interval: fc.integer({ min: 1, max: 3 }),
  byDay: fc.subarray([...weekdays]),
  exdateIndex: fc.option(fc.integer({ min: 0, max: 30 })),
  windowDays: fc.integer({ min: 1, max: 120 }),
})
type Series = typeof seriesArb extends fc.Arbitrary<infer T> ? T : never

const icsOf = (series: Series): string => {
  const first = new Date(windowStart - series.daysBefore * DAY_MS)
  const stamp = localStamp(first, series.hour, series.minute)
  const byDay = series.byDay.length > 0 ? `;BYDAY=${series.byDay.join(',')}` : ''
  const exdate =
    series.exdateIndex === null
      ? []
      : [
          `EXDATE;TZID=${series.zone}:${localStamp(new Date(first.getTime() + series.exdateIndex * DAY_MS), series.hour, series.minute)}`,
        ]
  const zone = series.withVtimezone && series.zone === 'Europe/Stockholm' ? stockholmZone : []
  return calendar(
    ...zone,
    ...event(
      'UID:series',
      `DTSTART;TZID=${series.zone}:${stamp}`,
      `DURATION:PT${series.minutes}M`,
      `RRULE:FREQ=${series.freq};INTERVAL=${series.interval}${byDay}`,
      ...exdate,
    ),
  )
}

const expand = (ics: string, from: number, to: number): readonly CalendarOccurrence[] =>
  expandCalendar(ics, { from, to, defaultTimeZone: 'UTC' }).occurrences

const localTime = (epoch: number, timeZone: string): string =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(epoch))

describe('calendar expansion properties', () => {
  test('occurrences overlap the window, end after they start, are ordered, unique and repeatable', () => {
    fc.assert(
      fc.property(seriesArb, (series) => {
        const ics = icsOf(series)
        const to = windowStart + series.windowDays * DAY_MS
        const occurrences = expand(ics, windowStart, to)
        for (const occurrence of occurrences) {
          expect(occurrence.startsAt).toBeLessThan(to)
          expect(occurrence.endsAt).toBeGreaterThan(windowStart)
          expect(occurrence.endsAt).toBeGreaterThan(occurrence.startsAt)
        }
        const starts = occurrences.map((o) => o.startsAt)
        expect(starts).toEqual([...starts].sort((a, b) => a - b))
        expect(new Set(occurrences.map((o) => o.occurrenceId)).size).toBe(occurrences.length)
        expect(expand(ics, windowStart, to)).toEqual(occurrences)
      }),
      { numRuns: 150 },
    )
  })

  test('a recurring meeting starts at the same local time in its zone on every day', () => {
    fc.assert(
      fc.property(seriesArb, (series) => {
        const to = windowStart + series.windowDays * DAY_MS
        const expected = `${two(series.hour)}:${two(series.minute)}`
        for (const occurrence of expand(icsOf(series), windowStart, to)) {
          expect(localTime(occurrence.startsAt, series.zone)).toBe(expected)
        }
      }),
      { numRuns: 150 },
    )
  })

  test('a window gives what a longer window from the first instance gives within it', () => {
    fc.assert(
      fc.property(seriesArb, (series) => {
        const ics = icsOf(series)
        const to = windowStart + series.windowDays * DAY_MS
        const whole = expand(ics, windowStart - (series.daysBefore + 2) * DAY_MS, to)
        const within = whole.filter((o) => o.endsAt > windowStart)
        expect(expand(ics, windowStart, to)).toEqual(within)
      }),
      { numRuns: 150 },
    )
  })
})
