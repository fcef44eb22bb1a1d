// The calendar expansion keeps recurring meetings at their local time across daylight-saving
// changes, with EXDATEs and moved or cancelled instances, in every way a TZID can be given.
import { describe, expect, test } from 'vitest'
import { expandCalendar } from '../../../../src/app/calendar/expand-calendar.js'
import { at, calendar, event, stockholmZone, windowsEuropeZone } from './ics.js'

const starts = (ics: string, from: string, to: string, defaultTimeZone = 'UTC'): string[] =>
  expandCalendar(ics, { from: at(from), to: at(to), defaultTimeZone }).occurrences.map((o) =>
    new Date(o.startsAt).toISOString(),
  )

/** Mondays 09:00 to 10:00 in Stockholm; 23 March excluded, 6 April moved to Tuesday 14:00. */
const weeklyMeeting = (zone: readonly string[]): string =>
  calendar(
    ...zone,
    ...event(
      'UID:standup-1',
      'SUMMARY:Standup',
      'DTSTART;TZID=Europe/Stockholm:20260316T090000',
      'DTEND;TZID=Europe/Stockholm:20260316T100000',
      'RRULE:FREQ=WEEKLY;BYDAY=MO',
      'EXDATE;TZID=Europe/Stockholm:20260323T090000',
    ),
    ...event(
      'UID:standup-1',
      'RECURRENCE-ID;TZID=Europe/Stockholm:20260406T090000',
      'DTSTART;TZID=Europe/Stockholm:20260407T140000',
      'DTEND;TZID=Europe/Stockholm:20260407T150000',
    ),
  )

describe.each([
  ['with its VTIMEZONE', stockholmZone],
  ['with a bare IANA TZID', []],
])('a weekly Stockholm meeting %s', (_name, zone) => {
  const ics = weeklyMeeting(zone)

  test('stays at 09:00 local when summer time starts: 08:00Z before, 07:00Z after', () => {
    expect(starts(ics, '2026-03-16T00:00:00Z', '2026-04-14T00:00:00Z')).toEqual([
      '2026-03-16T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
      '2026-04-07T12:00:00.000Z',
      '2026-04-13T07:00:00.000Z',
    ])
  })

  test('stays at 09:00 local when summer time ends: 07:00Z before, 08:00Z after', () => {
    expect(starts(ics, '2026-10-12T00:00:00Z', '2026-11-03T00:00:00Z')).toEqual([
      '2026-10-12T07:00:00.000Z',
      '2026-10-19T07:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
      '2026-11-02T08:00:00.000Z',
    ])
  })

  test('a moved instance keeps the id of its original start and its own length', () => {
    const { occurrences } = expandCalendar(ics, {
      from: at('2026-04-06T00:00:00Z'),
      to: at('2026-04-08T00:00:00Z'),
      defaultTimeZone: 'UTC',
    })
    expect(occurrences).toEqual([
      {
        uid: 'standup-1',
        occurrenceId: 'standup-1/20260406T070000Z',
        startsAt: at('2026-04-07T12:00:00Z'),
        endsAt: at('2026-04-07T13:00:00Z'),
        allDay: false,
        kind: 'in-a-meeting',
      },
    ])
  })

  test('the meeting does not depend on the person’s zone', () => {
    const window = ['2026-03-16T00:00:00Z', '2026-04-14T00:00:00Z'] as const
    expect(starts(ics, ...window, 'America/New_York')).toEqual(starts(ics, ...window, 'UTC'))
  })
})

