// iCalendar files of the calendar integration tests: a weekly meeting in Stockholm with an exception
// and a moved instance, and one-off events in UTC.

export const ics = (...events: string[][]): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Narvaro test//EN',
    ...events.flatMap((lines) => [
      'BEGIN:VEVENT',
      'DTSTAMP:20260301T000000Z',
      ...lines,
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
    '',
  ].join('\r\n')

/** Mondays at 09:00 in Stockholm; not on 6 April; on 13 April at 14:00 instead. */
export const weeklySync = ics(
  [
    'UID:sync@acme.example',
    'SUMMARY:Secret project sync',
    'DTSTART;TZID=Europe/Stockholm:20260316T090000',
    'DTEND;TZID=Europe/Stockholm:20260316T100000',
    'RRULE:FREQ=WEEKLY;BYDAY=MO',
    'EXDATE;TZID=Europe/Stockholm:20260406T090000',
  ],
  [
    'UID:sync@acme.example',
    'SUMMARY:Secret project sync (moved)',
    'RECURRENCE-ID;TZID=Europe/Stockholm:20260413T090000',
    'DTSTART;TZID=Europe/Stockholm:20260413T140000',
    'DTEND;TZID=Europe/Stockholm:20260413T150000',
  ],
)

export const onceUtc = (uid: string, start: string, end: string, summary = 'Board meeting') =>
  ics([`UID:${uid}`, `SUMMARY:${summary}`, `DTSTART:${start}`, `DTEND:${end}`])
