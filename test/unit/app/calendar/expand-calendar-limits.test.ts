// The calendar expansion rejects what is not iCalendar, skips unreadable events, bounds the work of
// any recurrence rule and gives occurrence ids that stay the same between imports.
import { describe, expect, test } from 'vitest'
import {
  expandCalendar,
  type CalendarExpansionOptions,
} from '../../../../src/app/calendar/expand-calendar.js'
import { isNarvaroError } from '../../../../src/core/errors.js'
import { at, calendar, event, stockholmZone } from './ics.js'

const july: CalendarExpansionOptions = {
  from: at('2026-07-01T00:00:00Z'),
  to: at('2026-07-08T00:00:00Z'),
  defaultTimeZone: 'UTC',
}

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run()
  } catch (error) {
    return isNarvaroError(error) ? error.code : 'not a NarvaroError'
  }
  return undefined
}

describe('invalid input', () => {
  test.each([
    ['text', 'hello'],
    ['an empty file', ''],
    ['a calendar that never ends', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n'],
    ['a vCard', 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Anna\r\nEND:VCARD\r\n'],
    ['binary', '\u0000\u0001\u0002'],
  ])('%s is NRV_VALIDATION', (_name, ics) => {
    expect(codeOf(() => expandCalendar(ics, july))).toBe('NRV_VALIDATION')
  })

  test.each([
    ['an empty window', { ...july, to: july.from }],
    ['an unknown zone', { ...july, defaultTimeZone: 'Europe/Atlantis' }],
    ['no room for occurrences', { ...july, maxOccurrences: 0 }],
  ])('%s is NRV_VALIDATION', (_name, options) => {
    expect(codeOf(() => expandCalendar(calendar(), options))).toBe('NRV_VALIDATION')
  })

  test('an unreadable event is skipped with a warning and the others stay', () => {
    const ics = calendar(
      ...event('UID:bad', 'DTSTART:garbage', 'DURATION:PT1H'),
      ...event('UID:no-start', 'DURATION:PT1H'),
      ...event('UID:good', 'DTSTART:20260702T090000Z', 'DURATION:PT1H'),
    )
    const expansion = expandCalendar(ics, july)
    expect(expansion.occurrences.map((o) => o.uid)).toEqual(['good'])
    expect(expansion.warnings).toHaveLength(2)
    expect(expansion.warnings.join()).toMatch(/event bad: .*; expanded only in part/)
    expect(expansion.warnings).toContain('event no-start: no DTSTART, ignored')
  })
})

describe('bounded work', () => {
  const minutely = calendar(
    ...event('UID:m', 'DTSTART:20260701T000000Z', 'DURATION:PT1M', 'RRULE:FREQ=MINUTELY'),
  )

  test('an unbounded FREQ=MINUTELY rule stops at the default cap with a warning', () => {
    const expansion = expandCalendar(minutely, july)
    expect(expansion.occurrences).toHaveLength(5000)
    expect(expansion.occurrences.at(-1)?.startsAt).toBe(at('2026-07-01T00:00:00Z') + 4999 * 60_000)
    expect(expansion.warnings).toEqual([
      'more than 5000 occurrences in the window: the first are kept',
    ])
  })

  test('the cap keeps the earliest occurrences of the whole file', () => {
    const ics = calendar(
      ...event('UID:late', 'DTSTART:20260705T000000Z', 'DURATION:PT1M', 'RRULE:FREQ=MINUTELY'),
      ...event('UID:early', 'DTSTART:20260701T000000Z', 'DURATION:PT1M', 'RRULE:FREQ=HOURLY'),
    )
    const { occurrences } = expandCalendar(ics, { ...july, maxOccurrences: 100 })
    expect(occurrences).toHaveLength(100)
    expect(occurrences.filter((o) => o.uid === 'early')).toHaveLength(97)
  })

  test('a rule that can never occur ends with a warning', () => {
    const ics = calendar(
      ...event(
        'UID:never',
        'DTSTART:20260101T090000Z',
        'DURATION:PT1H',
        'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
      ),
      ...event('UID:ok', 'DTSTART:20260702T090000Z', 'DURATION:PT1H'),
    )
    const expansion = expandCalendar(ics, july)
    expect(expansion.occurrences.map((o) => o.uid)).toEqual(['ok'])
    expect(expansion.warnings).toEqual([
      'event never: recurrence too costly, expanded only in part',
    ])
  })

  test('a FREQ=SECONDLY rule from long ago ends with a warning before the window', () => {
    const ics = calendar(
      ...event('UID:s', 'DTSTART:20000101T000000Z', 'DURATION:PT1S', 'RRULE:FREQ=SECONDLY'),
    )
    const expansion = expandCalendar(ics, july)
    expect(expansion.occurrences).toEqual([])
    expect(expansion.warnings).toEqual(['event s: recurrence too costly, expanded only in part'])
  })

  test('many costly rules together stop at the budget of the file', () => {
    const rules = Array.from({ length: 12 }, (_, index) =>
      event(`UID:r${index}`, 'DTSTART:20000101T000000Z', 'DURATION:PT1S', 'RRULE:FREQ=SECONDLY'),
    )
    const expansion = expandCalendar(calendar(...rules.flat()), july)
    expect(expansion.warnings).toContain(
      'recurrences of the file too costly: later recurring events expanded only in part',
    )
  })

  test('a 5 MB file of weekly meetings is expanded', () => {
    const meetings = Array.from({ length: 12_000 }, (_, index) =>
      event(
        `UID:meeting-${index}@example.com`,
        `SUMMARY:Meeting number ${index} about a topic of some length`,
        `DESCRIPTION:${'A description that makes the file larger. '.repeat(6)}`,
        'DTSTART;TZID=Europe/Stockholm:20260302T090000',
        'DTEND;TZID=Europe/Stockholm:20260302T093000',
        index % 4 === 0 ? 'RRULE:FREQ=WEEKLY;BYDAY=TH' : 'TRANSP:OPAQUE',
      ),
    )
    const ics = calendar(...stockholmZone, ...meetings.flat())
    expect(ics.length).toBeGreaterThan(5_000_000)
    const expansion = expandCalendar(ics, { ...july, maxOccurrences: 10_000 })
    expect(expansion.occurrences).toHaveLength(3000)
  })
})

describe('stable occurrence ids', () => {
  const ics = calendar(
    ...stockholmZone,
    ...event(
      'UID:standup',
      'DTSTART;TZID=Europe/Stockholm:20260629T090000',
      'DURATION:PT15M',
      'RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR',
    ),
    ...event(
      'UID:offsite',
      'DTSTART;VALUE=DATE:20260701',
      'RRULE:FREQ=WEEKLY;COUNT=2',
      'X-MICROSOFT-CDO-BUSYSTATUS:OOF',
    ),
    ...event('UID:review', 'DTSTART:20260703T130000Z', 'DURATION:PT1H'),
  )

  test('are the same in two expansions and in overlapping windows', () => {
    const ids = (options: CalendarExpansionOptions) =>
      expandCalendar(ics, options).occurrences.map((o) => o.occurrenceId)
    expect(ids(july)).toEqual(ids(july))
    const later = ids({ ...july, from: at('2026-07-03T00:00:00Z'), to: at('2026-07-10T00:00:00Z') })
    expect(later).toEqual(expect.arrayContaining(['standup/20260703T070000Z', 'offsite/20260708']))
    expect(ids(july)).toEqual([
      'offsite/20260701',
      'standup/20260701T070000Z',
      'standup/20260702T070000Z',
      'standup/20260703T070000Z',
      'review',
      'standup/20260706T070000Z',
      'standup/20260707T070000Z',
    ])
  })

  test('an event without a UID gets one from its times, the same on every export', () => {
    const exported = (stamp: string) =>
      calendar(
        'BEGIN:VEVENT',
        `DTSTAMP:${stamp}`,
        'DTSTART:20260702T090000Z',
        'DURATION:PT1H',
        'END:VEVENT',
      )
    const [first] = expandCalendar(exported('20260101T000000Z'), july).occurrences
    const [second] = expandCalendar(exported('20260601T120000Z'), july).occurrences
    expect(first?.uid).toMatch(/^generated-[0-9a-f]{32}$/)
    expect(second?.uid).toBe(first?.uid)
  })
})
