// Weekly hours in a person's time zone (working hours, usable hours of a contact method); core layer.
// Pure: time zone data comes from Intl, `now` is an argument.
import type { HoursSpan, Weekday, WeeklyHours } from './presence-model.js'

const formatters = new Map<string, Intl.DateTimeFormat>()

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/**
 * True when `timeZone` is an IANA zone name this runtime knows. An offset (`+01:00`) is not a zone:
 * it has no daylight saving time, and Node 24's Intl accepts it where Node 20's did not.
 */
export const isValidTimeZone = (timeZone: string): boolean => {
  if (/^[+-]/.test(timeZone)) return false
  try {
    formatterFor(timeZone)
    return true
  } catch {
    return false
  }
}

export interface LocalTime {
  readonly day: Weekday
  /** Minutes since local midnight. */
  readonly minutes: number
}

/**
 * The weekday and minute of `now` in a zone. Remembered per zone and minute: every watcher's policy
 * asks it of the same few zones at the same moment (working hours, usable hours).
 */
export const localTime = (now: number, timeZone: string): LocalTime => {
  const key = `${timeZone}\n${Math.floor(now / 60_000)}`
  const cached = localTimes.get(key)
  if (cached) return cached
  const computed = computeLocalTime(now, timeZone)
  if (localTimes.size >= maxCachedLocalTimes) localTimes.clear()
  localTimes.set(key, computed)
  return computed
}

const maxCachedLocalTimes = 10_000
const localTimes = new Map<string, LocalTime>()

const computeLocalTime = (now: number, timeZone: string): LocalTime => {
  const parts = formatterFor(timeZone).formatToParts(now)
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? ''
  const day = get('weekday').toLowerCase().slice(0, 3) as Weekday
  return { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) }
}

export const parseClock = (hhmm: string): number | undefined => {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm)
  if (!match) return undefined
  const minutes = Number(match[1]) * 60 + Number(match[2])
  return minutes <= 24 * 60 ? minutes : undefined
}

const spanContains = (span: HoursSpan, at: LocalTime): boolean => {
  const start = parseClock(span.start) ?? 0
  const end = parseClock(span.end) ?? 0
  if (start <= end) return span.days.includes(at.day) && at.minutes >= start && at.minutes < end
  // An overnight span (22:00-06:00) belongs to the day it starts on.
  const order = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
  const yesterday = order[(order.indexOf(at.day) + 6) % 7] as Weekday
  return (
    (span.days.includes(at.day) && at.minutes >= start) ||
    (span.days.includes(yesterday) && at.minutes < end)
  )
}

/** True when `now` falls inside `hours`; no hours at all means "always". */
export const isWithinHours = (
  hours: WeeklyHours | undefined,
  timeZone: string,
  now: number,
): boolean => {
  if (!hours || hours.length === 0) return true
  const at = localTime(now, timeZone)
  return hours.some((span) => spanContains(span, at))
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>()

/** Epoch ms of a date read as UTC, plus `ms`; `Date.UTC` alone maps the years 0 to 99 onto 19xx. */
const utcOf = (year: number, month: number, day: number, ms = 0): number => {
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  return date.getTime() + ms
}

/** The zone's offset from UTC at `at`, in milliseconds (positive east of Greenwich). */
export const zoneOffset = (at: number, timeZone: string): number => {
  const bucket = Math.floor(at / offsetBucketMs)
  const key = `${timeZone}\n${bucket}`
  const cached = offsets.get(key)
  if (cached !== undefined) return cached
  const offset = computeOffset(bucket * offsetBucketMs, timeZone)
  if (offsets.size >= maxCachedOffsets) offsets.clear()
  offsets.set(key, offset)
  return offset
}

/**
 * One offset is remembered per zone and quarter hour (UTC), so thousands of people in one zone share
 * the work. Today's rules change offsets only at whole quarter hours; a historic change at another
 * moment (a local mean time) is seen from the start of its quarter hour.
 */
const offsetBucketMs = 15 * 60_000
const maxCachedOffsets = 100_000
const offsets = new Map<string, number>()

const computeOffset = (at: number, timeZone: string): number => {
  let formatter = offsetFormatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      ...{ era: 'short', year: 'numeric', month: 'numeric', day: 'numeric' },
      ...{ hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' },
    })
    offsetFormatters.set(timeZone, formatter)
  }
  const parts = formatter.formatToParts(at)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  const bc = parts.find((p) => p.type === 'era')?.value === 'BC'
  const time = ((get('hour') * 60 + get('minute')) * 60 + get('second')) * 1000
  const local = utcOf(bc ? 1 - get('year') : get('year'), get('month'), get('day'), time)
  return local - Math.floor(at / 1000) * 1000
}

