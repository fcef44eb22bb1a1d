// The bus port: the one change channel. It carries presence changes and access changes from where
// they are decided to every process that fans out or holds live sessions.
import type { Presence } from '../core/aggregation/presence.js'
import type { Profile } from '../core/model/presence-model.js'

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

/** A rule, policy, group, approval, profile or time boundary changed what someone may see. */
export interface PolicyChanged {
  readonly type: 'policy-changed'
  readonly scope: PolicyScope
}

export type BusEvent = PresenceChanged | AccessEnded | PolicyChanged

export type BusHandler = (event: BusEvent) => void

/** The change channel between processes: in-process by default, Redis in a cluster. */
export interface ChangeBus {
  publish(event: BusEvent): Promise<void>
  /** Returns a function that removes the handler. */
  subscribe(handler: BusHandler): () => void
  close(): Promise<void>
}
