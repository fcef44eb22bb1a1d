// Queries on organization policies and personal settings, for any Kysely dialect; adapter layer.
// Both are kept whole as JSON text and read back exactly as written.
import type { OrganizationPolicy, PersonalSettings } from '../../../core/policy/policy-model.js'
import type { NarvaroDb } from './database-schema.js'
import { parseJson } from './row-mappers.js'

export const selectOrganizationPolicy = async (
  db: NarvaroDb,
  organizationId: string,
): Promise<OrganizationPolicy | undefined> => {
  const row = await db
    .selectFrom('organization_policy')
    .select('policy')
    .where('organization_id', '=', organizationId)
    .executeTakeFirst()
  return row && parseJson<OrganizationPolicy>(row.policy)
}

/** Stores the policy, replacing the organization's previous one; `now` is when it changed. */
export const upsertOrganizationPolicy = async (
  db: NarvaroDb,
  organizationId: string,
  change: { readonly policy: OrganizationPolicy; readonly now: number },
): Promise<void> => {
  const values = { policy: JSON.stringify(change.policy), updated_at: change.now }
  await db
    .insertInto('organization_policy')
    .values({ organization_id: organizationId, ...values })
    .onConflict((oc) => oc.column('organization_id').doUpdateSet(values))
    .execute()
}

export const selectPersonalSettings = async (
  db: NarvaroDb,
  userId: string,
): Promise<PersonalSettings | undefined> => {
  const row = await db
    .selectFrom('personal_settings')
    .select('settings')
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row && parseJson<PersonalSettings>(row.settings)
}

export const upsertPersonalSettings = async (
  db: NarvaroDb,
  userId: string,
  settings: PersonalSettings,
): Promise<void> => {
  const text = JSON.stringify(settings)
  await db
    .insertInto('personal_settings')
    .values({ user_id: userId, settings: text })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ settings: text }))
    .execute()
}

/** The settings of the organization's users who have any, by user id, in address order. */
export const selectPersonalSettingsOf = async (
  db: NarvaroDb,
  organizationId: string,
): Promise<ReadonlyMap<string, PersonalSettings>> => {
  const rows = await db
    .selectFrom('personal_settings as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.user_id', 's.settings'])
    .where('u.organization_id', '=', organizationId)
    .orderBy('u.address')
    .execute()
  return new Map(rows.map((row) => [row.user_id, parseJson<PersonalSettings>(row.settings)]))
}