describe('recurrence exceptions', () => {
  test('an instance cancelled by its override is gone and the others stay', () => {
    const ics = calendar(
      ...event(
        'UID:daily-1',
        'DTSTART:20260302T120000Z',
        'DURATION:PT30M',
        'RRULE:FREQ=DAILY;COUNT=3',
      ),
      ...event(
        'UID:daily-1',
        'RECURRENCE-ID:20260303T120000Z',
        'DTSTART:20260303T120000Z',
        'DURATION:PT30M',
        'STATUS:CANCELLED',
      ),
    )
    expect(starts(ics, '2026-03-01T00:00:00Z', '2026-03-10T00:00:00Z')).toEqual([
      '2026-03-02T12:00:00.000Z',
      '2026-03-04T12:00:00.000Z',
    ])
  })

  test('an instance moved into the window from after it is found', () => {
    const ics = calendar(
      ...event('UID:w-1', 'DTSTART:20260302T120000Z', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY'),
      ...event(
        'UID:w-1',
        'RECURRENCE-ID:20260316T120000Z',
        'DTSTART:20260305T120000Z',
        'DURATION:PT1H',
      ),
    )
    expect(starts(ics, '2026-03-01T00:00:00Z', '2026-03-10T00:00:00Z')).toEqual([
      '2026-03-02T12:00:00.000Z',
      '2026-03-05T12:00:00.000Z',
      '2026-03-09T12:00:00.000Z',
    ])
  })

  test('RDATE adds an instance and a this-and-future override moves the rest', () => {
    const ics = calendar(
      ...event(
        'UID:w-2',
        'DTSTART:20260302T120000Z',
        'DURATION:PT1H',
        'RRULE:FREQ=WEEKLY;COUNT=4',
        'RDATE:20260304T080000Z',
      ),
      ...event(
        'UID:w-2',
        'RECURRENCE-ID;RANGE=THISANDFUTURE:20260316T120000Z',
        'DTSTART:20260316T150000Z',
        'DURATION:PT1H',
      ),
    )
    expect(starts(ics, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).toEqual([
      '2026-03-02T12:00:00.000Z',
      '2026-03-04T08:00:00.000Z',
      '2026-03-09T12:00:00.000Z',
      '2026-03-16T15:00:00.000Z',
      '2026-03-23T15:00:00.000Z',
    ])
  })

  test('overrides of another series in the same file do not apply', () => {
    const ics = calendar(
      ...event('UID:a', 'DTSTART:20260302T120000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=2'),
      ...event('UID:b', 'DTSTART:20260302T120000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=2'),
      ...event(
        'UID:b',
        'RECURRENCE-ID:20260303T120000Z',
        'STATUS:CANCELLED',
        'DTSTART:20260303T120000Z',
        'DURATION:PT1H',
      ),
    )
    const { occurrences } = expandCalendar(ics, {
      from: at('2026-03-01T00:00:00Z'),
      to: at('2026-03-10T00:00:00Z'),
      defaultTimeZone: 'UTC',
    })
    expect(occurrences.map((o) => o.occurrenceId)).toEqual([
      'a/20260302T120000Z',
      'b/20260302T120000Z',
      'a/20260303T120000Z',
    ])
  })
})

describe('time zones', () => {
  test('an Outlook series in a Windows zone with its VTIMEZONE follows summer time', () => {
    const ics = calendar(
      ...windowsEuropeZone,
      ...event(
        'UID:040000008200E00074C5B7101A82E00800000000',
        'SUMMARY:Weekly sync',
        'DTSTART;TZID=W. Europe Standard Time:20260319T090000',
        'DTEND;TZID=W. Europe Standard Time:20260319T093000',
        'RRULE:FREQ=WEEKLY;BYDAY=TH;INTERVAL=1',
        'X-MICROSOFT-CDO-BUSYSTATUS:BUSY',
        'TRANSP:OPAQUE',
      ),
    )
    expect(starts(ics, '2026-03-18T00:00:00Z', '2026-04-03T00:00:00Z')).toEqual([
      '2026-03-19T08:00:00.000Z',
      '2026-03-26T08:00:00.000Z',
      '2026-04-02T07:00:00.000Z',
    ])
  })

  test('a floating time is read in the person’s zone', () => {
    const ics = calendar(...event('UID:f', 'DTSTART:20260701T090000', 'DTEND:20260701T100000'))
    const window = ['2026-06-30T00:00:00Z', '2026-07-03T00:00:00Z'] as const
    expect(starts(ics, ...window, 'Europe/Stockholm')).toEqual(['2026-07-01T07:00:00.000Z'])
    expect(starts(ics, ...window, 'America/New_York')).toEqual(['2026-07-01T13:00:00.000Z'])
  })

  test('a UTC time is the same for everyone', () => {
    const ics = calendar(...event('UID:u', 'DTSTART:20260701T090000Z', 'DTEND:20260701T100000Z'))
    const window = ['2026-06-30T00:00:00Z', '2026-07-03T00:00:00Z'] as const
    expect(starts(ics, ...window, 'Asia/Tokyo')).toEqual(['2026-07-01T09:00:00.000Z'])
  })

  test('an unknown TZID without a VTIMEZONE is read in the person’s zone, with a warning', () => {
    const ics = calendar(
      ...event('UID:x', 'DTSTART;TZID=Mars/Olympus:20260701T090000', 'DURATION:PT1H'),
    )
    const expansion = expandCalendar(ics, {
      from: at('2026-06-30T00:00:00Z'),
      to: at('2026-07-03T00:00:00Z'),
      defaultTimeZone: 'Europe/Stockholm',
    })
    expect(expansion.occurrences.map((o) => o.startsAt)).toEqual([at('2026-07-01T07:00:00Z')])
    expect(expansion.warnings).toEqual([
      'unknown time zone "Mars/Olympus" without a VTIMEZONE: read as Europe/Stockholm',
    ])
  })
})
