// Queries on scheduled publications, schedule entries and calendar feeds, for any Kysely dialect;
// adapter layer.
import { randomUUID } from 'node:crypto'
import type { Selectable } from 'kysely'
import type {
  CalendarFeed,
  CalendarFeedPatch,
  NewCalendarFeed,
  NewScheduleEntry,
  ScheduleEntry,
  ScheduledPublication,
} from '../../../ports/schedule-store.js'
import type { NarvaroDb } from './database-schema.js'
import { inBatches } from './in-batches.js'
import type {
  CalendarFeedTable,
  ScheduleEntryTable,
  ScheduledPublicationTable,
} from './schedule-schema.js'

/** Rows per insert statement: far below every dialect's limit on bound parameters. */
const rowsPerInsert = 100

const toScheduled = (row: Selectable<ScheduledPublicationTable>): ScheduledPublication => ({
  userId: row.user_id,
  owner: row.owner,
  sourceId: row.source_id,
  sourceKind: row.source_kind,
  state: JSON.parse(row.state) as ScheduledPublication['state'],
  startsAt: Number(row.starts_at),
  endsAt: Number(row.ends_at),
  ...(row.free_busy === null ? {} : { freeBusy: row.free_busy }),
})

const fromScheduled = (item: ScheduledPublication) => ({
  owner: item.owner,
  source_id: item.sourceId,
  user_id: item.userId,
  source_kind: item.sourceKind,
  state: JSON.stringify(item.state),
  starts_at: item.startsAt,
  ends_at: item.endsAt,
  free_busy: item.freeBusy ?? null,
})

export const replaceScheduled = (
  db: NarvaroDb,
  owner: string,
  items: readonly ScheduledPublication[],
): Promise<void> =>
  db.transaction().execute(async (trx) => {
    await trx.deleteFrom('scheduled_publications').where('owner', '=', owner).execute()
    for (const batch of inBatches(items, rowsPerInsert)) {
      const rows = batch.map((item) => fromScheduled({ ...item, owner }))
      await trx.insertInto('scheduled_publications').values(rows).execute()
    }
  })

export const selectScheduled = async (
  db: NarvaroDb,
  query: { readonly from: number; readonly to: number; readonly userId?: string },
): Promise<readonly ScheduledPublication[]> => {
  let select = db
    .selectFrom('scheduled_publications')
    .selectAll()
    .where('ends_at', '>', query.from)
    .where('starts_at', '<', query.to)
  if (query.userId !== undefined) select = select.where('user_id', '=', query.userId)
  const rows = await select.orderBy('starts_at').orderBy('owner').orderBy('source_id').execute()
  return rows.map(toScheduled)
}

export const pruneScheduled = async (db: NarvaroDb, before: number): Promise<number> => {
  const { numDeletedRows } = await db
    .deleteFrom('scheduled_publications')
    .where('ends_at', '<=', before)
    .executeTakeFirst()
  return Number(numDeletedRows)
}

const toEntry = (row: Selectable<ScheduleEntryTable>): ScheduleEntry => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  set: JSON.parse(row.set_state) as ScheduleEntry['set'],
  when: JSON.parse(row.when_rule) as ScheduleEntry['when'],
  createdAt: Number(row.created_at),
})

export const insertEntry = async (
  db: NarvaroDb,
  input: NewScheduleEntry,
): Promise<ScheduleEntry> => {
  const entry: ScheduleEntry = { id: randomUUID(), ...input }
  await db
    .insertInto('schedule_entries')
    .values({
      id: entry.id,
      user_id: entry.userId,
      name: entry.name,
      set_state: JSON.stringify(entry.set),
      when_rule: JSON.stringify(entry.when),
      created_at: entry.createdAt,
    })
    .execute()
  return entry
}

export const selectEntry = async (
  db: NarvaroDb,
  id: string,
): Promise<ScheduleEntry | undefined> => {
  const row = await db
    .selectFrom('schedule_entries')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toEntry(row) : undefined
}

