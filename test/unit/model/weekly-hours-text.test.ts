// The one weekly-hours grammar: what the CLI and the directory import both accept and refuse.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  parseDays,
  parseWeeklyHours,
  parseWeeklySpan,
} from '../../../src/core/model/weekly-hours-text.js'
import { weekdays } from '../../../src/core/model/presence-model.js'

describe('weekly hours as text', () => {
  it.each([
    [
      'mon-fri 09:00-17:00',
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' },
    ],
    ['sat,sun 10:00-14:00', { days: ['sat', 'sun'], start: '10:00', end: '14:00' }],
    ['sat+sun 10:00 - 14:00', { days: ['sat', 'sun'], start: '10:00', end: '14:00' }],
    [
      'mon-wed+fri 08:00-12:00',
      { days: ['mon', 'tue', 'wed', 'fri'], start: '08:00', end: '12:00' },
    ],
    ['fri-mon 18:00-22:00', { days: ['mon', 'fri', 'sat', 'sun'], start: '18:00', end: '22:00' }],
    [
      'weekdays 18:00-22:00',
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '18:00', end: '22:00' },
    ],
    ['daily 22:00-06:00', { days: [...weekdays], start: '22:00', end: '06:00' }],
    ['Mon 00:00-24:00', { days: ['mon'], start: '00:00', end: '24:00' }],
  ])('reads %s', (text, span) => {
    expect(parseWeeklySpan(text)).toEqual(span)
  })

  it.each([
    'mon',
    'mon 9:00-17:00',
    'mon 09:00-09:00',
    'funday 09:00-17:00',
    'mon-fri-sat 09:00-17:00',
    'mon 09:00-25:00',
    'mon 09:60-10:00',
    '',
  ])('refuses %j', (text) => {
    expect(parseWeeklySpan(text)).toBeUndefined()
  })

  it('reads spans separated by semicolons, and refuses the whole when one is wrong', () => {
    expect(parseWeeklyHours('mon-fri 08:00-17:00; sat 10:00-14:00')).toHaveLength(2)
    expect(parseWeeklyHours('mon-fri 08:00-17:00; sat 10-14')).toBeUndefined()
    expect(parseWeeklyHours('')).toEqual([])
  })

  it('any list of days reads back as those days in week order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...weekdays), { minLength: 1 }), (days) => {
        expect(parseDays(days.join(','))).toEqual(weekdays.filter((d) => days.includes(d)))
        expect(parseDays(days.join('+'))).toEqual(weekdays.filter((d) => days.includes(d)))
      }),
    )
  })
})
