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

/** True when `timeZone` is an IANA zone name this runtime knows. */
export const isValidTimeZone = (timeZone: string): boolean => {
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

export const localTime = (now: number, timeZone: string): LocalTime => {
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
