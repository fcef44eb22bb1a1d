// Wall-clock times in IANA zones: ordinary times, and the gap and overlap of summer time (RFC 5545 3.3.5).
import { describe, expect, test } from 'vitest'
import { isKnownTimeZone, wallClockToEpoch } from '../../../../src/app/calendar/zoned-time.js'

const wall = (iso: string) => {
  const [date = '', time = ''] = iso.split('T')
  const [year = 0, month = 0, day = 0] = date.split('-').map(Number)
  const [hour = 0, minute = 0, second = 0] = time.split(':').map(Number)
  return { year, month, day, hour, minute, second }
}
const utc = (local: string, zone: string): string =>
  new Date(wallClockToEpoch(wall(local), zone)).toISOString()

describe('wall clock to instant', () => {
  test('winter and summer times in Stockholm differ by the offset', () => {
    expect(utc('2026-01-15T09:00:00', 'Europe/Stockholm')).toBe('2026-01-15T08:00:00.000Z')
    expect(utc('2026-07-15T09:00:00', 'Europe/Stockholm')).toBe('2026-07-15T07:00:00.000Z')
  })

  test('a time in the spring gap takes the offset from before it', () => {
    expect(utc('2026-03-29T02:30:00', 'Europe/Stockholm')).toBe('2026-03-29T01:30:00.000Z')
  })

  test('a time that occurs twice in autumn is the first of the two', () => {
    expect(utc('2026-10-25T02:30:00', 'Europe/Stockholm')).toBe('2026-10-25T00:30:00.000Z')
  })

  test('zones with half-hour offsets and southern summers', () => {
    expect(utc('2026-01-15T09:00:00', 'Asia/Kolkata')).toBe('2026-01-15T03:30:00.000Z')
    expect(utc('2026-01-15T09:00:00', 'Australia/Sydney')).toBe('2026-01-14T22:00:00.000Z')
  })

  test('years before 100 are not read as 19xx', () => {
    expect(utc('0050-06-01T00:00:00', 'UTC')).toBe('0050-06-01T00:00:00.000Z')
  })

  test('only zones that Intl knows are known', () => {
    expect(isKnownTimeZone('Europe/Stockholm')).toBe(true)
    expect(isKnownTimeZone('W. Europe Standard Time')).toBe(false)
    expect(isKnownTimeZone('')).toBe(false)
  })
})
