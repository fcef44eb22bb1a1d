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
export type AccessEndReason = 'token-revoked' | 'token-expired' | 'password-changed' | 'user-removed'

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

export type BusEvent = PresenceChanged | AccessEnded

export type BusHandler = (event: BusEvent) => void

/** The change channel between processes: in-process by default, Redis in a cluster. */
export interface ChangeBus {
  publish(event: BusEvent): Promise<void>
  /** Returns a function that removes the handler. */
  subscribe(handler: BusHandler): () => void
  close(): Promise<void>
}
