// The calendar expansion turns busy events into meetings and marked absences into out-of-office,
// ignores free and cancelled time, keeps only what overlaps the window and never a title.
import { describe, expect, test } from 'vitest'
import { expandCalendar } from '../../../../src/app/calendar/expand-calendar.js'
import { at, calendar, event } from './ics.js'

const expand = (ics: string, defaultTimeZone = 'Europe/Stockholm') =>
  expandCalendar(ics, {
    from: at('2026-07-01T00:00:00Z'),
    to: at('2026-08-01T00:00:00Z'),
    defaultTimeZone,
  })

const kinds = (...lines: readonly string[]): (string | undefined)[] =>
  expand(calendar(...event('UID:k', ...lines))).occurrences.map((o) => o.kind)

const timed = ['DTSTART:20260706T090000Z', 'DTEND:20260706T110000Z']
const allDay = ['DTSTART;VALUE=DATE:20260706', 'DTEND;VALUE=DATE:20260707']

describe('all-day out-of-office', () => {
  const vacation = calendar(
    ...event(
      'UID:vacation-1',
      'SUMMARY:Semester i Dalarna',
      'DTSTART;VALUE=DATE:20260720',
      'DTEND;VALUE=DATE:20260725',
      'X-MICROSOFT-CDO-BUSYSTATUS:OOF',
    ),
  )

  test('spans local midnight to midnight over several days in the person’s zone', () => {
    expect(expand(vacation).occurrences).toEqual([
      {
        uid: 'vacation-1',
        occurrenceId: 'vacation-1',
        startsAt: at('2026-07-19T22:00:00Z'),
        endsAt: at('2026-07-24T22:00:00Z'),
        allDay: true,
        kind: 'out-of-office',
      },
    ])
  })

  test('moves with the person’s zone', () => {
    const [occurrence] = expand(vacation, 'America/New_York').occurrences
    expect([occurrence?.startsAt, occurrence?.endsAt]).toEqual([
      at('2026-07-20T04:00:00Z'),
      at('2026-07-25T04:00:00Z'),
    ])
  })

  test('without DTEND lasts one day', () => {
    const { occurrences } = expand(
      calendar(...event('UID:d', 'DTSTART;VALUE=DATE:20260706', 'CATEGORIES:Vacation')),
    )
    expect(occurrences.map((o) => o.endsAt - o.startsAt)).toEqual([86_400_000])
  })
})

describe('classification', () => {
  test('a busy timed event is a meeting', () => {
    expect(kinds('SUMMARY:Planning', ...timed)).toEqual(['in-a-meeting'])
  })

  test('Outlook’s OOF status is out-of-office at any length', () => {
    expect(kinds(...timed, 'X-MICROSOFT-CDO-BUSYSTATUS:OOF')).toEqual(['out-of-office'])
    expect(kinds(...timed, 'X-MICROSOFT-CDO-INTENDEDSTATUS:OOF')).toEqual(['out-of-office'])
  })

  test('an out-of-office category or title counts for all-day events', () => {
    expect(kinds(...allDay, 'CATEGORIES:Work,Out of office')).toEqual(['out-of-office'])
    expect(kinds(...allDay, 'SUMMARY:Out of office')).toEqual(['out-of-office'])
    expect(kinds(...allDay, 'SUMMARY:OOO - dentist')).toEqual(['out-of-office'])
  })

  test('an out-of-office title on a short timed event is only a meeting', () => {
    expect(kinds(...timed, 'SUMMARY:Out of office')).toEqual(['in-a-meeting'])
  })

  test('a long timed event with an out-of-office title is out-of-office', () => {
    const day = ['DTSTART:20260706T070000Z', 'DTEND:20260706T150000Z']
    expect(kinds(...day, 'SUMMARY:Out of office')).toEqual(['out-of-office'])
  })

  test('a title that merely mentions vacation is not out-of-office', () => {
    expect(kinds(...allDay, 'SUMMARY:Vacation planning')).toEqual([])
    expect(kinds(...timed, 'SUMMARY:Vacation planning')).toEqual(['in-a-meeting'])
  })

  test('an all-day event that is not out-of-office is ignored', () => {
    expect(kinds(...allDay, 'SUMMARY:Conference week', 'TRANSP:OPAQUE')).toEqual([])
  })

  test('cancelled events and free time are ignored', () => {
    expect(kinds(...timed, 'STATUS:CANCELLED')).toEqual([])
    expect(kinds(...timed, 'TRANSP:TRANSPARENT')).toEqual([])
    expect(kinds(...timed, 'X-MICROSOFT-CDO-BUSYSTATUS:FREE')).toEqual([])
    expect(kinds(...allDay, 'TRANSP:TRANSPARENT', 'X-MICROSOFT-CDO-BUSYSTATUS:OOF')).toEqual([])
  })

  test('a cancelled series cancels its overrides too', () => {
    const ics = calendar(
      ...event('UID:s', ...timed, 'RRULE:FREQ=DAILY;COUNT=3', 'STATUS:CANCELLED'),
      ...event(
        'UID:s',
        'RECURRENCE-ID:20260707T090000Z',
        'DTSTART:20260707T100000Z',
        'DURATION:PT1H',
      ),
    )
    expect(expand(ics).occurrences).toEqual([])
  })

  test('a tentative meeting still makes busy', () => {
    expect(kinds(...timed, 'STATUS:TENTATIVE')).toEqual(['in-a-meeting'])
  })

  test('no summary, description or location reaches the result', () => {
    const secret = 'Secret merger talks'
    const ics = calendar(
      ...event(
        'UID:p',
        ...timed,
        `SUMMARY:${secret}`,
        `DESCRIPTION:${secret}`,
        `LOCATION:${secret}`,
      ),
      ...event('UID:q', 'DTSTART;TZID=Nowhere:20260706T090000', `SUMMARY:${secret}`),
    )
    expect(JSON.stringify(expand(ics))).not.toContain('Secret')
  })
})

describe('the window', () => {
  const around = (start: string, end: string): number =>
    expandCalendar(calendar(...event('UID:w', `DTSTART:${start}`, `DTEND:${end}`)), {
      from: at('2026-07-06T09:00:00Z'),
      to: at('2026-07-06T10:00:00Z'),
      defaultTimeZone: 'UTC',
    }).occurrences.length

  test('an occurrence that overlaps it is kept whole, not clipped', () => {
    const { occurrences } = expandCalendar(
      calendar(...event('UID:w', 'DTSTART:20260706T080000Z', 'DTEND:20260706T093000Z')),
      { from: at('2026-07-06T09:00:00Z'), to: at('2026-07-06T10:00:00Z'), defaultTimeZone: 'UTC' },
    )
    expect(occurrences.map((o) => [o.startsAt, o.endsAt])).toEqual([
      [at('2026-07-06T08:00:00Z'), at('2026-07-06T09:30:00Z')],
    ])
  })

  test('is half-open: ending at its start or starting at its end is outside', () => {
    expect(around('20260706T080000Z', '20260706T090000Z')).toBe(0)
    expect(around('20260706T100000Z', '20260706T110000Z')).toBe(0)
    expect(around('20260706T095959Z', '20260706T110000Z')).toBe(1)
  })

  test('a timed event without an end is ignored with a warning', () => {
    const expansion = expand(calendar(...event('UID:z', 'DTSTART:20260706T090000Z')))
    expect(expansion.occurrences).toEqual([])
    expect(expansion.warnings).toEqual([
      'event z: an occurrence that ends when it starts is ignored',
    ])
  })
})
