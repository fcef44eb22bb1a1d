// The store port for integration sources (a phone system, a conference service): integrations with
// their token hash, the event ids they sent (idempotency) and per-source ordering state. Durable.
import type { Publication } from '../core/model/presence-model.js'
import type { User } from './store.js'

/** The source kinds an integration may publish as; each event type needs one of them. */
export const integrationKinds = ['phone', 'conference', 'integration'] as const
export type IntegrationKind = (typeof integrationKinds)[number]

export interface Integration {
  readonly id: string
  readonly organizationId: string
  readonly name: string
  /** The source kinds it may publish as. */
  readonly kinds: readonly IntegrationKind[]
  readonly createdAt: number
  readonly revokedAt?: number
  readonly lastUsedAt?: number
}

export interface NewIntegration {
  readonly organizationId: string
  readonly name: string
  readonly kinds: readonly IntegrationKind[]
  /** SHA-256 of the secret, hex; the secret itself is never stored. */
  readonly tokenHash: string
  readonly createdAt: number
}

export interface IntegrationPatch {
  readonly tokenHash?: string
  readonly revokedAt?: number
  readonly lastUsedAt?: number
}

/**
 * What was last applied for one source of an integration: one (person, event type, key). Kept so
 * that an event older than it is stale, also after a restart, and an `ended` that came first wins.
 */
export interface IntegrationSourceState {
  readonly integrationId: string
  readonly userId: string
  /** `<event type>:<key>`. */
  readonly sourceKey: string
  /** The event time (`at`) of the last applied event. */
  readonly lastAt: number
  /** Whether the last applied event ended the activity. */
  readonly ended: boolean
  /** Server time of the last change, for pruning. */
  readonly updatedAt: number
}

/** What a batch of events touches: read in one round before any of its events is decided. */
export interface IntegrationBatchKeys {
  readonly integrationId: string
  readonly eventIds: readonly string[]
  /** The (normalized) addresses of the batch's people, each with a source key its events touch. */
  readonly sources: readonly { readonly address: string; readonly sourceKey: string }[]
}

/** What the store holds of a batch's keys. */
export interface IntegrationBatchReads {
  /** The batch's event ids that this integration already sent. */
  readonly seenEventIds: readonly string[]
  /** The users with the batch's addresses, of any organization; missing ones are left out. */
  readonly users: readonly User[]
  /** The states of the batch's sources that exist, for the users found. */
  readonly sources: readonly IntegrationSourceState[]
}

/** Everything a batch of events changes, written in one transaction: all of it or none. */
export interface IntegrationBatchWrite {
  readonly integrationId: string
  readonly seenAt: number
  /** The ids of the applied events. */
  readonly eventIds: readonly string[]
  /** The new state of each source that changed, one per source. */
  readonly sources: readonly IntegrationSourceState[]
  /** The durable publications: at most one entry per (user, source id) across both lists. */
  readonly publications: {
    readonly put: readonly { readonly userId: string; readonly publication: Publication }[]
    readonly delete: readonly { readonly userId: string; readonly sourceId: string }[]
  }
}

/** Errors as for `PresenceStore`; `undefined` or `false` for what is missing. */
export interface IntegrationStore {
  createIntegration(input: NewIntegration): Promise<Integration>
  getIntegration(id: string): Promise<Integration | undefined>
  /** The integrations of one organization, revoked ones too, oldest first. */
  listIntegrations(organizationId: string): Promise<readonly Integration[]>
  /** The integration, not revoked, whose token has this hash. */
  findIntegrationByToken(tokenHash: string): Promise<Integration | undefined>
  updateIntegration(id: string, patch: IntegrationPatch): Promise<Integration | undefined>

  /** The sources of one integration, for revoking it. */
  listIntegrationSources(integrationId: string): Promise<readonly IntegrationSourceState[]>
  /** Reads, in one round, the seen event ids, users and source states a batch of events needs. */
  readIntegrationBatch(keys: IntegrationBatchKeys): Promise<IntegrationBatchReads>
  /** Records the effects of a batch of events in one transaction: all of them or, on an error, none. */
  commitIntegrationBatch(write: IntegrationBatchWrite): Promise<void>
  /**
   * Forgets event ids seen and source states changed before `before`, and deletes the durable
   * publications of integrations (source ids `integration:…`) expired by `now`. Returns how many rows.
   */
  pruneIntegrationState(before: number, now: number): Promise<number>
}
