// Kysely table types of the store schema, shared by the SQLite and PostgreSQL adapters; adapter layer.
// Times are epoch milliseconds in bigint columns; JSON values are kept as text.
import type { ColumnType, Kysely } from 'kysely'
import type { ContactKind, ContactScope, SourceKind } from '../../../core/model/presence-model.js'
import type { SubscriptionState } from '../../../core/subscriptions/subscription.js'
import type { AuditKind } from '../../../ports/policy-store.js'
import type { UserRole } from '../../../ports/store.js'
import type { ScheduleTables } from './schedule-schema.js'
import type { BigIntColumn, NullableBigIntColumn } from './column-types.js'

export type { BigIntColumn, NullableBigIntColumn } from './column-types.js'

export interface OrganizationTable {
  id: string
  domain: string
  name: string
  created_at: BigIntColumn
}

export interface UserTable {
  id: string
  organization_id: string
  address: string
  display_name: string
  role: UserRole
  time_zone: string
  /** JSON of `WeeklyHours`. */
  working_hours: string | null
  password_hash: string
  created_at: BigIntColumn
  last_seen: NullableBigIntColumn
  /** Migration 0003. */
  title: ColumnType<string | null, string | null | undefined, string | null>
  /** The display name in lower case, for case-insensitive search on every dialect (0003). */
  search_name: ColumnType<string, string | undefined, string>
  /** 1 while the password is one-time and must be changed (0010). */
  password_must_change: ColumnType<number, number | undefined, number>
  /** When a one-time password signed in; it signs in only once (0010). */
  one_time_used_at: ColumnType<number | string | null, number | null | undefined, number | null>
  /** JSON of `ScramCredentials`, derived when the password was set (0011). */
  scram: ColumnType<string | null, string | null | undefined, string | null>
  /** JSON of `SipDigestCredentials`, set apart from the password (0012). */
  sip_digest: ColumnType<string | null, string | null | undefined, string | null>
}

export interface ApiTokenTable {
  id: string
  user_id: string
  name: string
  token_hash: string
  created_at: BigIntColumn
  expires_at: NullableBigIntColumn
  revoked_at: NullableBigIntColumn
  last_used_at: NullableBigIntColumn
}

export interface ContactMethodTable {
  id: string
  user_id: string
  /** Order within the user's list, as given to `replaceContactMethods`. */
  position: number
  kind: ContactKind
  address: string
  rank: number
  scope: ContactScope
  /** JSON of `WeeklyHours`. */
  hours: string | null
}

export interface SubscriptionTable {
  watcher_id: string
  presentity_id: string
  state: SubscriptionState
  created_at: BigIntColumn
}

export interface PublicationTable {
  user_id: string
  source_id: string
  source_kind: SourceKind
  /** JSON of `PublicationState`. */
  state: string
  published_at: BigIntColumn
  expires_at: BigIntColumn
  version: NullableBigIntColumn
  last_active_at: NullableBigIntColumn
  /** 1 or 0: an integer rather than a boolean, the same on both dialects. */
  idle: number | null
}

export interface OrganizationPolicyTable {
  organization_id: string
  /** JSON of `OrganizationPolicy`. */
  policy: string
  updated_at: BigIntColumn
}

export interface PersonalSettingsTable {
  user_id: string
  /** JSON of `PersonalSettings`. */
  settings: string
}

export interface GroupTable {
  id: string
  organization_id: string
  name: string
  created_at: BigIntColumn
}

export interface GroupMemberTable {
  group_id: string
  user_id: string
}

export interface AuditEventTable {
  id: string
  organization_id: string
  kind: AuditKind
  at: BigIntColumn
  actor_address: string
  subject_address: string | null
  /** JSON of the event's `data`. */
  data: string
}

export interface UserTagTable {
  user_id: string
  tag: string
}

export interface ContactListTable {
  id: string
  owner_id: string
  name: string
  created_at: BigIntColumn
}

export interface ContactListMemberTable {
  list_id: string
  user_id: string
}

/** Migration 0004. */
export interface WebhookTable {
  id: string
  owner_id: string
  url: string
  secret: string
  previous_secret: string | null
  previous_secret_expires_at: NullableBigIntColumn
  /** JSON array of addresses. */
  addresses: string
  /** JSON array of event types. */
  events: string
  enabled: number
  disabled_reason: string | null
  failure_count: number
  first_failure_at: NullableBigIntColumn
  created_at: BigIntColumn
  updated_at: BigIntColumn
}

/** Migration 0004. */
export interface WebhookDeliveryTable {
  id: string
  webhook_id: string
  message_id: string
  event_type: string
  attempt: number
  status_code: number | null
  error: string | null
  duration_ms: number
  at: BigIntColumn
}

/** Migration 0008. */
export interface WebhookMessageTable {
  webhook_id: string
  message_key: string
  message_id: string
  event_type: string
  body: string
  created_at: BigIntColumn
}

/** Migration 0005. */
export interface IntegrationTable {
  id: string
  organization_id: string
  name: string
  /** JSON array of source kinds. */
  kinds: string
  token_hash: string
  created_at: BigIntColumn
  revoked_at: NullableBigIntColumn
  last_used_at: NullableBigIntColumn
}

/** Migration 0005. */
export interface IntegrationEventTable {
  integration_id: string
  event_id: string
  seen_at: BigIntColumn
}

/** Migration 0005. */
export interface IntegrationSourceTable {
  integration_id: string
  user_id: string
  source_key: string
  last_at: BigIntColumn
  /** 1 or 0. */
  ended: number
  updated_at: BigIntColumn
}

export interface NarvaroDatabase extends ScheduleTables {
  webhooks: WebhookTable
  webhook_deliveries: WebhookDeliveryTable
  webhook_messages: WebhookMessageTable
  integrations: IntegrationTable
  integration_events: IntegrationEventTable
  integration_sources: IntegrationSourceTable
  organizations: OrganizationTable
  users: UserTable
  api_tokens: ApiTokenTable
  contact_methods: ContactMethodTable
  subscriptions: SubscriptionTable
  publications: PublicationTable
  organization_policy: OrganizationPolicyTable
  personal_settings: PersonalSettingsTable
  groups: GroupTable
  group_members: GroupMemberTable
  audit_events: AuditEventTable
  user_tags: UserTagTable
  contact_lists: ContactListTable
  contact_list_members: ContactListMemberTable
}

export type NarvaroDb = Kysely<NarvaroDatabase>
