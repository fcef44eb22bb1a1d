// Kysely table types of migrations 0006 and 0007 (schedule entries, calendar feeds, scheduled publications);
// adapter layer.
import type { BigIntColumn, NullableBigIntColumn } from './column-types.js'

export interface ScheduledPublicationTable {
  owner: string
  source_id: string
  user_id: string
  source_kind: 'calendar' | 'schedule'
  /** JSON of `PublicationState`. */
  state: string
  starts_at: BigIntColumn
  ends_at: BigIntColumn
  free_busy: 'busy' | 'out-of-office' | null
}

export interface ScheduleEntryTable {
  id: string
  user_id: string
  name: string
  /** JSON of `ScheduleSet`. */
  set_state: string
  /** JSON of `ScheduleWhen`. */
  when_rule: string
  created_at: BigIntColumn
}

export interface CalendarFeedTable {
  id: string
  user_id: string
  name: string
  url: string | null
  ics: string | null
  refreshed_at: NullableBigIntColumn
  last_error: string | null
  /** Migration 0007. */
  refresh_minutes: number | null
  /** Migration 0009: a JSON array of texts. */
  last_warnings: string | null
  created_at: BigIntColumn
}

export interface ScheduleTables {
  scheduled_publications: ScheduledPublicationTable
  schedule_entries: ScheduleEntryTable
  calendar_feeds: CalendarFeedTable
}
