// Wall-clock times of a calendar in IANA time zones, through the core's `zonedInstant` (Intl, so no
// time zone data of our own); app layer (calendar import).
import { isValidTimeZone, zonedInstant } from '../../core/model/hours.js'

/** A local date and time as written in a calendar, without a zone. */
export interface WallClock {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
}

/** True when Intl knows the IANA time zone (or alias) `timeZone`. */
export const isKnownTimeZone = (timeZone: string): boolean =>
  timeZone !== '' && isValidTimeZone(timeZone)

/**
 * The instant at which a wall clock shows `wall` in `timeZone`. As RFC 5545 (3.3.5) says, a time
 * in the gap of a change to summer time takes the offset from before the gap, and a time that
 * occurs twice when summer time ends is the first of the two (the core's rule too). Seconds are
 * added after the minute is placed: zones change their offset on whole minutes.
 */
export const wallClockToEpoch = (wall: WallClock, timeZone: string): number =>
  zonedInstant(
    { year: wall.year, month: wall.month, day: wall.day, minutes: wall.hour * 60 + wall.minute },
    timeZone,
  ) +
  wall.second * 1000
