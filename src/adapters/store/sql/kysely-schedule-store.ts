// The ScheduleStore methods of the SQL stores (scheduled publications, schedule entries, calendar
// feeds), kept apart from the main store class by size; adapter layer.
import type {
  CalendarFeed,
  CalendarFeedPatch,
  NewCalendarFeed,
  NewScheduleEntry,
  ScheduleEntry,
  ScheduleStore,
  ScheduledPublication,
} from '../../../ports/schedule-store.js'
import type { NarvaroDb } from './database-schema.js'
import { KyselyIntegrationStore } from './kysely-integration-store.js'
import * as schedules from './schedule-queries.js'

/** The base of `KyselyPresenceStore`: it supplies `run`, which wraps driver errors. */
export abstract class KyselyScheduleStore extends KyselyIntegrationStore implements ScheduleStore {
  protected abstract override run<T>(
    operation: string,
    work: (db: NarvaroDb) => Promise<T>,
  ): Promise<T>

  replaceScheduledPublications(
    owner: string,
    items: readonly ScheduledPublication[],
  ): Promise<void> {
    return this.run('replaceScheduledPublications', (db) =>
      schedules.replaceScheduled(db, owner, items),
    )
  }

  listScheduledPublications(query: {
    readonly from: number
    readonly to: number
    readonly userId?: string
  }): Promise<readonly ScheduledPublication[]> {
    return this.run('listScheduledPublications', (db) => schedules.selectScheduled(db, query))
  }

  pruneScheduledPublications(before: number): Promise<number> {
    return this.run('pruneScheduledPublications', (db) => schedules.pruneScheduled(db, before))
  }

  createScheduleEntry(input: NewScheduleEntry): Promise<ScheduleEntry> {
    return this.run('createScheduleEntry', (db) => schedules.insertEntry(db, input))
  }

  getScheduleEntry(id: string): Promise<ScheduleEntry | undefined> {
    return this.run('getScheduleEntry', (db) => schedules.selectEntry(db, id))
  }

  listScheduleEntries(userId?: string): Promise<readonly ScheduleEntry[]> {
    return this.run('listScheduleEntries', (db) => schedules.selectEntries(db, userId))
  }

  deleteScheduleEntry(id: string): Promise<boolean> {
    return this.run('deleteScheduleEntry', (db) => schedules.deleteEntry(db, id))
  }

  createCalendarFeed(input: NewCalendarFeed): Promise<CalendarFeed> {
    return this.run('createCalendarFeed', (db) => schedules.insertFeed(db, input))
  }

  getCalendarFeed(id: string): Promise<CalendarFeed | undefined> {
    return this.run('getCalendarFeed', (db) => schedules.selectFeed(db, id))
  }

  listCalendarFeeds(userId?: string): Promise<readonly CalendarFeed[]> {
    return this.run('listCalendarFeeds', (db) => schedules.selectFeeds(db, userId))
  }

  updateCalendarFeed(id: string, patch: CalendarFeedPatch): Promise<CalendarFeed | undefined> {
    return this.run('updateCalendarFeed', (db) => schedules.updateFeed(db, id, patch))
  }

  deleteCalendarFeed(id: string): Promise<boolean> {
    return this.run('deleteCalendarFeed', (db) => schedules.deleteFeed(db, id))
  }
}
