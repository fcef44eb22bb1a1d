// What a calendar import produces: occurrences that change presence, without titles or notes;
// app layer (calendar import).
import type { CalendarKind } from './classify-event.js'

/** One occurrence of a busy or out-of-office event. Summaries and descriptions are never kept. */
export interface CalendarOccurrence {
  readonly uid: string
  /** Stable id of this occurrence: the uid, plus the original start (RECURRENCE-ID) for a recurring event. */
  readonly occurrenceId: string
  /** Epoch ms. */
  readonly startsAt: number
  /** Epoch ms, after `startsAt`. */
  readonly endsAt: number
  readonly allDay: boolean
  /** What it does to presence: a meeting makes the person busy; out-of-office makes them away. */
  readonly kind: CalendarKind
}

export interface CalendarExpansion {
  /** Ordered by start, then by occurrence id. */
  readonly occurrences: readonly CalendarOccurrence[]
  /** What was skipped or read leniently, for the person who imported the file. */
  readonly warnings: readonly string[]
}
