// The shared concept composed: the metrics, where the server may connect on its own and the
// transports' request limiter, which every other concept may be given; app layer.
import type { ChangeBus } from '../../ports/bus.js'
import type { Clock } from '../../ports/clock.js'
import { NarvaroMetrics } from './metrics.js'
import { OutboundPolicy } from './outbound.js'
import { RateLimiter } from './rate-limiter.js'
import { Readiness } from './readiness.js'

export interface SharedSettings {
  /** Where the server may connect on its own; public addresses when absent. */
  readonly outboundHosts?: string
  readonly requestsPerMinute: number
}

export interface SharedParts {
  readonly metrics: NarvaroMetrics
  /** Where calendar fetches and webhook deliveries may connect. */
  readonly outbound: OutboundPolicy
  readonly requestLimiter: RateLimiter
  /** Whether the store and the change channel answer, for /readyz. */
  readonly readiness: Readiness
}

export const createShared = (deps: {
  readonly clock: Clock
  readonly settings: SharedSettings
  readonly store: { ping(): Promise<void> }
  readonly bus: ChangeBus
}): SharedParts => {
  const { clock, settings } = deps
  return {
    readiness: new Readiness(deps),
    metrics: new NarvaroMetrics(),
    outbound: new OutboundPolicy(settings.outboundHosts),
    requestLimiter: new RateLimiter(clock, {
      burst: settings.requestsPerMinute,
      perSecond: settings.requestsPerMinute / 60,
    }),
  }
}

export const stopShared = (parts: SharedParts): Promise<void> => {
  parts.metrics.stop()
  return parts.outbound.close()
}
