// The schedule store port: what is planned for people (schedule entries, calendars) and the scheduled
// publications expanded from them, so a change due while the server was down is applied at start.
import type { PublicationState, WeeklyHours } from '../core/model/presence-model.js'

/** The kinds of source a scheduled publication speaks for. */
export type ScheduledSourceKind = 'calendar' | 'schedule'

/** What free/busy shows of a scheduled publication (nothing else of it is ever shown there). */
export type FreeBusyKind = 'busy' | 'out-of-office'

/** One planned publication of one person, live from `startsAt` to `endsAt` (epoch ms). */
export interface ScheduledPublication {
  readonly userId: string
  /** What it was expanded from (`schedule:<id>`, `calendar:<id>`): replaced as a whole. */
  readonly owner: string
  readonly sourceId: string
  readonly sourceKind: ScheduledSourceKind
  readonly state: PublicationState
  readonly startsAt: number
  readonly endsAt: number
  readonly freeBusy?: FreeBusyKind
}

/** When a schedule entry applies: once, or every week in the person's time zone. */
export type ScheduleWhen =
  | { readonly once: { readonly startsAt: number; readonly endsAt: number } }
  | { readonly weekly: WeeklyHours }

/** What a schedule entry sets while it applies. */
export interface ScheduleSet {
  readonly availability?: 'do-not-disturb' | 'busy' | 'away' | 'be-right-back'
  readonly note?: string
  readonly workLocation?: PublicationState['workLocation']
}

/** A person's planned change: scheduled do-not-disturb, a planned note or work location. */
export interface ScheduleEntry {
  readonly id: string
  readonly userId: string
  readonly name: string
  readonly set: ScheduleSet
  readonly when: ScheduleWhen
  readonly createdAt: number
}

export type NewScheduleEntry = Omit<ScheduleEntry, 'id'>

/** A calendar of a person: an uploaded iCalendar file, or an ICS URL fetched on a schedule. */
export interface CalendarFeed {
  readonly id: string
  readonly userId: string
  readonly name: string
  /** A subscribed feed; absent for an uploaded file. */
  readonly url?: string
  /** The last iCalendar text read (uploaded, or fetched from `url`). */
  readonly ics?: string
  readonly refreshedAt?: number
  /** Why the last fetch or parse failed, shown to the owner. */
  readonly lastError?: string
  /** How often a subscribed feed is fetched; absent means the service's default. */
  readonly refreshMinutes?: number
  /** What the last good read skipped or read leniently, shown to the owner; absent for nothing. */
  readonly warnings?: readonly string[]
  readonly createdAt: number
}

export type NewCalendarFeed = Omit<CalendarFeed, 'id'>
export type CalendarFeedPatch = Partial<
  Pick<
    CalendarFeed,
    'name' | 'url' | 'ics' | 'refreshedAt' | 'lastError' | 'refreshMinutes' | 'warnings'
  >
>

export interface ScheduleStore {
  /** Replaces every scheduled publication of `owner` with `items` (all of that owner), in one transaction. */
  replaceScheduledPublications(owner: string, items: readonly ScheduledPublication[]): Promise<void>
  /** Scheduled publications overlapping [from, to), of one user or of everyone, by start. */
  listScheduledPublications(query: {
    readonly from: number
    readonly to: number
    readonly userId?: string
  }): Promise<readonly ScheduledPublication[]>
  /** Forgets what ended before `before`; returns how many. */
  pruneScheduledPublications(before: number): Promise<number>

  createScheduleEntry(input: NewScheduleEntry): Promise<ScheduleEntry>
  getScheduleEntry(id: string): Promise<ScheduleEntry | undefined>
  /** Of one user, or of everyone. */
  listScheduleEntries(userId?: string): Promise<readonly ScheduleEntry[]>
  deleteScheduleEntry(id: string): Promise<boolean>

  createCalendarFeed(input: NewCalendarFeed): Promise<CalendarFeed>
  getCalendarFeed(id: string): Promise<CalendarFeed | undefined>
  /** Of one user, or of everyone. */
  listCalendarFeeds(userId?: string): Promise<readonly CalendarFeed[]>
  updateCalendarFeed(id: string, patch: CalendarFeedPatch): Promise<CalendarFeed | undefined>
  deleteCalendarFeed(id: string): Promise<boolean>
}
