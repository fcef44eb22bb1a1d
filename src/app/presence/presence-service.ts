// Publishing one's own presence (devices, manual choice, note) and reading it back with provenance;
// transports call this, the core decides; app layer.
import { NarvaroError } from '../../core/errors.js'
import { connectionBound } from '../../core/aggregation/presentity.js'
import { isValidTimeZone } from '../../core/model/hours.js'
import { workLocationProblem } from '../../core/model/presence-model.js'
import type { StepOutcome } from '../../core/aggregation/presentity.js'
import type {
  Activity,
  ManualAvailability,
  Note,
  Publication,
  PublicationState,
  SourceAvailability,
  SourceKind,
  WorkLocation,
} from '../../core/model/presence-model.js'
import type { Clock } from '../../ports/clock.js'
import type { PresenceStore, User } from '../../ports/store.js'
import type { Mutable } from '../../core/model/mutable.js'
import type { PresenceEngine, PresenceSnapshot } from './presence-engine.js'
import { ConnectionLeases, leaseKey } from './connection-leases.js'
import type { ProfileDirectory } from '../directory/index.js'
import type { RateLimiter } from '../shared/index.js'

/** What a device (or another live source) publishes: its state, and how it was published. */
export interface SourcePublicationInput extends Omit<PublicationState, 'availability'> {
  readonly availability?: SourceAvailability
  readonly idle?: boolean
  /** False for what the client does by itself (reconnects, background refreshes): not activity. */
  readonly active?: boolean
  readonly version?: number
}

export interface PresenceLimits {
  readonly defaultTtlMs: number
  readonly maxTtlMs: number
  /** Longest a manual choice or a note may last. */
  readonly maxManualMs: number
}

export const manualSourceId = 'manual'
export const noteSourceId = 'note'
/** The work location set by hand: it beats one from a device or integration, which beats a schedule. */
export const workLocationSourceId = 'work-location'

/**
 * What a publication says, read field by field from what the caller sent (a transport's message may
 * carry its own fields beside them): one object, made once, of one shape for the same fields.
 */
const stateOf = (input: SourcePublicationInput): PublicationState => {
  const state: Mutable<PublicationState> = {}
  if (input.availability !== undefined) state.availability = input.availability
  if (input.activities !== undefined) state.activities = input.activities
  if (input.note !== undefined) state.note = input.note
  if (input.mood !== undefined) state.mood = input.mood
  if (input.place !== undefined) state.place = input.place
  if (input.location !== undefined) state.location = input.location
  if (input.workLocation !== undefined) state.workLocation = input.workLocation
  if (input.timeZone !== undefined) state.timeZone = input.timeZone
  if (input.device !== undefined) state.device = input.device
  return state
}

export class PresenceService {
  private readonly leases: ConnectionLeases
  private readonly sourceKeys = new WeakMap<object, string>()

  constructor(
    private readonly deps: {
      readonly engine: PresenceEngine
      readonly store: PresenceStore
      readonly profiles: ProfileDirectory
      readonly clock: Clock
      readonly sourceLimiter: RateLimiter
      readonly limits: PresenceLimits
      readonly gracePeriodMs: number
      /** Seconds from receiving a publication to handing its notifications to the transports. */
      readonly onPublished?: (seconds: number) => void
    },
  ) {
    this.leases = new ConnectionLeases(deps.clock, deps.gracePeriodMs, (address, sourceId) =>
      deps.engine.retract(address, sourceId),
    )
  }

  private async ready(user: User): Promise<void> {
    if (!this.deps.profiles.get(user.address)) await this.deps.profiles.refresh(user)
  }

  /**
   * A user's source's key, in the rate limiter and among the leases: made once per source object (a
   * connection passes the same one while it publishes for the same source), not per publication.
   */
  private keyOf(user: User, source: { readonly id: string }): string {
    const { address } = user
    const kept = this.sourceKeys.get(source)
    // The kept key is this user's and this id's (an address holds no line break).
    if (
      kept !== undefined &&
      kept.length === address.length + 1 + source.id.length &&
      kept.startsWith(address) &&
      kept.endsWith(source.id)
    )
      return kept
    const key = leaseKey(address, source.id)
    this.sourceKeys.set(source, key)
    return key
  }

  private limit(key: string, sourceId: string): void {
    const waitMs = this.deps.sourceLimiter.take(key)
    if (waitMs > 0) {
      throw new NarvaroError('NRV_RATE_LIMITED', `too many publications from source ${sourceId}`, {
        details: { retryAfterMs: waitMs },
      })
    }
  }

  /**
   * Publishes for one source of the user. `ttlMs` bounds its life (clamped to the server's bounds);
   * with `connectionId` it lives as long as that connection, plus the grace period.
   */
  async publishSource(
    user: User,
    source: { id: string; kind: SourceKind },
    input: SourcePublicationInput & { ttlMs?: number; connectionId?: string },
  ): Promise<StepOutcome> {
    await this.ready(user)
    return this.publishLoaded(user, source, input, input.connectionId)
  }

  /**
   * As `publishSource`, within the caller's turn (no promise, no microtask) when the user's profile is
   * loaded, as it is for anyone connected: what a real-time transport calls for each publication.
   * Undefined when the profile is not loaded yet: then `publishSource` does it.
   */
  publishSourceNow(
    user: User,
    source: { id: string; kind: SourceKind },
    input: SourcePublicationInput,
    connectionId: string,
  ): StepOutcome | undefined {
    if (!this.deps.profiles.get(user.address)) return undefined
    return this.publishLoaded(user, source, input, connectionId)
  }

