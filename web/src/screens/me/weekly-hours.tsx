// Weekly hours (working hours, a contact method's usable hours, a weekly schedule): one row per
// weekday in the editor, spans of the API (`{days, start, end}`) on the wire, and a short text. Web app.
import type { ReplyOf } from '@narvaro/sdk'
import { useId } from '../../components.js'
import { t } from '../../i18n/index.js'
import type { StringKey } from '../../i18n/en.js'

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof weekdays)[number]
export type WeeklyHours = NonNullable<ReplyOf<'/v1/me', 'get'>['workingHours']>

/** One weekday in the editor: whether it has hours, and which. */
export interface DayHours {
  readonly on: boolean
  readonly start: string
  readonly end: string
}
export type Week = Readonly<Record<Weekday, DayHours>>

/** The API's `HH:MM` (24:00 ends a day). */
export const clockPattern = '([01][0-9]|2[0-4]):[0-5][0-9]'

export const dayName = (day: Weekday): string => t(`weekday_${day}` as StringKey)
const dayShort = (day: Weekday): string => t(`weekdayShort_${day}` as StringKey)

/** A week with `days` on from `start` to `end`, the others off. */
export const weekWith = (days: readonly Weekday[], start = '08:00', end = '17:00'): Week =>
  Object.fromEntries(
    weekdays.map((day) => [day, { on: days.includes(day), start, end }]),
  ) as Record<Weekday, DayHours>

/** The editor's week of some hours; a day with several spans shows its first one. */
export const weekOf = (hours: WeeklyHours | undefined, fallback: Week = weekWith([])): Week => {
  const week: Record<Weekday, DayHours> = { ...fallback }
  for (const day of weekdays) week[day] = { ...week[day], on: false }
  for (const span of [...(hours ?? [])].reverse()) {
    for (const day of span.days) week[day] = { on: true, start: span.start, end: span.end }
  }
  return week
}

/** The API's spans of a week: days with the same hours share one span, in weekday order. */
export const spansOf = (week: Week): WeeklyHours => {
  const spans = new Map<string, { days: Weekday[]; start: string; end: string }>()
  for (const day of weekdays) {
    const { on, start, end } = week[day]
    if (!on) continue
    const key = `${start}-${end}`
    const span = spans.get(key) ?? { days: [], start, end }
    span.days.push(day)
    spans.set(key, span)
  }
  return [...spans.values()]
}

/** "Mon–Fri" for consecutive days, "Mon, Wed" otherwise. */
const daysText = (days: readonly Weekday[]): string => {
  const runs: Weekday[][] = []
  for (const day of [...days].sort((a, b) => weekdays.indexOf(a) - weekdays.indexOf(b))) {
    const run = runs[runs.length - 1]
    const last = run?.[run.length - 1]
    if (run && last && weekdays.indexOf(last) + 1 === weekdays.indexOf(day)) run.push(day)
    else runs.push([day])
  }
  return runs
    .map((run) => {
      const first = run[0]!
      const last = run[run.length - 1]!
      return run.length > 2 ? `${dayShort(first)}–${dayShort(last)}` : run.map(dayShort).join(', ')
    })
    .join(', ')
}

/** Some hours in words: "Mon–Fri 08:00–17:00; Sat 10:00–12:00", or `empty` when there are none. */
export const describeHours = (hours: WeeklyHours | undefined, empty: string): string =>
  hours && hours.length > 0
    ? hours.map((span) => `${daysText(span.days)} ${span.start}–${span.end}`).join('; ')
    : empty

const DayRow = (props: { day: Weekday; hours: DayHours; set: (next: DayHours) => void }) => {
  const { day, hours, set } = props
  const name = dayName(day)
  const time = (which: 'start' | 'end', label: string) => (
    <input
      name={`${day}-${which}`}
      aria-label={`${name}: ${label}`}
      inputMode="numeric"
      pattern={clockPattern}
      placeholder="08:00"
      size={5}
      required={hours.on}
      disabled={!hours.on}
      value={hours[which]}
      onInput={(e) => set({ ...hours, [which]: e.currentTarget.value.trim() })}
    />
  )
  return (
    <div class="hours-row" data-day={day}>
      <label class="check">
        <input
          type="checkbox"
          name={`${day}-on`}
          checked={hours.on}
          onChange={(e) => set({ ...hours, on: e.currentTarget.checked })}
        />{' '}
        {name}
      </label>
      {time('start', t('hoursFrom'))}
      <span aria-hidden="true">–</span>
      {time('end', t('hoursTo'))}
    </div>
  )
}

/** The editor of a week: a checkbox and two times (HH:MM) per weekday. */
export const HoursEditor = (props: {
  legend: string
  week: Week
  onChange: (week: Week) => void
}) => {
  const hint = useId('hours-hint')
  return (
    <fieldset class="hours" aria-describedby={hint}>
      <legend>{props.legend}</legend>
      <p id={hint} class="hint">
        {t('hoursHint')}
      </p>
      {weekdays.map((day) => (
        <DayRow
          key={day}
          day={day}
          hours={props.week[day]}
          set={(next) => props.onChange({ ...props.week, [day]: next })}
        />
      ))}
    </fieldset>
  )
}
