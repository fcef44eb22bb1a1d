// Queries on the audit log, for any Kysely dialect; adapter layer. Events are appended in batches
// (one transaction, several statements), read newest first and pruned by age.
import { randomUUID } from 'node:crypto'
import type { ExpressionBuilder } from 'kysely'
import type { AuditEvent, AuditQuery, StoredAuditEvent } from '../../../ports/policy-store.js'
import type { NarvaroDatabase, NarvaroDb } from './database-schema.js'
import { inBatches } from './in-batches.js'
import { fromAuditEvent, toStoredAuditEvent } from './row-mappers.js'

/** Seven parameters a row: well under the parameter caps of SQLite (32766) and PostgreSQL. */
const eventsPerInsert = 500
export const defaultAuditLimit = 100
export const maxAuditLimit = 1_000

/** All or nothing: an event of a missing organization rejects the whole batch. */
export const insertAuditEvents = async (
  db: NarvaroDb,
  events: readonly AuditEvent[],
): Promise<void> => {
  if (events.length === 0) return
  await db.transaction().execute(async (trx) => {
    for (const batch of inBatches(events, eventsPerInsert)) {
      const rows = batch.map((event) => fromAuditEvent(randomUUID(), event))
      await trx.insertInto('audit_events').values(rows).execute()
    }
  })
}

/** The limit asked for, as a whole number from 0 to the maximum. */
export const auditLimit = (limit: number | undefined): number => {
  if (limit === undefined || Number.isNaN(limit)) return defaultAuditLimit
  return Math.min(Math.max(Math.floor(limit), 0), maxAuditLimit)
}

const matching =
  (query: AuditQuery) => (eb: ExpressionBuilder<NarvaroDatabase, 'audit_events'>) => {
    const { kinds, subjectAddress, actorAddress, since } = query
    return eb.and([
      eb('organization_id', '=', query.organizationId),
      ...(kinds === undefined ? [] : [eb('kind', 'in', kinds)]),
      ...(subjectAddress === undefined ? [] : [eb('subject_address', '=', subjectAddress)]),
      ...(actorAddress === undefined ? [] : [eb('actor_address', '=', actorAddress)]),
      ...(since === undefined ? [] : [eb('at', '>=', since)]),
    ])
  }

/**
 * Events matching every filter given, newest first (ties by id, so the order is stable). An empty
 * `kinds` matches no event.
 */
export const selectAuditEvents = async (
  db: NarvaroDb,
  query: AuditQuery,
): Promise<readonly StoredAuditEvent[]> => {
  const limit = auditLimit(query.limit)
  if (limit === 0 || query.kinds?.length === 0) return []
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where(matching(query))
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.map(toStoredAuditEvent)
}

/** Deletes every event before `before` (`at < before`); returns how many. */
export const deleteAuditEventsBefore = async (db: NarvaroDb, before: number): Promise<number> => {
  const { numDeletedRows } = await db
    .deleteFrom('audit_events')
    .where('at', '<', before)
    .executeTakeFirst()
  return Number(numDeletedRows)
}
