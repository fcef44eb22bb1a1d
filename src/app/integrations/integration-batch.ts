// Decides a batch of integration events in memory, in order, from what the store held before it:
// each event's result, the changes to presence in event order and the one write of the batch. The
// same rules as one event at a time (integration-rules.ts); pure, app layer.
import type { ErrorCode } from '../../core/errors.js'
import { isNarvaroError } from '../../core/errors.js'
import { normalizeAddress } from '../../core/model/address.js'
import type { Publication, WorkLocation } from '../../core/model/presence-model.js'
import { presentityNotFound } from '../../core/subscriptions/hidden-presentity.js'
import { workLocationProblem } from '../../core/model/presence-model.js'
import type {
  Integration,
  IntegrationBatchKeys,
  IntegrationBatchReads,
  IntegrationBatchWrite,
  IntegrationSourceState,
} from '../../ports/integration-store.js'
import type { User } from '../../ports/store.js'
import type {
  IntegrationEventState,
  IntegrationEventType,
  OrderState,
} from './integration-rules.js'
import {
  decideOrder,
  integrationEventMapping,
  integrationSourceId,
  integrationStateOf,
  safetyTtlMs,
  sourceKeyOf,
} from './integration-rules.js'

/** How long event ids are remembered; an event older than this is stale (its order state is gone). */
export const eventMemoryMs = 24 * 3_600_000

/** How far ahead of the server's clock an event's `at` may be. */
export const maxClockSkewMs = 5 * 60_000

export interface IntegrationEvent {
  readonly id: string
  /** The person's address. */
  readonly person: string
  readonly type: IntegrationEventType
  readonly state: IntegrationEventState
  readonly key?: string
  /** When it happened, epoch ms, by the integration's clock. */
  readonly at: number
  readonly ttlSeconds?: number
  /** With `work-location`: where the person works while it goes on. */
  readonly workLocation?: WorkLocation
}

export type IntegrationEventResult =
  | { readonly id: string; readonly result: 'applied'; readonly expiresAt?: number }
  | { readonly id: string; readonly result: 'duplicate' }
  | {
      readonly id: string
      readonly result: 'stale' | 'rejected'
      readonly code: ErrorCode
      readonly message: string
    }

const refuse = (
  event: IntegrationEvent,
  result: 'stale' | 'rejected',
  code: ErrorCode,
  message: string,
): IntegrationEventResult => ({ id: event.id, result, code, message })

/** The refusal of an event that the store is not needed for, if it has one. */
const precheck = (
  integration: Integration,
  event: IntegrationEvent,
  now: number,
): IntegrationEventResult | undefined => {
  const { kind } = integrationEventMapping[event.type]
  if (!integration.kinds.includes(kind)) {
    return refuse(
      event,
      'rejected',
      'NRV_FORBIDDEN',
      `this integration may not publish ${kind} sources`,
    )
  }
  if (event.state !== 'ended' && integrationStateOf(event.type, event.workLocation) === undefined) {
    return refuse(event, 'rejected', 'NRV_VALIDATION', 'a work-location event needs `workLocation`')
  }
  const problem = event.workLocation && workLocationProblem(event.workLocation)
  if (problem) return refuse(event, 'rejected', 'NRV_VALIDATION', problem)
  if (event.at > now + maxClockSkewMs) {
    return refuse(event, 'rejected', 'NRV_VALIDATION', '`at` is in the future')
  }
  if (event.at < now - eventMemoryMs) {
    return refuse(event, 'stale', 'NRV_PUBLICATION_STALE', '`at` is more than 24 hours ago')
  }
  return undefined
}

/** The normalized address, or undefined for one that is not valid. */
const addressOf = (person: string): string | undefined => {
  try {
    return normalizeAddress(person)
  } catch (error) {
    if (isNarvaroError(error)) return undefined
    throw error
  }
}

/** An event that passed the checks without the store: its address (if valid) and source key. */
interface Candidate {
  readonly event: IntegrationEvent
  readonly address: string | undefined
  readonly sourceKey: string
}

type Entry = { readonly refused: IntegrationEventResult } | Candidate

/** A batch checked as far as it can be without the store, and the keys to read for the rest. */
export interface PreparedBatch {
  readonly integration: Integration
  readonly now: number
  readonly keys: IntegrationBatchKeys
  readonly entries: readonly Entry[]
}

export const prepareBatch = (
  integration: Integration,
  events: readonly IntegrationEvent[],
  now: number,
): PreparedBatch => {
  const entries: Entry[] = []
  const eventIds: string[] = []
  const sources: { address: string; sourceKey: string }[] = []
  for (const event of events) {
    const refused = precheck(integration, event, now)
    if (refused !== undefined) {
      entries.push({ refused })
      continue
    }
    const candidate = {
      event,
      address: addressOf(event.person),
      sourceKey: sourceKeyOf(event.type, event.key),
    }
    entries.push(candidate)
    eventIds.push(event.id)
    if (candidate.address !== undefined)
      sources.push({ address: candidate.address, sourceKey: candidate.sourceKey })
  }
  return { integration, now, keys: { integrationId: integration.id, eventIds, sources }, entries }
}

/** A change to apply to presence once the batch is stored. */
export type PresenceEffect =
  | { readonly kind: 'publish'; readonly user: User; readonly publication: Publication }
  | { readonly kind: 'retract'; readonly user: User; readonly sourceId: string }

