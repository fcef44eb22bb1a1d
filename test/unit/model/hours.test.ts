// Weekly hours in a person's time zone: clock parsing, local time, overnight spans, days, DST and
// invalid zones; unit tests with fixed moments only.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hoursSpanArb, timeZones } from '../../support/arbitraries.js'
import {
  isValidTimeZone,
  isWithinHours,
  localTime,
  nextHoursChange,
  occurrencesOf,
  parseClock,
  zonedInstant,
} from '../../../src/core/model/hours.js'
import type { HoursSpan, WeeklyHours } from '../../../src/core/model/presence-model.js'

/** A UTC moment, months counted from 1. */
const utc = (year: number, month: number, date: number, hours: number, minutes = 0): number =>
  Date.UTC(year, month - 1, date, hours, minutes)

const weekdays9to17: HoursSpan = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '09:00',
  end: '17:00',
}

describe('parseClock', () => {
  it.each([
    ['00:00', 0],
    ['09:30', 570],
    ['23:59', 1439],
    ['24:00', 1440],
  ])('reads %s as %i minutes since midnight', (clock, minutes) => {
    expect(parseClock(clock)).toBe(minutes)
  })

  it.each(['24:01', '25:00', '9:00', '09:60', '0900', ' 09:00', '09:00 ', '', 'nine'])(
    'rejects %j',
    (clock) => {
      expect(parseClock(clock)).toBeUndefined()
    },
  )
})

describe('isValidTimeZone', () => {
  it.each(['Europe/Stockholm', 'America/New_York', 'Asia/Kolkata', 'UTC', 'Etc/GMT+1'])(
    'knows %s',
    (zone) => {
      expect(isValidTimeZone(zone)).toBe(true)
    },
  )

  it.each(['', 'Mars/Olympus', 'Europe/Stockholmm', '+01:00', 'CET+1'])('rejects %j', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false)
  })
})

describe('localTime', () => {
  it('gives the weekday and minutes since midnight in the zone', () => {
    expect(localTime(utc(2026, 1, 5, 9), 'UTC')).toEqual({ day: 'mon', minutes: 540 })
    expect(localTime(utc(2026, 1, 5, 9), 'Europe/Stockholm')).toEqual({ day: 'mon', minutes: 600 })
  })

  it('reads midnight as minute 0, never as 24:00', () => {
    expect(localTime(utc(2026, 1, 5, 0), 'UTC')).toEqual({ day: 'mon', minutes: 0 })
    expect(localTime(utc(2026, 1, 4, 23), 'Europe/Stockholm')).toEqual({ day: 'mon', minutes: 0 })
  })

  it('takes the local weekday, which can differ from the UTC one', () => {
    expect(localTime(utc(2026, 1, 4, 20), 'Pacific/Auckland')).toEqual({ day: 'mon', minutes: 540 })
    expect(localTime(utc(2026, 1, 5, 3), 'America/New_York')).toEqual({ day: 'sun', minutes: 1320 })
  })

  it('handles zones with half-hour offsets', () => {
    expect(localTime(utc(2026, 1, 5, 9), 'Asia/Kolkata')).toEqual({
      day: 'mon',
      minutes: 14 * 60 + 30,
    })
  })

  it('follows daylight saving time in Stockholm', () => {
    expect(localTime(utc(2026, 3, 29, 0, 59), 'Europe/Stockholm')).toEqual({
      day: 'sun',
      minutes: 119,
    })
    expect(localTime(utc(2026, 3, 29, 1), 'Europe/Stockholm')).toEqual({ day: 'sun', minutes: 180 })
    expect(localTime(utc(2026, 10, 25, 0, 30), 'Europe/Stockholm')).toEqual({
      day: 'sun',
      minutes: 150,
    })
    expect(localTime(utc(2026, 10, 25, 1, 30), 'Europe/Stockholm')).toEqual({
      day: 'sun',
      minutes: 150,
    })
  })
})

