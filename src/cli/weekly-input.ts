// Weekly hours typed on the command line: `mon-fri 09:00-17:00`, `sat,sun 10:00-14:00`,
// `weekdays 18:00-22:00`, `daily 22:00-06:00`; CLI layer, pure.
import { weekdays, type HoursSpan, type Weekday } from '../core/model/presence-model.js'
import { usageError } from './cli-error.js'

const named: Readonly<Record<string, readonly Weekday[]>> = {
  weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  weekend: ['sat', 'sun'],
  daily: weekdays,
}

const isWeekday = (text: string): text is Weekday => (weekdays as readonly string[]).includes(text)

const daysOf = (text: string): readonly Weekday[] => {
  const days = new Set<Weekday>()
  for (const part of text.toLowerCase().split(',')) {
    const range = part.split('-')
    const [first = '', last = first] = range
    if (named[part]) named[part].forEach((d) => days.add(d))
    else if (range.length <= 2 && isWeekday(first) && isWeekday(last)) {
      const from = weekdays.indexOf(first)
      const to = weekdays.indexOf(last)
      for (let i = from; ; i = (i + 1) % 7) {
        days.add(weekdays[i]!)
        if (i === to) break
      }
    } else return []
  }
  return weekdays.filter((d) => days.has(d))
}

const clock = /^([01]\d|2[0-4]):([0-5]\d)$/

/** One `DAYS HH:MM-HH:MM` span; `option` names the flag in the usage error. */
export const parseWeeklySpan = (raw: string, option: string): HoursSpan => {
  const [dayText = '', time = ''] = raw.trim().split(/\s+/)
  const [start = '', end = ''] = time.split('-')
  const days = daysOf(dayText)
  if (days.length === 0 || !clock.test(start) || !clock.test(end) || start === end) {
    throw usageError(
      `${option} ${JSON.stringify(raw)}: give DAYS HH:MM-HH:MM, such as "mon-fri 09:00-17:00" ` +
        '(days: mon..sun, ranges, lists, weekdays, weekend, daily)',
    )
  }
  return { days, start, end }
}