export interface BatchPlan {
  /** One per event, in order. */
  readonly results: readonly IntegrationEventResult[]
  /** In event order: each applied event's change. */
  readonly effects: readonly PresenceEffect[]
  /** Undefined when no event was applied. */
  readonly write: IntegrationBatchWrite | undefined
}

const sourceMapKey = (userId: string, sourceKey: string): string => `${userId}\n${sourceKey}`

type PublicationChange =
  | { readonly put: { readonly userId: string; readonly publication: Publication } }
  | { readonly delete: { readonly userId: string; readonly sourceId: string } }

/** Decides the candidates one after the other on the state in memory, as if each were committed. */
class BatchDecider {
  private readonly seen: Set<string>
  private readonly users: Map<string, User>
  private readonly sources: Map<string, IntegrationSourceState>
  private readonly changedSources = new Set<string>()
  private readonly publications = new Map<string, PublicationChange>()
  readonly applied: string[] = []
  readonly effects: PresenceEffect[] = []

  constructor(
    private readonly prepared: PreparedBatch,
    reads: IntegrationBatchReads,
  ) {
    const { organizationId } = prepared.integration
    this.seen = new Set(reads.seenEventIds)
    this.users = new Map(
      reads.users.filter((u) => u.organizationId === organizationId).map((u) => [u.address, u]),
    )
    this.sources = new Map(reads.sources.map((s) => [sourceMapKey(s.userId, s.sourceKey), s]))
  }

  decide(candidate: Candidate): IntegrationEventResult {
    const { event } = candidate
    if (this.seen.has(event.id)) return { id: event.id, result: 'duplicate' }
    if (candidate.address === undefined) {
      const shown = JSON.stringify(event.person.slice(0, 100))
      return refuse(event, 'rejected', 'NRV_ADDRESS_INVALID', `not a valid address: ${shown}`)
    }
    // A person of another organization is answered exactly as one that does not exist.
    const user = this.users.get(candidate.address)
    if (user === undefined) {
      const { code, message } = presentityNotFound(candidate.address)
      return refuse(event, 'rejected', code, message)
    }
    const decision = decideOrder(
      this.sources.get(sourceMapKey(user.id, candidate.sourceKey)),
      event,
    )
    if (decision.outcome === 'stale') {
      return refuse(
        event,
        'stale',
        'NRV_PUBLICATION_STALE',
        'a later event of this source was applied',
      )
    }
    return this.apply(candidate, user, decision)
  }

  private apply(
    { event, sourceKey }: Candidate,
    user: User,
    decision: { readonly outcome: 'start' | 'end'; readonly next: OrderState },
  ): IntegrationEventResult {
    const { integration, now } = this.prepared
    this.seen.add(event.id)
    this.applied.push(event.id)
    const key = sourceMapKey(user.id, sourceKey)
    const next = { integrationId: integration.id, userId: user.id, sourceKey, ...decision.next }
    this.sources.set(key, { ...next, updatedAt: now })
    this.changedSources.add(key)
    const sourceId = integrationSourceId(integration.id, sourceKey)
    if (decision.outcome === 'end') {
      this.effects.push({ kind: 'retract', user, sourceId })
      this.changePublication({ delete: { userId: user.id, sourceId } })
      return { id: event.id, result: 'applied' }
    }
    const publication = this.publicationOf(event, sourceId)
    this.effects.push({ kind: 'publish', user, publication })
    this.changePublication({ put: { userId: user.id, publication } })
    return { id: event.id, result: 'applied', expiresAt: publication.expiresAt }
  }

  private publicationOf(event: IntegrationEvent, sourceId: string): Publication {
    const { now } = this.prepared
    return {
      source: { id: sourceId, kind: integrationEventMapping[event.type].kind },
      state: integrationStateOf(event.type, event.workLocation)!,
      publishedAt: now,
      expiresAt: now + safetyTtlMs(event.ttlSeconds),
    }
  }

  /** Only the last change of each publication is written. */
  private changePublication(change: PublicationChange): void {
    const { userId, sourceId } =
      'put' in change
        ? { userId: change.put.userId, sourceId: change.put.publication.source.id }
        : change.delete
    const key = sourceMapKey(userId, sourceId)
    this.publications.delete(key)
    this.publications.set(key, change)
  }

  write(): IntegrationBatchWrite | undefined {
    if (this.applied.length === 0) return undefined
    const changes = [...this.publications.values()]
    return {
      integrationId: this.prepared.integration.id,
      seenAt: this.prepared.now,
      eventIds: this.applied,
      sources: [...this.changedSources].map((key) => this.sources.get(key)!),
      publications: {
        put: changes.flatMap((change) => ('put' in change ? [change.put] : [])),
        delete: changes.flatMap((change) => ('delete' in change ? [change.delete] : [])),
      },
    }
  }
}

/** Every event's result and what the batch changes, given what the store held of its keys. */
export const planBatch = (prepared: PreparedBatch, reads: IntegrationBatchReads): BatchPlan => {
  const decider = new BatchDecider(prepared, reads)
  const results = prepared.entries.map((entry) =>
    'refused' in entry ? entry.refused : decider.decide(entry),
  )
  return { results, effects: decider.effects, write: decider.write() }
}
