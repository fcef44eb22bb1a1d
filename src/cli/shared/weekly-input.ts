// Weekly hours typed on the command line, in the core's one grammar (src/core/model/weekly-hours-text.ts):
// `mon-fri 09:00-17:00`, `sat,sun 10:00-14:00`, `weekdays 18:00-22:00`, `daily 22:00-06:00`; CLI layer.
import type { HoursSpan } from '../../core/model/presence-model.js'
import { parseWeeklySpan as parseSpan } from '../../core/model/weekly-hours-text.js'
import { usageError } from './cli-error.js'

/** One `DAYS HH:MM-HH:MM` span; `option` names the flag in the usage error. */
export const parseWeeklySpan = (raw: string, option: string): HoursSpan => {
  const span = parseSpan(raw)
  if (!span) {
    throw usageError(
      `${option} ${JSON.stringify(raw)}: give DAYS HH:MM-HH:MM, such as "mon-fri 09:00-17:00" ` +
        '(days: mon..sun, ranges, lists, weekdays, weekend, daily)',
    )
  }
  return span
}
