// The messages of the real-time protocol narvaro.v1 as TypeScript types (docs/protocol.md; the
// schemas are ServerMessages and the client messages in src/transports/ws/ws-messages.ts). SDK layer.
import type { BodyOf, ReplyOf } from '../rest-types.js'

export const protocolName = 'narvaro.v1'

/** What a watcher gets of a presentity: presence after that watcher's policy. */
export type View = ReplyOf<'/v1/presence/{address}', 'get'>['view']
/** One answer row of a live "who is available" query. */
export type WhoEntry = ReplyOf<'/v1/availability', 'get'>[number]

export interface WelcomeMessage {
  type: 'welcome'
  protocol: typeof protocolName
  session: string
  address: string
  epoch: string
  heartbeatMs: number
  subscribed?: string[]
  failed?: { address: string; code: string }[]
}
export interface SnapshotMessage {
  type: 'snapshot'
  address: string
  seq: number
  view: View
  resync?: true
}
export interface ChangeMessage {
  type: 'change'
  address: string
  seq: number
  view: View
}
export interface UnwatchedMessage {
  type: 'unwatched'
  address: string
  reason: 'not-found'
}
export interface AckMessage {
  type: 'ack'
  id?: string
  outcome?: 'changed' | 'unchanged'
  subscribed?: string[]
  failed?: { address: string; code: string; message: string }[]
  query?: string
  entries?: WhoEntry[]
  /** The id of the token an `attach-token` attached. */
  token?: string
}
export interface ErrorMessage {
  type: 'error'
  id?: string
  code: string
  message: string
  details?: Record<string, unknown>
}
export interface PongMessage {
  type: 'pong'
  id?: string
}
export type AccessEndedReason =
  'token-revoked' | 'token-expired' | 'password-changed' | 'user-removed'
export interface AccessEndedMessage {
  type: 'access-ended'
  reason: AccessEndedReason
}
/** An attached token (`attach-token`) no longer grants access; the connection goes on with its own. */
export interface TokenEndedMessage {
  type: 'token-ended'
  /** The id of the attached token, as its `attach-token` ack named it. */
  token: string
  reason: AccessEndedReason
}
export interface WatcherMessage {
  type: 'watcher'
  watcher: string
  state: 'active' | 'pending' | 'denied' | 'revoked'
}
export interface SubscriptionMessage {
  type: 'subscription'
  address: string
  state: 'active' | 'denied'
}
/**
 * A change of a live who query's answer: `joined` and `changed` carry the member's whole current
 * entry (treat both as "the member is in the answer with this entry": a newer message about a
 * member may replace an older one still waiting on the server), `left` only the address.
 */
export interface WhoChangeMessage {
  type: 'who-change'
  query: string
  op: 'joined' | 'changed' | 'left'
  address: string
  entry?: WhoEntry
}
export interface InvitationMessage {
  type: 'invitation'
  gathering: string
  organizer: string
  topic: string
  expiresAt: number
}
export interface GatheringMessage {
  type: 'gathering'
  gathering: string
  address: string
  state: 'invited' | 'accepted' | 'declined'
}
export interface InvitationEndedMessage {
  type: 'invitation-ended'
  gathering: string
  reason: 'expired' | 'cancelled'
}
export interface GatheringEndedMessage {
  type: 'gathering-ended'
  gathering: string
  reason: 'expired' | 'cancelled'
}
export interface AvailableMessage {
  type: 'available'
  watch: string
  address: string
  seq: number
  view: View
}
export interface NotifyExpiredMessage {
  type: 'notify-expired'
  watch: string
  address: string
}

/** Every message the server sends, by its `type`. */
export interface ServerMessageMap {
  welcome: WelcomeMessage
  snapshot: SnapshotMessage
  change: ChangeMessage
  unwatched: UnwatchedMessage
  ack: AckMessage
  error: ErrorMessage
  pong: PongMessage
  'access-ended': AccessEndedMessage
  'token-ended': TokenEndedMessage
  watcher: WatcherMessage
  subscription: SubscriptionMessage
  'who-change': WhoChangeMessage
  invitation: InvitationMessage
  gathering: GatheringMessage
  'invitation-ended': InvitationEndedMessage
  'gathering-ended': GatheringEndedMessage
  available: AvailableMessage
  'notify-expired': NotifyExpiredMessage
}
export type ServerMessage = ServerMessageMap[keyof ServerMessageMap]

type SourcePublication = BodyOf<'/v1/me/presence/sources/{sourceId}', 'put'>

/** `publish`: the state of one of your own sources (devices), alive with the connection. */
export type PublishRequest = SourcePublication & { source: string }
/** `who`: a live "who is available" query (docs/workflows.md). */
export interface WhoRequest {
  team?: string
  skill?: string
  search?: string
  list?: string
  addresses?: string[]
  availability?: View['availability'][]
  reachableBy?: string
  insideWorkingHours?: boolean
  availableForMeeting?: boolean
}
