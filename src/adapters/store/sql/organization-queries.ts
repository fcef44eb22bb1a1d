// Queries on organizations, for any Kysely dialect; adapter layer.
import { randomUUID } from 'node:crypto'
import type { Organization } from '../../../ports/store.js'
import type { NarvaroDb } from './database-schema.js'
import { toOrganization } from './row-mappers.js'

export const insertOrganization = async (
  db: NarvaroDb,
  input: Omit<Organization, 'id'>,
): Promise<Organization> => {
  const row = {
    id: randomUUID(),
    domain: input.domain,
    name: input.name,
    created_at: input.createdAt,
  }
  await db.insertInto('organizations').values(row).execute()
  return toOrganization(row)
}

export const selectOrganization = async (
  db: NarvaroDb,
  by: { readonly id: string } | { readonly domain: string },
): Promise<Organization | undefined> => {
  const query = db.selectFrom('organizations').selectAll()
  const row = await (
    'id' in by ? query.where('id', '=', by.id) : query.where('domain', '=', by.domain)
  ).executeTakeFirst()
  return row && toOrganization(row)
}

export const selectOrganizations = async (db: NarvaroDb): Promise<readonly Organization[]> => {
  const rows = await db.selectFrom('organizations').selectAll().orderBy('domain').execute()
  return rows.map(toOrganization)
}
