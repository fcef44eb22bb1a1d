// The one text grammar of weekly hours, shared by the CLI and the directory import: spans such as
// `mon-fri 08:00-17:00; sat,sun 10:00-14:00`, `weekdays 18:00-22:00`, `daily 22:00-06:00`; core.
import { parseClock } from './hours.js'
import { weekdays, type HoursSpan, type Weekday } from './presence-model.js'

const named: Readonly<Record<string, readonly Weekday[]>> = {
  weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  weekend: ['sat', 'sun'],
  daily: weekdays,
}

const isWeekday = (text: string): text is Weekday => (weekdays as readonly string[]).includes(text)

/** Days from the first to the last, across the week's end (`fri-mon`). */
const dayRange = (first: Weekday, last: Weekday): Weekday[] => {
  const days: Weekday[] = []
  for (let i = weekdays.indexOf(first); ; i = (i + 1) % 7) {
    days.push(weekdays[i]!)
    if (weekdays[i] === last) return days
  }
}

/**
 * `mon`, `mon-fri`, `fri-mon`, lists with `,` or `+` (`mon-wed+fri`), and `weekdays`, `weekend`,
 * `daily`; the days in week order, or undefined when any part is not a day.
 */
export const parseDays = (text: string): Weekday[] | undefined => {
  const days = new Set<Weekday>()
  for (const part of text.toLowerCase().split(/[,+]/)) {
    const [first = '', last = first, ...rest] = part.split('-')
    if (named[part]) named[part].forEach((day) => days.add(day))
    else if (rest.length === 0 && isWeekday(first) && isWeekday(last)) {
      dayRange(first, last).forEach((day) => days.add(day))
    } else return undefined
  }
  return weekdays.filter((day) => days.has(day))
}

/** One `DAYS HH:MM-HH:MM` span, or undefined. An empty span (the same start and end) is refused. */
export const parseWeeklySpan = (text: string): HoursSpan | undefined => {
  const match = /^(\S+)\s+(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})$/.exec(text.trim())
  if (!match) return undefined
  const [, dayText = '', start = '', end = ''] = match
  const days = parseDays(dayText)
  const valid = parseClock(start) !== undefined && parseClock(end) !== undefined && start !== end
  return days && days.length > 0 && valid ? { days, start, end } : undefined
}

/** Spans separated by `;`, or undefined when any of them is not a span. */
export const parseWeeklyHours = (text: string): HoursSpan[] | undefined => {
  const spans: HoursSpan[] = []
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const span = parseWeeklySpan(part)
    if (!span) return undefined
    spans.push(span)
  }
  return spans
}