  private publishLoaded(
    user: User,
    source: { id: string; kind: SourceKind },
    input: SourcePublicationInput & { ttlMs?: number; connectionId?: string },
    connectionId: string | undefined,
  ): StepOutcome {
    const key = this.keyOf(user, source)
    this.limit(key, source.id)
    if (input.timeZone !== undefined && !isValidTimeZone(input.timeZone)) {
      throw new NarvaroError('NRV_VALIDATION', `unknown time zone: ${input.timeZone.slice(0, 64)}`)
    }
    const now = this.deps.clock.now()
    const previous = this.deps.engine.publicationOf(user.address, source.id)
    const { limits } = this.deps
    const ttl = Math.min(Math.max(input.ttlMs ?? limits.defaultTtlMs, 1000), limits.maxTtlMs)
    const { active, version, idle } = input
    const lastActiveAt = active === false ? (previous?.lastActiveAt ?? 0) : now
    // Written out field by field (spreads of optional fields made two objects and took V8's slow
    // path), in the order the presentity's `publishedAt` copies them, so that both have one shape.
    const publication: Mutable<Publication> = {
      source,
      state: stateOf(input),
      publishedAt: now,
      expiresAt: connectionId ? connectionBound : now + ttl,
      lastActiveAt,
    }
    if (version !== undefined) publication.version = version
    if (idle !== undefined) publication.idle = idle
    const started = performance.now()
    const outcome = this.checked(this.deps.engine.publish(user.address, publication))
    // The in-process bus fans out synchronously: this is publication to hand-off to transports.
    this.deps.onPublished?.((performance.now() - started) / 1000)
    if (connectionId) this.leases.claim(user.address, source.id, connectionId, key)
    return outcome
  }

  /** A connection that published for sources closed: they end after the grace period. */
  connectionClosed(user: User, sourceIds: Iterable<string>, connectionId: string): void {
    this.leases.release(user.address, sourceIds, connectionId)
  }

  /** A connection whose access ended (token revoked, user removed) closed: its sources end at once. */
  connectionEnded(user: User, sourceIds: Iterable<string>, connectionId: string): void {
    for (const sourceId of [...sourceIds])
      this.retractConnectionSource(user, sourceId, connectionId)
  }

  /** The user was removed: every publication ends now, with no grace period, and nothing revives it. */
  endUser(address: string): void {
    this.leases.forget(address)
    this.deps.engine.retractAll(address)
  }

  /** A connection retracts a source it published for: it ends at once. */
  retractConnectionSource(user: User, sourceId: string, connectionId: string): StepOutcome {
    if (!this.leases.drop(user.address, sourceId, connectionId)) return 'unchanged'
    return this.deps.engine.retract(user.address, sourceId)
  }

  stop(): void {
    this.leases.clear()
  }

  private checked(outcome: StepOutcome): StepOutcome {
    if (outcome === 'stale') {
      throw new NarvaroError(
        'NRV_PUBLICATION_STALE',
        'a newer publication of this source is stored',
      )
    }
    return outcome
  }

  retractSource(user: User, sourceId: string): StepOutcome {
    return this.deps.engine.retract(user.address, sourceId)
  }

  /** The person's manual choice, stored durably, lasting until `until` (bounded by the server). */
  async setManual(
    user: User,
    input: { availability: ManualAvailability; activities?: readonly Activity[]; until?: number },
  ): Promise<StepOutcome> {
    // The end of the manual choice is when its activities are expected to end ("in a meeting until
    // 14:30"), unless an activity says otherwise.
    const { until } = input
    const activities = input.activities?.map((a) =>
      a.until === undefined && until !== undefined ? { ...a, until } : a,
    )
    const state = { availability: input.availability, ...(activities ? { activities } : {}) }
    return this.putDurable(user, { id: manualSourceId, state, until })
  }

  async setNote(user: User, note: Note): Promise<StepOutcome> {
    return this.putDurable(user, { id: noteSourceId, state: { note }, until: note.expiresAt })
  }

  async setWorkLocation(
    user: User,
    input: WorkLocation & { until?: number },
  ): Promise<StepOutcome> {
    const { until, ...workLocation } = input
    const problem = workLocationProblem(workLocation)
    if (problem !== undefined) throw new NarvaroError('NRV_VALIDATION', problem)
    return this.putDurable(user, { id: workLocationSourceId, state: { workLocation }, until })
  }

  private async putDurable(
    user: User,
    input: { id: string; state: Publication['state']; until: number | undefined },
  ): Promise<StepOutcome> {
    this.limit(leaseKey(user.address, input.id), input.id)
    await this.ready(user)
    const now = this.deps.clock.now()
    const bound = now + this.deps.limits.maxManualMs
    if (input.until !== undefined && input.until <= now) {
      throw new NarvaroError('NRV_VALIDATION', '`until` must be in the future')
    }
    const publication: Publication = {
      source: { id: input.id, kind: 'manual' },
      state: input.state,
      publishedAt: now,
      expiresAt: Math.min(input.until ?? bound, bound),
    }
    await this.deps.store.putPublication(user.id, publication)
    return this.checked(this.deps.engine.publish(user.address, publication))
  }

  async clearDurable(
    user: User,
    sourceId: typeof manualSourceId | typeof noteSourceId | typeof workLocationSourceId,
  ): Promise<StepOutcome> {
    await this.deps.store.deletePublication(user.id, sourceId)
    return this.deps.engine.retract(user.address, sourceId)
  }

  /** The owner's own presence, with provenance: the answer to "why am I shown as busy?". */
  async own(user: User): Promise<PresenceSnapshot> {
    await this.ready(user)
    return this.deps.engine.snapshot(user.address)!
  }
}