describe('isWithinHours', () => {
  const inUtc = (hours: WeeklyHours, at: number) => isWithinHours(hours, 'UTC', at)

  it('means "always" without hours or with an empty list', () => {
    expect(isWithinHours(undefined, 'UTC', utc(2026, 1, 10, 3))).toBe(true)
    expect(isWithinHours([], 'UTC', utc(2026, 1, 10, 3))).toBe(true)
  })

  it('does not look at the zone when there are no hours', () => {
    expect(isWithinHours(undefined, 'Mars/Olympus', utc(2026, 1, 10, 3))).toBe(true)
    expect(isWithinHours([], 'Mars/Olympus', utc(2026, 1, 10, 3))).toBe(true)
  })

  it('includes the start and excludes the end of a span', () => {
    expect(inUtc([weekdays9to17], utc(2026, 1, 5, 8, 59))).toBe(false)
    expect(inUtc([weekdays9to17], utc(2026, 1, 5, 9, 0))).toBe(true)
    expect(inUtc([weekdays9to17], utc(2026, 1, 5, 16, 59))).toBe(true)
    expect(inUtc([weekdays9to17], utc(2026, 1, 5, 17, 0))).toBe(false)
  })

  it('applies a span only on its days', () => {
    expect(inUtc([weekdays9to17], utc(2026, 1, 9, 12))).toBe(true)
    expect(inUtc([weekdays9to17], utc(2026, 1, 10, 12))).toBe(false)
    expect(inUtc([weekdays9to17], utc(2026, 1, 11, 12))).toBe(false)
  })

  it('is inside when any one span matches', () => {
    const split: WeeklyHours = [
      { days: ['mon'], start: '08:00', end: '12:00' },
      { days: ['mon'], start: '13:00', end: '17:00' },
      { days: ['sat'], start: '10:00', end: '11:00' },
    ]
    expect(inUtc(split, utc(2026, 1, 5, 11, 59))).toBe(true)
    expect(inUtc(split, utc(2026, 1, 5, 12, 30))).toBe(false)
    expect(inUtc(split, utc(2026, 1, 5, 13))).toBe(true)
    expect(inUtc(split, utc(2026, 1, 10, 10, 30))).toBe(true)
  })

  it('covers the whole day with 00:00-24:00', () => {
    const allDay: WeeklyHours = [{ days: ['sat'], start: '00:00', end: '24:00' }]
    expect(inUtc(allDay, utc(2026, 1, 10, 0))).toBe(true)
    expect(inUtc(allDay, utc(2026, 1, 10, 23, 59))).toBe(true)
    expect(inUtc(allDay, utc(2026, 1, 11, 0))).toBe(false)
    expect(inUtc(allDay, utc(2026, 1, 9, 23, 59))).toBe(false)
  })

  it('treats a span that starts where it ends as empty', () => {
    expect(inUtc([{ days: ['mon'], start: '09:00', end: '09:00' }], utc(2026, 1, 5, 9))).toBe(false)
  })

  describe('an overnight span belongs to the day it starts on', () => {
    const fridayNight: WeeklyHours = [{ days: ['fri'], start: '22:00', end: '06:00' }]

    it('covers the evening of its day', () => {
      expect(inUtc(fridayNight, utc(2026, 1, 9, 21, 59))).toBe(false)
      expect(inUtc(fridayNight, utc(2026, 1, 9, 22))).toBe(true)
      expect(inUtc(fridayNight, utc(2026, 1, 9, 23, 59))).toBe(true)
    })

    it('runs into the next morning, end exclusive', () => {
      expect(inUtc(fridayNight, utc(2026, 1, 10, 0))).toBe(true)
      expect(inUtc(fridayNight, utc(2026, 1, 10, 5, 59))).toBe(true)
      expect(inUtc(fridayNight, utc(2026, 1, 10, 6))).toBe(false)
    })

    it('does not cover the morning of its own day or the evening of the next', () => {
      expect(inUtc(fridayNight, utc(2026, 1, 9, 5))).toBe(false)
      expect(inUtc(fridayNight, utc(2026, 1, 10, 23))).toBe(false)
      expect(inUtc(fridayNight, utc(2026, 1, 8, 23))).toBe(false)
    })

    it('wraps from Sunday into Monday', () => {
      const sundayNight: WeeklyHours = [{ days: ['sun'], start: '22:00', end: '06:00' }]
      expect(inUtc(sundayNight, utc(2026, 1, 12, 5))).toBe(true)
      expect(inUtc(sundayNight, utc(2026, 1, 5, 5))).toBe(true)
      expect(inUtc(sundayNight, utc(2026, 1, 6, 5))).toBe(false)
    })

    it('ends at midnight when it ends at 00:00', () => {
      const untilMidnight: WeeklyHours = [{ days: ['fri'], start: '22:00', end: '00:00' }]
      expect(inUtc(untilMidnight, utc(2026, 1, 9, 23, 59))).toBe(true)
      expect(inUtc(untilMidnight, utc(2026, 1, 10, 0))).toBe(false)
    })
  })

  describe('in Europe/Stockholm across a change of daylight saving time', () => {
    const inStockholm = (hours: WeeklyHours, at: number) =>
      isWithinHours(hours, 'Europe/Stockholm', at)

    it('keeps 09:00 local as the start of the day, whatever the UTC offset', () => {
      // Friday before the change: CET, UTC+1.
      expect(inStockholm([weekdays9to17], utc(2026, 3, 27, 7, 59))).toBe(false)
      expect(inStockholm([weekdays9to17], utc(2026, 3, 27, 8, 0))).toBe(true)
      expect(inStockholm([weekdays9to17], utc(2026, 3, 27, 15, 59))).toBe(true)
      expect(inStockholm([weekdays9to17], utc(2026, 3, 27, 16, 0))).toBe(false)
      // Monday after the change: CEST, UTC+2; the same UTC moment is an hour later locally.
      expect(inStockholm([weekdays9to17], utc(2026, 3, 30, 6, 59))).toBe(false)
      expect(inStockholm([weekdays9to17], utc(2026, 3, 30, 7, 0))).toBe(true)
      expect(inStockholm([weekdays9to17], utc(2026, 3, 30, 14, 59))).toBe(true)
      expect(inStockholm([weekdays9to17], utc(2026, 3, 30, 15, 0))).toBe(false)
    })

    it('skips an hour that does not exist in spring', () => {
      const skipped: WeeklyHours = [{ days: ['sun'], start: '02:00', end: '03:00' }]
      expect(inStockholm(skipped, utc(2026, 3, 29, 0, 59))).toBe(false)
      expect(inStockholm(skipped, utc(2026, 3, 29, 1, 0))).toBe(false)
      expect(inStockholm(skipped, utc(2026, 3, 22, 1, 30))).toBe(true)
    })

    it('covers an hour that happens twice in autumn, both times', () => {
      const doubled: WeeklyHours = [{ days: ['sun'], start: '02:00', end: '03:00' }]
      expect(inStockholm(doubled, utc(2026, 10, 24, 23, 59))).toBe(false)
      expect(inStockholm(doubled, utc(2026, 10, 25, 0, 0))).toBe(true)
      expect(inStockholm(doubled, utc(2026, 10, 25, 1, 30))).toBe(true)
      expect(inStockholm(doubled, utc(2026, 10, 25, 2, 0))).toBe(false)
    })

    it('keeps an overnight span in local time across the change', () => {
      const saturdayNight: WeeklyHours = [{ days: ['sat'], start: '22:00', end: '06:00' }]
      // Sunday 05:59 local is 03:59 UTC in CEST, after the change in the night.
      expect(inStockholm(saturdayNight, utc(2026, 3, 29, 3, 59))).toBe(true)
      expect(inStockholm(saturdayNight, utc(2026, 3, 29, 4, 0))).toBe(false)
    })
  })

  it('throws a RangeError for a time zone the runtime does not know', () => {
    expect(() => isWithinHours([weekdays9to17], 'Mars/Olympus', utc(2026, 1, 5, 9))).toThrow(
      RangeError,
    )
  })
})