/**
 * The instant of a local wall-clock time in a zone. A time skipped by a daylight-saving change
 * (02:30 on the spring-forward night) is taken with the offset from before the change, so it lands
 * one hour later; a time that happens twice takes the first.
 */
export const zonedInstant = (
  local: {
    readonly year: number
    readonly month: number
    readonly day: number
    readonly minutes: number
  },
  timeZone: string,
): number => {
  return instantOfWall(utcOf(local.year, local.month, local.day, local.minutes * 60_000), timeZone)
}

/** The instant of a wall-clock time given as if it were UTC; see `zonedInstant`. */
const instantOfWall = (wall: number, timeZone: string): number => {
  const before = wall - zoneOffset(wall - 12 * 3_600_000, timeZone)
  const after = wall - zoneOffset(wall + 12 * 3_600_000, timeZone)
  const valid = [before, after].filter((at) => at + zoneOffset(at, timeZone) === wall)
  return valid.length > 0 ? Math.min(...valid) : before
}

const weekdayIndex: Readonly<Record<Weekday, number>> = {
  mon: 0,
  tue: 1,
  wed: 2,
  thu: 3,
  fri: 4,
  sat: 5,
  sun: 6,
}

/** One stretch of time when a weekly span applies (epoch ms, end exclusive). */
export interface Occurrence {
  readonly startsAt: number
  readonly endsAt: number
}

/**
 * The occurrences of `hours` that overlap [from, to), in the zone's local time: "18:00-22:00 on
 * weekdays" stays at 18:00 local across daylight-saving changes. Sorted by start.
 */
export const occurrencesOf = (
  hours: WeeklyHours,
  timeZone: string,
  window: { readonly from: number; readonly to: number },
): readonly Occurrence[] => {
  const first = new Date(window.from + zoneOffset(window.from, timeZone))
  const days = Math.ceil((window.to - window.from) / 86_400_000) + 1
  const result: Occurrence[] = []
  for (let offset = -1; offset <= days; offset += 1) {
    const date = new Date(
      Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate() + offset),
    )
    const weekday = (date.getUTCDay() + 6) % 7
    const local = {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
    }
    for (const span of hours) {
      if (!span.days.some((d) => weekdayIndex[d] === weekday)) continue
      const start = parseClock(span.start) ?? 0
      const end = parseClock(span.end) ?? 0
      const startsAt = zonedInstant({ ...local, minutes: start }, timeZone)
      const endsAt = zonedInstant(
        { ...local, minutes: end <= start ? end + 24 * 60 : end },
        timeZone,
      )
      if (endsAt > window.from && startsAt < window.to && endsAt > startsAt)
        result.push({ startsAt, endsAt })
    }
  }
  return result.sort((a, b) => a.startsAt - b.startsAt || a.endsAt - b.endsAt)
}

/** The next moment after `now` when being inside `hours` may change, within about a week. */
export const nextHoursChange = (
  hours: WeeklyHours | undefined,
  timeZone: string,
  now: number,
): number | undefined => {
  if (!hours || hours.length === 0) return undefined
  // Walk the boundaries in wall-clock time and convert only the first few: a daylight-saving change
  // moves an instant by at most a few hours against its wall-clock time.
  const margin = 4 * 3_600_000
  const wallNow = now + zoneOffset(now, timeZone)
  const walls = wallBoundaries(hours, wallNow).filter((w) => w > wallNow - margin)
  let next: { at: number; wall: number } | undefined
  for (const wall of walls) {
    if (next && wall > next.wall + margin) break
    const at = instantOfWall(wall, timeZone)
    if (at > now && (next === undefined || at < next.at)) next = { at, wall }
  }
  return next?.at
}

const dayMs = 86_400_000

/** Starts and ends of `hours` as wall-clock times (encoded as UTC), from yesterday to 8 days on. */
const wallBoundaries = (hours: WeeklyHours, wallNow: number): number[] => {
  const today = Math.floor(wallNow / dayMs) * dayMs
  const todayIndex = (new Date(today).getUTCDay() + 6) % 7
  const walls: number[] = []
  for (let offset = -1; offset <= 8; offset += 1) {
    const weekday = (todayIndex + offset + 7) % 7
    for (const span of hours) {
      if (!span.days.some((d) => weekdayIndex[d] === weekday)) continue
      const start = parseClock(span.start) ?? 0
      const end = parseClock(span.end) ?? 0
      const day = today + offset * dayMs
      const length = (end <= start ? end + 24 * 60 : end) - start
      // An empty span (24:00-00:00) changes nothing, as `occurrencesOf` has it.
      if (length > 0) walls.push(day + start * 60_000, day + (start + length) * 60_000)
    }
  }
  return walls.sort((x, y) => x - y)
}
