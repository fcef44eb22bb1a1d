// The bus port: the one change channel. It carries presence changes and access changes from where
// they are decided to every process that fans out or holds live sessions.
import type { Presence } from '../core/aggregation/presence.js'
import type { OrganizationPolicy, PersonalSettings } from '../core/policy/policy-model.js'
import type { Profile, Publication } from '../core/model/presence-model.js'

/** One presentity's new aggregate presence, with its sequence number. */
export interface PresenceChanged {
  readonly type: 'presence-changed'
  readonly address: string
  readonly organizationId: string
  readonly seq: number
  readonly presence: Presence
  /** The durable facts the views of this change are computed with. */
  readonly profile: Profile
}

/** Why someone's access ended: every live session it covers closes with this reason. */
export type AccessEndReason =
  'token-revoked' | 'token-expired' | 'password-changed' | 'user-removed'

/**
 * Access of a user ended: the tokens in `tokenIds` were revoked or expired, or the user was removed
 * (`tokenIds` are then all of theirs, and every session of the address ends, whatever its token).
 */
export interface AccessEnded {
  readonly type: 'access-ended'
  readonly organizationId: string
  readonly address: string
  readonly reason: AccessEndReason
  readonly tokenIds: readonly string[]
}

/**
 * A user's account record changed (profile, password, one-time status, credentials of a gateway):
 * every node forgets what it cached of it (verified tokens), so the next use reads it again.
 */
export interface AccountChanged {
  readonly type: 'account-changed'
  readonly organizationId: string
  readonly address: string
}

/**
 * What a change of policy (or of the facts a policy decides on) can affect: everyone's view of one
 * presentity (their rules, their profile, a time boundary of their hours or rules), one watcher's
 * views of everyone (their groups), one watcher's view of one presentity (an approval), or every
 * view of an organization's people (its policy).
 */
export type PolicyScope =
  | { readonly kind: 'presentity'; readonly address: string }
  | { readonly kind: 'watcher'; readonly address: string }
  | { readonly kind: 'pair'; readonly presentity: string; readonly watcher: string }
  | { readonly kind: 'organization'; readonly organizationId: string }

/**
 * The new value behind a policy change, so every node's in-memory copy follows the node that made it
 * (each node keeps these copies to decide permissions synchronously on the notification path).
 */
export type PolicyUpdate =
  | {
      readonly kind: 'policy'
      readonly organizationId: string
      readonly policy: OrganizationPolicy
    }
  | { readonly kind: 'settings'; readonly address: string; readonly settings: PersonalSettings }
  | { readonly kind: 'groups'; readonly address: string; readonly groups: readonly string[] }
  | {
      readonly kind: 'approved'
      readonly presentity: string
      readonly watcher: string
      readonly approved: boolean
    }
  | { readonly kind: 'profile'; readonly userId: string; readonly profile: Profile }
  | { readonly kind: 'forget'; readonly address: string }

/** A rule, policy, group, approval, profile or time boundary changed what someone may see. */
export interface PolicyChanged {
  readonly type: 'policy-changed'
  readonly scope: PolicyScope
  /** The new value, when an in-memory copy holds it (absent for a time boundary). */
  readonly update?: PolicyUpdate
  /** The node that made the change (set by a cluster's change channel); it applied it already. */
  readonly origin?: string
}

/** What a node asks every node to apply to one presentity's live sources (a cluster's engine). */
export type PresenceOperation =
  | { readonly kind: 'publish'; readonly publication: Publication }
  | { readonly kind: 'retract'; readonly sourceId: string }
  | { readonly kind: 'retract-all' }
  | { readonly kind: 'advance' }
  /** All of the sending node's sources of the presentity (after Redis lost them, or on request). */
  | { readonly kind: 'sync'; readonly publications: readonly Publication[] }

/**
 * In a cluster, presence changes are decided by every node alike: each applies the same inputs in the
 * change channel's order, at the time and with the sequence number the input carries.
 */
