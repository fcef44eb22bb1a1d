// The bus port: carries presence changes from where they are decided to every process that fans out.
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

export type BusEvent = PresenceChanged

export type BusHandler = (event: BusEvent) => void

/** Fan-out of presence changes between processes: in-process by default, Redis in a cluster. */
export interface ChangeBus {
  publish(event: BusEvent): Promise<void>
  /** Returns a function that removes the handler. */
  subscribe(handler: BusHandler): () => void
  close(): Promise<void>
}