describe('zonedInstant and nextHoursChange', () => {
  const stockholm = 'Europe/Stockholm'
  const at = (iso: string) => Date.parse(iso)

  it('maps a local time to its instant in winter and in summer', () => {
    expect(zonedInstant({ year: 2026, month: 1, day: 5, minutes: 9 * 60 }, stockholm)).toBe(
      at('2026-01-05T08:00:00Z'),
    )
    expect(zonedInstant({ year: 2026, month: 7, day: 6, minutes: 9 * 60 }, stockholm)).toBe(
      at('2026-07-06T07:00:00Z'),
    )
  })

  it('a local time skipped by the spring change lands an hour later; a repeated one takes the first', () => {
    expect(zonedInstant({ year: 2026, month: 3, day: 29, minutes: 150 }, stockholm)).toBe(
      at('2026-03-29T01:30:00Z'),
    )
    expect(zonedInstant({ year: 2026, month: 10, day: 25, minutes: 150 }, stockholm)).toBe(
      at('2026-10-25T00:30:00Z'),
    )
  })

  it('finds the next start or end of working hours, across a daylight-saving change', () => {
    const hours = [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, start: '09:00', end: '17:00' },
    ]
    // Friday 27 March 2026, 18:00 CET: the next change is Monday 30 March 09:00 CEST.
    expect(nextHoursChange(hours, stockholm, at('2026-03-27T17:00:00Z'))).toBe(
      at('2026-03-30T07:00:00Z'),
    )
    expect(nextHoursChange(hours, stockholm, at('2026-03-30T07:00:00Z'))).toBe(
      at('2026-03-30T15:00:00Z'),
    )
    expect(nextHoursChange(undefined, stockholm, at('2026-03-30T07:00:00Z'))).toBeUndefined()
  })

  it('an overnight span ends the next morning', () => {
    const hours = [{ days: ['sun'] as const, start: '22:00', end: '06:00' }]
    expect(nextHoursChange(hours, 'UTC', at('2026-01-04T23:00:00Z'))).toBe(
      at('2026-01-05T06:00:00Z'),
    )
  })

  it('every change it names really flips being inside the hours', () => {
    const hours = [{ days: ['mon', 'wed'] as const, start: '08:30', end: '12:15' }]
    let now = at('2026-03-20T00:00:00Z')
    for (let i = 0; i < 12; i += 1) {
      const next = nextHoursChange(hours, stockholm, now)!
      expect(isWithinHours(hours, stockholm, next - 1)).not.toBe(
        isWithinHours(hours, stockholm, next),
      )
      now = next
    }
  })
})