export type PresenceInput =
  | {
      readonly type: 'presence-input'
      readonly node: string
      readonly address: string
      /** When the sending node decided it (epoch ms): every node steps at this time. */
      readonly at: number
      readonly operation: PresenceOperation
      /** Given by the change channel: greater than every earlier input's. */
      readonly seq?: number
    }
  | {
      /** `gone`'s lease ran out: its sources end on every node. */
      readonly type: 'node-gone'
      readonly node: string
      readonly gone: string
      readonly at: number
      readonly seq?: number
    }
  | {
      /** A node joined or lost its copy: every node sends its sources again (`sync`). */
      readonly type: 'sync-request'
      readonly node: string
    }
  | {
      /** `node` sent all its sources after `requester` asked (they are before this on the channel). */
      readonly type: 'sync-done'
      readonly node: string
      readonly requester: string
    }

/**
 * A message about a user's own account (a watcher's request, a subscription's state, an invitation),
 * for that user's sessions on every node of a cluster.
 */
export interface UserNotice {
  readonly type: 'user-notice'
  readonly address: string
  readonly message: Readonly<Record<string, unknown>>
}

/** Live delivery of `presentity` to `watcher` (to everyone, without one) ends on every node. */
export interface WatchEnded {
  readonly type: 'watch-ended'
  readonly presentity: string
  readonly watcher?: string
}

/** What a gathering is, apart from its invitees. */
export interface GatheringFacts {
  readonly id: string
  readonly organizer: string
  readonly topic: string
  readonly createdAt: number
  readonly expiresAt: number
  /** Whether the people not free at the start are invited once they become free. */
  readonly inviteLater: boolean
}

/** A gathering as the node that holds it (its organizer's, where it was started) shares it. */
export interface SharedGathering extends GatheringFacts {
  readonly invitees: readonly (readonly [
    string,
    { readonly state: 'invited' | 'waiting' | 'accepted' | 'declined'; readonly at: number },
  ])[]
}

/**
 * In a cluster: a gathering's state after each change, for the other nodes' copies (`gathering`
 * absent once it ended); or an answer or cancellation made on another node, for the holder to apply.
 */
export type GatheringEvent =
  | {
      readonly type: 'gathering-state'
      readonly holder: string
      readonly id: string
      readonly gathering?: SharedGathering
    }
  | {
      readonly type: 'gathering-request'
      readonly id: string
      readonly request:
        | {
            readonly kind: 'answer'
            readonly invitee: string
            readonly answer: 'accept' | 'decline'
          }
        | { readonly kind: 'cancel' }
    }

/**
 * A watcher's subscriptions were written (created, moved to another state, deleted): every other
 * holder of that watcher's list reads it again from the store.
 */
export interface SubscriptionsChanged {
  readonly type: 'subscriptions-changed'
  readonly watcherId: string
  /** The holder that wrote them, which updated its own list already. */
  readonly origin: string
}

/** A team of the organization was created or deleted: every node reads its teams again. */
export interface TeamsChanged {
  readonly type: 'teams-changed'
  readonly organizationId: string
}

/** In a cluster: a webhook endpoint was created, changed or deleted on `node`; the others follow. */
export interface WebhookChanged {
  readonly type: 'webhook-changed'
  readonly id: string
  readonly node: string
}

export type BusEvent =
  | WebhookChanged
  | PresenceChanged
  | AccessEnded
  | AccountChanged
  | PolicyChanged
  | PresenceInput
  | UserNotice
  | WatchEnded
  | GatheringEvent
  | SubscriptionsChanged
  | TeamsChanged

export type BusHandler = (event: BusEvent) => void

/** The change channel between processes: in-process by default, Redis in a cluster. */
export interface ChangeBus {
  publish(event: BusEvent): Promise<void>
  /** Returns a function that removes the handler. */
  subscribe(handler: BusHandler): () => void
  /** Resolves when the channel can carry events (for readiness). */
  ping(): Promise<void>
  /**
   * Resolves once what this process published so far came back and was delivered here: a sender of
   * many events waits on it between batches, so that no reader falls behind by more than a batch.
   */
  delivered?(): Promise<void>
  close(): Promise<void>
}
