// The live client's options, states and events: the types an app names. SDK layer.
import type { NarvaroApiError } from '../errors.js'
import type { BackoffOptions } from './backoff.js'
import type { WebSocketConstructor } from './connection.js'
import type { Resume } from './cursor.js'
import type {
  AccessEndedReason,
  PublishRequest,
  ServerMessageMap,
  SnapshotMessage,
} from './protocol.js'

/**
 * Why the client stopped for good: an `access-ended` reason, or the token refused when a stream
 * opened (`unauthenticated`: 401; `forbidden`: 403, such as a one-time password not yet changed).
 */
export type EndReason = AccessEndedReason | 'unauthenticated' | 'forbidden'

/** What the app can show: `stale` is a connection that went quiet and is being checked. */
export type ConnectionState = 'connecting' | 'live' | 'stale' | 'offline' | 'closed'

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface NarvaroLiveOptions {
  /** The server, such as `https://narvaro.acme.example`. */
  readonly baseUrl: string
  readonly token: string
  /** The WebSocket constructor; the global one by default (Node 20 has none: pass `ws`'s). */
  readonly WebSocket?: WebSocketConstructor
  /** For the SSE fallback; the global fetch by default. */
  readonly fetch?: typeof globalThis.fetch
  /** `auto` (default): WebSocket, and SSE when the WebSocket cannot connect. */
  readonly transport?: 'auto' | 'websocket' | 'sse'
  readonly backoff?: BackoffOptions
  /** Ping when nothing arrived for this long; by default the server's `heartbeatMs`. */
  readonly heartbeatMs?: number
  /** A ping unanswered for this long makes the state `stale`. Default 2 s. */
  readonly staleAfterMs?: number
  /** A connection whose ping got no answer for this long is dropped. Default 10 s. */
  readonly pongTimeoutMs?: number
  /** Injectable timers (tests); the global ones by default. */
  readonly timers?: Timers
  /** Where to start from: the state of a client this one takes over from (another tab's). */
  readonly restore?: LiveRestore
}

/** What a reconnect restores: the cursor, the subscriptions and the device publications. */
export interface LiveRestore {
  readonly resume?: Resume | undefined
  readonly subscriptions?: readonly string[] | 'all' | undefined
  readonly publications?: readonly PublishRequest[] | undefined
}

export interface StateChange {
  readonly state: ConnectionState
  readonly previous: ConnectionState
  readonly transport?: 'websocket' | 'sse'
}

/** Every server message by its type, plus the client's own events. */
export type LiveEvents = ServerMessageMap & {
  /** A `snapshot` with `resync: true`: it replaces what you had of that presentity. */
  resync: SnapshotMessage
  state: StateChange
  /** A reconnect is scheduled; `code` and `reason` are those of the close that ended the last try. */
  reconnecting: {
    readonly attempt: number
    readonly delayMs: number
    readonly code: number
    readonly reason: string
  }
  /** The answer to a publication published again after a reconnect: `error` when it was refused. */
  republished: { readonly publication: PublishRequest; readonly error?: NarvaroApiError }
}
