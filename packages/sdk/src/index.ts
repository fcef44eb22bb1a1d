// @narvaro/sdk: the typed REST client, the live client (narvaro.v1 over WebSocket, SSE fallback) and
// the typed errors. SDK layer; runs in browsers and on Node >= 20.19.
export { NarvaroClient, type NarvaroClientOptions } from './narvaro-client.js'
export {
  NarvaroApiError,
  NarvaroNetworkError,
  type ErrorBody,
  type NetworkFailureReason,
} from './errors.js'
export type { BodyOf, QueryOf, ReplyOf, paths } from './rest-types.js'
export {
  NarvaroLive,
  type ConnectionState,
  type EndReason,
  type LiveEvents,
  type LiveRestore,
  type NarvaroLiveOptions,
  type StateChange,
  type Timers,
} from './live/narvaro-live.js'
export type { LiveClient } from './live/live-client.js'
export { backoffDelay, type BackoffOptions } from './live/backoff.js'
export type { Resume } from './live/cursor.js'
export type { WebSocketConstructor, WebSocketLike } from './live/connection.js'
export * from './live/protocol.js'
