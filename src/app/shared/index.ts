// The shared concept of the application layer: what other concepts, the transports and the server
// may use of it; everything else in this folder is its own.

export { noPasswordHash } from './no-password.js'

export {
  onAccessEnded,
  onAccountEvent,
  onPolicyChanged,
  onPresenceChanged,
} from './change-channel.js'
export { NarvaroMetrics } from './metrics.js'
export { notFoundIn, requireAdmin, requireInOrganization } from './organization-scope.js'
export { OutboundPolicy, defaultOutboundHosts, refusedReason } from './outbound.js'
export type { Fetcher } from './outbound.js'
export { RateLimiter } from './rate-limiter.js'
export { HeldMap } from './held-map.js'
export type { Held, HeldMapLimits } from './held-map.js'
export { SetMap } from './set-map.js'
export { Readiness } from './readiness.js'
export { TimerQueue } from './timer-queue.js'
export { WriteBehind } from './write-behind.js'
export { createShared, stopShared } from './create-shared.js'
export type { SharedParts, SharedSettings } from './create-shared.js'
// Why a session's access ended, as the transports tell the client.
export type { AccessEndReason } from '../../ports/bus.js'
