// The presence concept composed: the engine that aggregates publications (writing last seen as it
// goes) and the publishing service with its per-source limiter; app layer.
import type { ChangeBus } from '../../ports/bus.js'
import type { Clock } from '../../ports/clock.js'
import type { NarvaroStore } from '../../ports/narvaro-store.js'
import type { ProfileDirectory } from '../directory/index.js'
import type { NarvaroMetrics } from '../shared/index.js'
import { RateLimiter } from '../shared/index.js'
import { LastSeenWriter } from './last-seen-writer.js'
import { PresenceEngine } from './presence-engine.js'
import type { PresenceLimits } from './presence-service.js'
import { PresenceService } from './presence-service.js'

export interface PresenceSettings extends PresenceLimits {
  readonly idleAfterMs: number
  readonly gracePeriodMs: number
  /** How long a change stays resumable; unbounded (only the depth limit) when absent. */
  readonly resumeWindowMs?: number
  readonly publicationBurst: number
  readonly publicationsPerSecond: number
}

export interface PresenceParts {
  readonly engine: PresenceEngine
  readonly presence: PresenceService
  /** Last seen, written behind the engine's changes. */
  readonly lastSeenWriter: LastSeenWriter
}

interface PresenceDeps {
  readonly store: NarvaroStore
  readonly bus: ChangeBus
  readonly clock: Clock
  readonly settings: PresenceSettings
  readonly profiles: ProfileDirectory
  readonly metrics: NarvaroMetrics
  readonly onError: (error: unknown) => void
  readonly cluster?: { readonly node: string }
}

/** The engine, which writes last seen through to the store as it changes. */
const createEngine = (deps: PresenceDeps, lastSeenWriter: LastSeenWriter): PresenceEngine => {
  const { bus, clock, settings, profiles, onError } = deps
  return new PresenceEngine({
    clock,
    bus,
    idleAfterMs: settings.idleAfterMs,
    resumeWindowMs: settings.resumeWindowMs,
    profileOf: (address) => profiles.get(address),
    onLastSeen: (address, lastSeen, wentHidden) =>
      lastSeenWriter.record(address, lastSeen, wentHidden),
    onError,
    ...(deps.cluster ? { node: deps.cluster.node } : {}),
  })
}

export const createPresence = (deps: PresenceDeps): PresenceParts => {
  const { store, clock, settings, profiles, metrics, onError } = deps
  const lastSeenWriter = new LastSeenWriter({ store, clock, onError })
  const engine = createEngine(deps, lastSeenWriter)
  const sourceLimiter = new RateLimiter(clock, {
    burst: settings.publicationBurst,
    perSecond: settings.publicationsPerSecond,
  })
  const presence = new PresenceService({
    engine,
    store,
    profiles,
    clock,
    sourceLimiter,
    limits: settings,
    gracePeriodMs: settings.gracePeriodMs,
    onPublished: (seconds) => metrics.publishDuration.record(seconds),
  })
  return { engine, presence, lastSeenWriter }
}

/** Puts the stored, unexpired publications back into the engine (at start); returns how many. */
export const startPresence = async (
  parts: PresenceParts & { readonly store: NarvaroStore; readonly clock: Clock },
): Promise<number> => {
  const { store, engine, clock } = parts
  const stored = await store.listPublications(clock.now())
  for (const { userId, publication } of stored) {
    const user = await store.getUser(userId)
    if (user) engine.publish(user.address, publication)
  }
  return stored.length
}

export const stopPresence = (parts: PresenceParts): void => {
  parts.presence.stop()
  parts.engine.stop()
}

/** Writes the last seen still gathering (with the durable writers, once the live parts stopped). */
export const flushPresence = (parts: PresenceParts): Promise<void> => parts.lastSeenWriter.flush()
