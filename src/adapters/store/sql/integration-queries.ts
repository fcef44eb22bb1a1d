// Queries on integration sources (integrations, the event ids they sent, the ordering state of each of
// their sources), for any Kysely dialect; adapter layer.
import { randomUUID } from 'node:crypto'
import type { Selectable } from 'kysely'
import type {
  Integration,
  IntegrationKind,
  IntegrationPatch,
  IntegrationSourceState,
  NewIntegration,
} from '../../../ports/integration-store.js'
import type { IntegrationSourceTable, IntegrationTable, NarvaroDb } from './database-schema.js'

/** The prefix of the source ids of integration publications (the app layer builds the rest). */
const integrationSourcePrefix = 'integration:'

const toIntegration = (row: Selectable<IntegrationTable>): Integration => ({
  id: row.id,
  organizationId: row.organization_id,
  name: row.name,
  kinds: JSON.parse(row.kinds) as IntegrationKind[],
  createdAt: Number(row.created_at),
  ...(row.revoked_at === null ? {} : { revokedAt: Number(row.revoked_at) }),
  ...(row.last_used_at === null ? {} : { lastUsedAt: Number(row.last_used_at) }),
})

export const toSource = (row: Selectable<IntegrationSourceTable>): IntegrationSourceState => ({
  integrationId: row.integration_id,
  userId: row.user_id,
  sourceKey: row.source_key,
  lastAt: Number(row.last_at),
  ended: row.ended !== 0,
  updatedAt: Number(row.updated_at),
})

export const insertIntegration = async (
  db: NarvaroDb,
  input: NewIntegration,
): Promise<Integration> => {
  const id = `int_${randomUUID().replaceAll('-', '').slice(0, 20)}`
  await db
    .insertInto('integrations')
    .values({
      id,
      organization_id: input.organizationId,
      name: input.name,
      kinds: JSON.stringify(input.kinds),
      token_hash: input.tokenHash,
      created_at: input.createdAt,
    })
    .execute()
  const { tokenHash: _tokenHash, ...rest } = input
  return { ...rest, id }
}

export const selectIntegration = async (
  db: NarvaroDb,
  by: { readonly id: string } | { readonly tokenHash: string },
): Promise<Integration | undefined> => {
  let query = db.selectFrom('integrations').selectAll()
  query =
    'id' in by
      ? query.where('id', '=', by.id)
      : query.where('token_hash', '=', by.tokenHash).where('revoked_at', 'is', null)
  const row = await query.executeTakeFirst()
  return row === undefined ? undefined : toIntegration(row)
}

export const selectIntegrations = async (
  db: NarvaroDb,
  organizationId: string,
): Promise<readonly Integration[]> => {
  const rows = await db
    .selectFrom('integrations')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map(toIntegration)
}

export const updateIntegration = async (
  db: NarvaroDb,
  id: string,
  patch: IntegrationPatch,
): Promise<Integration | undefined> => {
  const row: Partial<Record<'token_hash' | 'revoked_at' | 'last_used_at', string | number>> = {}
  if (patch.tokenHash !== undefined) row.token_hash = patch.tokenHash
  if (patch.revokedAt !== undefined) row.revoked_at = patch.revokedAt
  if (patch.lastUsedAt !== undefined) row.last_used_at = patch.lastUsedAt
  if (Object.keys(row).length > 0) {
    await db
      .updateTable('integrations')
      .set(row as never)
      .where('id', '=', id)
      .execute()
  }
  return selectIntegration(db, { id })
}

export const selectIntegrationSources = async (
  db: NarvaroDb,
  integrationId: string,
): Promise<readonly IntegrationSourceState[]> => {
  const rows = await db
    .selectFrom('integration_sources')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .orderBy('user_id')
    .orderBy('source_key')
    .execute()
  return rows.map(toSource)
}

export const pruneIntegrationState = (
  db: NarvaroDb,
  before: number,
  now: number,
): Promise<number> =>
  db.transaction().execute(async (trx) => {
    const events = await trx
      .deleteFrom('integration_events')
      .where('seen_at', '<', before)
      .executeTakeFirst()
    const sources = await trx
      .deleteFrom('integration_sources')
      .where('updated_at', '<', before)
      .executeTakeFirst()
    const publications = await trx
      .deleteFrom('publications')
      .where('source_id', 'like', `${integrationSourcePrefix}%`)
      .where('expires_at', '<=', now)
      .executeTakeFirst()
    return Number(events.numDeletedRows + sources.numDeletedRows + publications.numDeletedRows)
  })
