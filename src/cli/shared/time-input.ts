// Times and durations typed on the command line: ISO date-times, `HH:MM` (today, or tomorrow once
// passed; the last one for `--since`) and durations such as `30m` or `1h30m`; CLI layer, pure.
import { usageError } from './cli-error.js'

const unitMs: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}

const durationPattern = /^(?:\d+[smhdw])+$/
const clockPattern = /^([01]?\d|2[0-3]):([0-5]\d)$/
const datePattern = /^\d{4}-\d{2}-\d{2}/

/** A duration in milliseconds, or undefined when `raw` is not one. */
export const parseDuration = (raw: string): number | undefined => {
  const text = raw.trim().toLowerCase()
  if (!durationPattern.test(text)) return undefined
  let total = 0
  for (const [, amount, unit] of text.matchAll(/(\d+)([smhdw])/g)) {
    total += Number(amount) * (unitMs[unit!] ?? 0)
  }
  return total > 0 ? total : undefined
}

/** Today at HH:MM local time, or tomorrow when that has passed. */
const nextClockTime = (hours: number, minutes: number, now: number): number => {
  const at = new Date(now)
  at.setHours(hours, minutes, 0, 0)
  if (at.getTime() <= now) at.setDate(at.getDate() + 1)
  return at.getTime()
}

/**
 * Epoch milliseconds of a TIME argument, which must lie in the future; `option` names the flag in
 * the usage error.
 */
export const parseTime = (raw: string, now: number, option: string): number => {
  const text = raw.trim()
  const duration = parseDuration(text)
  if (duration !== undefined) return now + duration
  const clock = clockPattern.exec(text)
  if (clock) return nextClockTime(Number(clock[1]), Number(clock[2]), now)
  const parsed = datePattern.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(parsed)) {
    throw usageError(
      `${option} ${JSON.stringify(raw)}: give an ISO date-time, HH:MM, or a duration ` +
        'such as 30m, 2h, 1d',
    )
  }
  if (parsed <= now) throw usageError(`${option} ${JSON.stringify(raw)} is in the past`)
  return parsed
}

/** A duration argument (`--ttl 30d`) in whole seconds. */
export const parseDurationSeconds = (raw: string, option: string): number => {
  const ms = parseDuration(raw)
  if (ms === undefined) {
    throw usageError(`${option} ${JSON.stringify(raw)}: give a duration such as 30m, 12h, 30d`)
  }
  return Math.round(ms / 1000)
}

/** Today at HH:MM local time, or yesterday when that is still to come. */
const lastClockTime = (hours: number, minutes: number, now: number): number => {
  const at = new Date(now)
  at.setHours(hours, minutes, 0, 0)
  if (at.getTime() > now) at.setDate(at.getDate() - 1)
  return at.getTime()
}

/**
 * Epoch milliseconds of a TIME in the past (`--since`): a duration counts back from `now` (`2h`:
 * two hours ago), `HH:MM` is the last such time, or an ISO date-time.
 */
export const parseSince = (raw: string, now: number, option: string): number => {
  const text = raw.trim()
  const duration = parseDuration(text)
  if (duration !== undefined) return Math.max(0, now - duration)
  const clock = clockPattern.exec(text)
  if (clock) return lastClockTime(Number(clock[1]), Number(clock[2]), now)
  const parsed = datePattern.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(parsed) || parsed < 0) {
    throw usageError(
      `${option} ${JSON.stringify(raw)}: give an ISO date-time, HH:MM, or a duration ago ` +
        'such as 30m, 2h, 7d',
    )
  }
  return parsed
}
