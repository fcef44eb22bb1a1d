// Weekly hours in a person's time zone: clock parsing, local time, overnight spans, days, DST and
// invalid zones; unit tests with fixed moments only.
import { describe, expect, it } from 'vitest'
import {
  isValidTimeZone,
  isWithinHours,
  localTime,
  parseClock,
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