describe('occurrencesOf', () => {
  it('a weekly evening span stays at 18:00 local across the autumn change', () => {
    const hours = [{ days: ['fri', 'mon'] as const, start: '18:00', end: '22:00' }]
    const window = {
      from: Date.parse('2026-10-23T00:00:00Z'),
      to: Date.parse('2026-10-27T00:00:00Z'),
    }
    expect(occurrencesOf(hours, 'Europe/Stockholm', window)).toEqual([
      { startsAt: Date.parse('2026-10-23T16:00:00Z'), endsAt: Date.parse('2026-10-23T20:00:00Z') },
      { startsAt: Date.parse('2026-10-26T17:00:00Z'), endsAt: Date.parse('2026-10-26T21:00:00Z') },
    ])
  })

  it('keeps an occurrence that overlaps the window edge, and an overnight one whole', () => {
    const hours = [{ days: ['sun'] as const, start: '22:00', end: '06:00' }]
    const window = {
      from: Date.parse('2026-01-05T00:00:00Z'),
      to: Date.parse('2026-01-05T01:00:00Z'),
    }
    expect(occurrencesOf(hours, 'UTC', window)).toEqual([
      { startsAt: Date.parse('2026-01-04T22:00:00Z'), endsAt: Date.parse('2026-01-05T06:00:00Z') },
    ])
  })
})

describe('nextHoursChange, against every occurrence', () => {
  it('finds the same next change as a scan of all occurrences, in any zone and week', () => {
    fc.assert(
      fc.property(
        fc.array(hoursSpanArb, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...timeZones, 'Australia/Lord_Howe', 'America/St_Johns'),
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
        (hours, zone, now) => {
          const boundaries = occurrencesOf(hours, zone, {
            from: now - 86_400_000,
            to: now + 8 * 86_400_000,
          })
            .flatMap((o) => [o.startsAt, o.endsAt])
            .filter((at) => at > now)
          const expected = boundaries.length === 0 ? undefined : Math.min(...boundaries)
          expect(nextHoursChange(hours, zone, now)).toBe(expected)
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe('nextHoursChange, found by the property above', () => {
  it('an empty span (24:00-00:00) is no change', () => {
    const hours = [
      { days: ['sat'] as const, start: '24:00', end: '00:00' },
      { days: ['sun'] as const, start: '00:15', end: '00:00' },
    ]
    expect(nextHoursChange(hours, 'Europe/Stockholm', Date.UTC(2026, 0, 1))).toBe(
      Date.UTC(2026, 0, 3, 23, 15),
    )
  })
})
