// The store port for privacy: organization policies, personal rules and settings, groups, and the
// audit log. Durable; implemented by the same adapters as `PresenceStore`.
import type { OrganizationPolicy, PersonalSettings } from '../core/policy/policy-model.js'

export interface Group {
  readonly id: string
  readonly organizationId: string
  readonly name: string
  readonly createdAt: number
}

/**
 * `account`: a user added or removed, a password set, changed or reset, a token revoked;
 * `admin`: other administrative actions (groups, teams, integrations, organization settings).
 */
export const auditKinds = [
  'policy-change',
  'rule-change',
  'disclosure',
  'subscription',
  'account',
  'admin',
] as const
export type AuditKind = (typeof auditKinds)[number]

/** One audit record: who did or received what, when. */
export interface AuditEvent {
  readonly organizationId: string
  readonly kind: AuditKind
  readonly at: number
  /** Who acted (a policy or rule change) or who received the detail (a disclosure). */
  readonly actorAddress: string
  /** Whose data it concerns (the presentity), if anyone's. */
  readonly subjectAddress?: string
  /** What: e.g. `{ details: ['contact:phone', 'location:city'] }` or the changed policy. */
  readonly data: Readonly<Record<string, unknown>>
}

export interface StoredAuditEvent extends AuditEvent {
  readonly id: string
}

export interface AuditQuery {
  readonly organizationId: string
  readonly kinds?: readonly AuditKind[]
  readonly subjectAddress?: string
  readonly actorAddress?: string
  /** Only events at or after this time. */
  readonly since?: number
  /** At most this many, newest first (default 100, at most 1000). */
  readonly limit?: number
}

/**
 * Durable privacy data. Errors as for `PresenceStore`: `NRV_STORE_UNAVAILABLE` when unreachable,
 * `NRV_CONFLICT` on a duplicate, `undefined` for what is missing.
 */
export interface PolicyStore {
  /** The organization's policy, or undefined when it never set one (the default applies). */
  getOrganizationPolicy(organizationId: string): Promise<OrganizationPolicy | undefined>
  putOrganizationPolicy(organizationId: string, policy: OrganizationPolicy): Promise<void>

  /** A user's rules and settings, or undefined when never set. */
  getPersonalSettings(userId: string): Promise<PersonalSettings | undefined>
  putPersonalSettings(userId: string, settings: PersonalSettings): Promise<void>
  /** Every user's settings of one organization, keyed by user id, for the start. */
  listPersonalSettings(organizationId: string): Promise<ReadonlyMap<string, PersonalSettings>>

  createGroup(input: Omit<Group, 'id'>): Promise<Group>
  deleteGroup(groupId: string): Promise<boolean>
  listGroups(organizationId: string): Promise<readonly Group[]>
  /** Replaces the members (user ids) of a group. */
  setGroupMembers(groupId: string, userIds: readonly string[]): Promise<void>
  listGroupMembers(groupId: string): Promise<readonly string[]>
  /** The group ids a user belongs to. */
  listGroupsOf(userId: string): Promise<readonly string[]>

  /** Appends many audit events in one transaction. */
  appendAudit(events: readonly AuditEvent[]): Promise<void>
  listAudit(query: AuditQuery): Promise<readonly StoredAuditEvent[]>
  /** Deletes events older than `before` (retention); returns how many. */
  pruneAudit(before: number): Promise<number>
}