export const selectEntries = async (
  db: NarvaroDb,
  userId?: string,
): Promise<readonly ScheduleEntry[]> => {
  let select = db.selectFrom('schedule_entries').selectAll()
  if (userId !== undefined) select = select.where('user_id', '=', userId)
  return (await select.orderBy('created_at').orderBy('id').execute()).map(toEntry)
}

export const deleteEntry = async (db: NarvaroDb, id: string): Promise<boolean> => {
  const { numDeletedRows } = await db
    .deleteFrom('schedule_entries')
    .where('id', '=', id)
    .executeTakeFirst()
  return numDeletedRows > 0n
}

const toFeed = (row: Selectable<CalendarFeedTable>): CalendarFeed => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  ...(row.url === null ? {} : { url: row.url }),
  ...(row.ics === null ? {} : { ics: row.ics }),
  ...(row.refreshed_at === null ? {} : { refreshedAt: Number(row.refreshed_at) }),
  ...(row.last_error === null ? {} : { lastError: row.last_error }),
  ...(row.refresh_minutes === null ? {} : { refreshMinutes: Number(row.refresh_minutes) }),
  ...(row.last_warnings === null ? {} : { warnings: JSON.parse(row.last_warnings) as string[] }),
  createdAt: Number(row.created_at),
})

/** Stored as a JSON array; none is null. */
const warningsColumn = (warnings: readonly string[] | undefined): string | null =>
  warnings === undefined || warnings.length === 0 ? null : JSON.stringify(warnings)

export const insertFeed = async (db: NarvaroDb, input: NewCalendarFeed): Promise<CalendarFeed> => {
  const id = randomUUID()
  await db
    .insertInto('calendar_feeds')
    .values({
      id,
      user_id: input.userId,
      name: input.name,
      url: input.url ?? null,
      ics: input.ics ?? null,
      refreshed_at: input.refreshedAt ?? null,
      last_error: input.lastError ?? null,
      refresh_minutes: input.refreshMinutes ?? null,
      last_warnings: warningsColumn(input.warnings),
      created_at: input.createdAt,
    })
    .execute()
  return { id, ...input }
}

export const selectFeed = async (db: NarvaroDb, id: string): Promise<CalendarFeed | undefined> => {
  const row = await db
    .selectFrom('calendar_feeds')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toFeed(row) : undefined
}

export const selectFeeds = async (
  db: NarvaroDb,
  userId?: string,
): Promise<readonly CalendarFeed[]> => {
  let select = db.selectFrom('calendar_feeds').selectAll()
  if (userId !== undefined) select = select.where('user_id', '=', userId)
  return (await select.orderBy('created_at').orderBy('id').execute()).map(toFeed)
}

export const updateFeed = async (
  db: NarvaroDb,
  id: string,
  patch: CalendarFeedPatch,
): Promise<CalendarFeed | undefined> => {
  const changes = {
    ...(patch.name === undefined ? {} : { name: patch.name }),
    ...(patch.url === undefined ? {} : { url: patch.url }),
    ...(patch.ics === undefined ? {} : { ics: patch.ics }),
    ...(patch.refreshedAt === undefined ? {} : { refreshed_at: patch.refreshedAt }),
    ...('lastError' in patch ? { last_error: patch.lastError ?? null } : {}),
    ...(patch.refreshMinutes === undefined ? {} : { refresh_minutes: patch.refreshMinutes }),
    ...('warnings' in patch ? { last_warnings: warningsColumn(patch.warnings) } : {}),
  }
  if (Object.keys(changes).length > 0) {
    await db.updateTable('calendar_feeds').set(changes).where('id', '=', id).execute()
  }
  return selectFeed(db, id)
}

export const deleteFeed = async (db: NarvaroDb, id: string): Promise<boolean> => {
  const { numDeletedRows } = await db
    .deleteFrom('calendar_feeds')
    .where('id', '=', id)
    .executeTakeFirst()
  return numDeletedRows > 0n
}
