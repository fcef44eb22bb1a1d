// The watching concept composed: the hub that fans changes out to live watchers, views for one asker,
// subscriptions with their limiter, and the ticker of time-of-day boundaries; app layer.
import type { ChangeBus } from '../../ports/bus.js'
import type { Clock } from '../../ports/clock.js'
import type { NarvaroStore } from '../../ports/narvaro-store.js'
import type { ProfileDirectory } from '../directory/index.js'
import type { AuditLog, PolicyDirectory } from '../policy/index.js'
import type { PresenceEngine } from '../presence/index.js'
import type { NarvaroMetrics } from '../shared/index.js'
import { RateLimiter } from '../shared/index.js'
import { AskerViews } from './asker-views.js'
import { HoursTicker } from './hours-ticker.js'
import { SubscriptionRecords } from './subscription-records.js'
import { SubscriptionService } from './subscription-service.js'
import { WatchHub } from './watch-hub.js'

export interface WatchingSettings {
  readonly subscriptionBurst: number
}

export interface WatchingParts {
  readonly hub: WatchHub
  /** Views of many presentities for one asker, without subscriptions (team availability). */
  readonly askerViews: AskerViews
  readonly subscriptions: SubscriptionService
  /** Watchers' subscriptions in the store, the active ones of lately held in memory. */
  readonly subscriptionRecords: SubscriptionRecords
}

export interface HoursTickerParts {
  /** Pushes views that change with the time of day alone (working hours, usable hours). */
  readonly hoursTicker: HoursTicker
}

/**
 * The hub subscribes to the change channel here: build this before every other listener of
 * presence, policy and access changes, so that the hub hears each change first.
 */
/** What the watching concept is built from. */
interface WatchingDeps {
  readonly store: NarvaroStore
  readonly bus: ChangeBus
  readonly clock: Clock
  readonly settings: WatchingSettings
  readonly engine: PresenceEngine
  readonly profiles: ProfileDirectory
  readonly policies: PolicyDirectory
  readonly audit: AuditLog
  readonly metrics: NarvaroMetrics
  readonly onError: (error: unknown) => void
  /** Set in a cluster: a user's messages then reach their sessions on every node. */
  readonly cluster?: { readonly node: string }
}

/** The hub, counting what it delivers in the metrics. */
const createHub = (deps: WatchingDeps): WatchHub => {
  const { metrics } = deps
  const onDelivered = (notifications: number, views: number): void => {
    metrics.notifications.inc(notifications)
    metrics.viewsComputed.inc(views)
  }
  return new WatchHub({
    ...deps,
    onDelivered,
    noticesOnChannel: deps.cluster !== undefined,
  })
}

export const createWatching = (deps: WatchingDeps): WatchingParts => {
  const { store, bus, clock, settings, engine, profiles, policies, audit } = deps
  const hub = createHub(deps)
  const records = new SubscriptionRecords({ store, bus, clock, profiles })
  // New subscriptions per watcher: a whole roster at once, then 5 a second, so that nobody can
  // probe the directory quickly.
  const subscriptionLimiter = new RateLimiter(clock, {
    burst: settings.subscriptionBurst,
    perSecond: 5,
  })
  return {
    hub,
    askerViews: new AskerViews({ engine, profiles, policies, clock, audit }),
    subscriptionRecords: records,
    subscriptions: new SubscriptionService({
      store,
      records,
      engine,
      profiles,
      hub,
      clock,
      requestLimiter: subscriptionLimiter,
      policies,
      audit,
    }),
  }
}

/**
 * The ticker listens to policy changes: it is built on its own, after the live queries of the
 * availability concept, so that they hear a policy change before it does (the order of old).
 */
export const createHoursTicker = (deps: {
  readonly bus: ChangeBus
  readonly clock: Clock
  readonly profiles: ProfileDirectory
  readonly policies: PolicyDirectory
  readonly onError: (error: unknown) => void
}): HoursTickerParts => {
  const { bus, clock, profiles, policies, onError } = deps
  const hoursTicker = new HoursTicker({
    clock,
    bus,
    profiles,
    policies,
    // A time boundary is a change of what watchers may see: it goes on the change channel, which
    // the hub and the live queries obey.
    onBoundary: (address) => policies.changed({ kind: 'presentity', address }),
    onError,
  })
  return { hoursTicker }
}

export const stopWatching = (parts: WatchingParts & HoursTickerParts): void => {
  parts.hub.close()
  parts.subscriptionRecords.stop()
  parts.hoursTicker.stop()
}
