// Shared values of the PolicyStore contract suite: policies, settings and audit events that use
// every field, so that a lossy round trip shows; contract tests.
import type {
  OrganizationPolicy,
  PersonalRule,
  PersonalSettings,
} from '../../src/core/policy/policy-model.js'
import type { AuditEvent, PolicyStore } from '../../src/ports/policy-store.js'
import type { Organization, PresenceStore, User } from '../../src/ports/store.js'
import { hour, t0 } from './presence-store-fixtures.js'

export type FullStore = PresenceStore & PolicyStore

/** A migrated store with two organizations: Acme (Alice, Bob) and Beta (Carol). */
export interface PolicyFixture {
  readonly store: FullStore
  readonly acme: Organization
  readonly beta: Organization
  readonly alice: User
  readonly bob: User
  readonly carol: User
}

export const everyCondition: PersonalRule = {
  id: 'r-1',
  conditions: {
    addresses: ['bob@acme.example'],
    groups: ['g-1', 'g-2'],
    ownOrganization: true,
    domains: ['partner.example'],
    everyone: false,
    except: ['eve@acme.example'],
    validFrom: t0,
    validUntil: t0 + 24 * hour,
    workingHours: 'inside',
  },
  subscription: 'confirm',
  grant: {
    activities: true,
    note: false,
    mood: true,
    place: false,
    location: 'country',
    timeZone: true,
    lastSeen: false,
    devices: true,
    contactScopes: ['work', 'personal'],
    contactMethodIds: ['cm-1', 'cm-3'],
  },
}

export const fullSettings: PersonalSettings = {
  rules: [everyCondition, { id: 'r-2', conditions: { everyone: true }, grant: {} }],
  appearOfflineTo: ['mallory@other.example', 'bob@acme.example'],
  shareOutsideWorkingHours: true,
}

export const strictPolicy: OrganizationPolicy = {
  defaultRules: [everyCondition],
  colleagueCeiling: { subscription: 'confirm', grant: { activities: true, location: 'city' } },
  externalCeiling: { subscription: 'block', grant: {} },
  offWorkOutsideHours: false,
}

/** A disclosure to `actor` of `subject`'s details at `at`, in Acme unless told otherwise. */
export const disclosure = (
  organization: Organization,
  at: number,
  parties: { readonly actor: string; readonly subject?: string },
): AuditEvent => ({
  organizationId: organization.id,
  kind: 'disclosure',
  at,
  actorAddress: parties.actor,
  ...(parties.subject === undefined ? {} : { subjectAddress: parties.subject }),
  data: { details: ['contact:phone', 'location:city'], seq: at - t0, nested: { ok: true } },
})
