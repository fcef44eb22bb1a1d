// Maps store rows to domain values and back; adapter layer. Optional domain fields are NULL in a
// row and absent (never `undefined` or `null`) in the domain value, so values round-trip exactly.
import type { Insertable, Selectable } from 'kysely'
import type {
  ContactMethod,
  Publication,
  PublicationState,
  WeeklyHours,
} from '../../../core/model/presence-model.js'
import type { AuditEvent, Group, StoredAuditEvent } from '../../../ports/policy-store.js'
import type {
  ApiToken,
  Organization,
  ScramCredentials,
  SipDigestCredentials,
  StoredPublication,
  User,
} from '../../../ports/store.js'
import type {
  ApiTokenTable,
  AuditEventTable,
  ContactMethodTable,
  GroupTable,
  OrganizationTable,
  PublicationTable,
  UserTable,
} from './database-schema.js'

/** A bigint as read: a number from SQLite, a string from PostgreSQL. */
export const toMillis = (value: number | string): number => Number(value)

const optionalMillis = <K extends string>(key: K, value: number | string | null) =>
  (value === null ? {} : { [key]: toMillis(value) }) as { readonly [P in K]?: number }

/** JSON kept as text; the value is trusted to be what the store wrote. */
export const parseJson = <T>(text: string): T => JSON.parse(text) as T

export const toOrganization = (row: Selectable<OrganizationTable>): Organization => ({
  id: row.id,
  domain: row.domain,
  name: row.name,
  createdAt: toMillis(row.created_at),
})

export const toUser = (row: Selectable<UserTable>): User => ({
  id: row.id,
  organizationId: row.organization_id,
  address: row.address,
  displayName: row.display_name,
  // Absent (not null) before migration 0003 has run.
  ...(row.title == null ? {} : { title: row.title }),
  role: row.role,
  timeZone: row.time_zone,
  ...(row.working_hours === null
    ? {}
    : { workingHours: parseJson<WeeklyHours>(row.working_hours) }),
  passwordHash: row.password_hash,
  // Absent (not 0) before migration 0010 has run.
  ...(row.password_must_change ? { mustChangePassword: true as const } : {}),
  ...optionalMillis('oneTimeUsedAt', row.one_time_used_at ?? null),
  // Absent before migration 0011, and for a password set before it.
  ...(row.scram == null ? {} : { scram: parseJson<ScramCredentials>(row.scram) }),
  ...(row.sip_digest == null ? {} : { sipDigest: parseJson<SipDigestCredentials>(row.sip_digest) }),
  createdAt: toMillis(row.created_at),
  ...optionalMillis('lastSeen', row.last_seen),
})

export const toApiToken = (row: Selectable<ApiTokenTable>): ApiToken => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  createdAt: toMillis(row.created_at),
  ...optionalMillis('expiresAt', row.expires_at),
  ...optionalMillis('revokedAt', row.revoked_at),
  ...optionalMillis('lastUsedAt', row.last_used_at),
})

export const toContactMethod = (row: Selectable<ContactMethodTable>): ContactMethod => ({
  id: row.id,
  kind: row.kind,
  address: row.address,
  rank: row.rank,
  scope: row.scope,
  ...(row.hours === null ? {} : { hours: parseJson<WeeklyHours>(row.hours) }),
})

export const fromContactMethod = (
  userId: string,
  method: ContactMethod,
  position: number,
): Insertable<ContactMethodTable> => ({
  id: method.id,
  user_id: userId,
  position,
  kind: method.kind,
  address: method.address,
  rank: method.rank,
  scope: method.scope,
  hours: method.hours === undefined ? null : JSON.stringify(method.hours),
})

export const toStoredPublication = (row: Selectable<PublicationTable>): StoredPublication => ({
  userId: row.user_id,
  publication: {
    source: { id: row.source_id, kind: row.source_kind },
    state: parseJson<PublicationState>(row.state),
    publishedAt: toMillis(row.published_at),
    expiresAt: toMillis(row.expires_at),
    ...optionalMillis('version', row.version),
    ...optionalMillis('lastActiveAt', row.last_active_at),
    ...(row.idle === null ? {} : { idle: row.idle !== 0 }),
  },
})

export const fromPublication = (
  userId: string,
  publication: Publication,
): Insertable<PublicationTable> => ({
  user_id: userId,
  source_id: publication.source.id,
  source_kind: publication.source.kind,
  state: JSON.stringify(publication.state),
  published_at: publication.publishedAt,
  expires_at: publication.expiresAt,
  version: publication.version ?? null,
  last_active_at: publication.lastActiveAt ?? null,
  idle: publication.idle === undefined ? null : Number(publication.idle),
})

export const toGroup = (row: Selectable<GroupTable>): Group => ({
  id: row.id,
  organizationId: row.organization_id,
  name: row.name,
  createdAt: toMillis(row.created_at),
})

export const toStoredAuditEvent = (row: Selectable<AuditEventTable>): StoredAuditEvent => ({
  id: row.id,
  organizationId: row.organization_id,
  kind: row.kind,
  at: toMillis(row.at),
  actorAddress: row.actor_address,
  ...(row.subject_address === null ? {} : { subjectAddress: row.subject_address }),
  data: parseJson<Record<string, unknown>>(row.data),
})

export const fromAuditEvent = (id: string, event: AuditEvent): Insertable<AuditEventTable> => ({
  id,
  organization_id: event.organizationId,
  kind: event.kind,
  at: event.at,
  actor_address: event.actorAddress,
  subject_address: event.subjectAddress ?? null,
  data: JSON.stringify(event.data),
})
