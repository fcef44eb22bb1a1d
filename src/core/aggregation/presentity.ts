// The soft state of one presentity: its publications, aggregate presence, sequence and last seen; core.
// Each step returns the new state and whether the presence changed; time and sequence come in as arguments.
import { sameData, sameDataBut } from '../model/canonical-json.js'
import type { Mutable } from '../model/mutable.js'
import type { Publication } from '../model/presence-model.js'
import { aggregate, isLive, liveAt } from './aggregate.js'
import type { Presence } from './presence.js'
import { shareUnchanged } from './share-unchanged.js'

/** A publication that lives as long as its connection: it ends when the transport retracts it. */
export const connectionBound = Number.MAX_SAFE_INTEGER

export interface PresentityState {
  readonly address: string
  /** Sorted by source id. */
  readonly publications: readonly Publication[]
  readonly presence: Presence
  readonly seq: number
  readonly lastSeen?: number
}

export interface StepContext {
  readonly now: number
  readonly idleAfterMs: number
  /** The sequence number to give the presence if this step changes it (greater than any before). */
  readonly nextSeq: number
}

export type StepOutcome = 'changed' | 'unchanged' | 'stale'

export interface Step {
  readonly state: PresentityState
  readonly outcome: StepOutcome
}

const isVisible = (presence: Presence): boolean =>
  presence.availability !== 'offline' && presence.availability !== 'invisible'

/**
 * Compares what watchers could ever see or the owner ask about, ignoring expiry refreshes: equal
 * but the availability's `until` in their provenance (compared part by part, with no copy).
 */
const samePresence = (a: Presence, b: Presence): boolean => {
  const record = (value: object) => value as Readonly<Record<string, unknown>>
  return (
    sameDataBut(record(a), record(b), 'provenance') &&
    sameDataBut(record(a.provenance), record(b.provenance), 'availability') &&
    sameDataBut(record(a.provenance.availability), record(b.provenance.availability), 'until')
  )
}

export const emptyPresentity = (
  address: string,
  context: { readonly now: number; readonly idleAfterMs: number; readonly lastSeen?: number },
): PresentityState => {
  const base = { address, publications: [], seq: 0 }
  const presence = aggregate(address, [], { ...context, lastSeen: context.lastSeen })
  return context.lastSeen === undefined
    ? { ...base, presence }
    : { ...base, presence, lastSeen: context.lastSeen }
}

const settle = (
  previous: PresentityState,
  publications: readonly Publication[],
  context: StepContext,
): Step => {
  const live = liveAt(publications, context.now)
  const wasVisible = isVisible(previous.presence)
  let lastSeen = previous.lastSeen
  // The options and the state are written out field by field: a spread followed by more fields
  // defines those through V8's slow path, a few microseconds of every change.
  const { now, idleAfterMs } = context
  let presence = aggregate(previous.address, live, { now, idleAfterMs, lastSeen })
  if (wasVisible && !isVisible(presence)) {
    lastSeen = now
    presence = aggregate(previous.address, live, { now, idleAfterMs, lastSeen })
  }
  presence = shareUnchanged(previous.presence, presence)
  const changed = presence !== previous.presence && !samePresence(previous.presence, presence)
  const seq = changed ? context.nextSeq : previous.seq
  const state: PresentityState =
    lastSeen === undefined
      ? { address: previous.address, publications: live, presence, seq }
      : { address: previous.address, publications: live, presence, seq, lastSeen }
  return { state, outcome: changed ? 'changed' : 'unchanged' }
}

const bySourceId = (a: Publication, b: Publication): number =>
  a.source.id < b.source.id ? -1 : a.source.id > b.source.id ? 1 : 0

/** Adds or replaces the publication of one source. A lower version than the stored one is stale. */
export const applyPublication = (
  state: PresentityState,
  publication: Publication,
  context: StepContext,
): Step => {
  const stored = state.publications.find((p) => p.source.id === publication.source.id)
  // A dead publication (expired, not yet swept) neither makes a new one stale nor anchors it.
  const current = stored && isLive(stored, context.now) ? stored : undefined
  if (current && isStale(current, publication)) return { state, outcome: 'stale' }
  if (current && sameData(current, publication)) return { state, outcome: 'unchanged' }
  // Re-publishing the same state (a heartbeat, a reconnect) keeps its original time, so it does not
  // move ahead of other sources in "newest wins" (note, location, mood, place, time zone).
  const sameState = current !== undefined && sameData(current.state, publication.state)
  const next = sameState ? publishedAt(publication, current.publishedAt) : publication
  // Then it is the stored publication again (same expiry, same activity): nothing to aggregate.
  if (sameState && sameData(current, next)) return { state, outcome: 'unchanged' }
  return settle(state, withPublication(state.publications, next), context)
}

/**
 * `publications` (sorted by source id) with `next` in its place, instead of any of the same source:
 * one array, made in order (aggregation runs on every change).
 */
const withPublication = (
  publications: readonly Publication[],
  next: Publication,
): readonly Publication[] => {
  const id = next.source.id
  const result: Publication[] = []
  let placed = false
  for (let i = 0; i < publications.length; i++) {
    const p = publications[i]!
    if (p.source.id === id) continue
    if (!placed && id < p.source.id) {
      result.push(next)
      placed = true
    }
    result.push(p)
  }
  if (!placed) result.push(next)
  return result
}

/** `publication` as if published at `at` (written out field by field, as `settle` says why). */
const publishedAt = (publication: Publication, at: number): Publication => {
  const { source, state, expiresAt, version, lastActiveAt, idle } = publication
  const copy: Mutable<Publication> = { source, state, publishedAt: at, expiresAt }
  // In the order the presence service writes them, so that both have one shape.
  if (lastActiveAt !== undefined) copy.lastActiveAt = lastActiveAt
  if (version !== undefined) copy.version = version
  if (idle !== undefined) copy.idle = idle
  return copy
}

const isStale = (current: Publication, next: Publication): boolean =>
  current.version !== undefined && next.version !== undefined && next.version < current.version

/** Ends the publication of one source (a retraction, or a connection's grace period that ran out). */
export const retractPublication = (
  state: PresentityState,
  sourceId: string,
  context: StepContext,
): Step => {
  if (!state.publications.some((p) => p.source.id === sourceId))
    return { state, outcome: 'unchanged' }
  return settle(
    state,
    state.publications.filter((p) => p.source.id !== sourceId),
    context,
  )
}

/** Ends every publication at once (the person's access ended): one change to offline. */
export const retractAll = (state: PresentityState, context: StepContext): Step =>
  state.publications.length === 0 ? { state, outcome: 'unchanged' } : settle(state, [], context)

/**
 * Replaces every publication at once (a cluster node's sources after a sync, or a dead node's gone):
 * one step, so watchers get at most one change.
 */
export const replacePublications = (
  state: PresentityState,
  publications: readonly Publication[],
  context: StepContext,
): Step => settle(state, [...publications].sort(bySourceId), context)

/** Re-evaluates at `now`: drops expired publications, expired notes, and devices that became idle. */
export const advance = (state: PresentityState, context: StepContext): Step =>
  settle(state, state.publications, context)

/** The earliest future moment at which the presence may change by itself, if any. */
export const nextDeadline = (
  state: PresentityState,
  context: { readonly now: number; readonly idleAfterMs: number },
): number | undefined => {
  let next = Infinity
  const consider = (at: number | undefined) => {
    if (at !== undefined && at > context.now && at < next) next = at
  }
  for (const p of state.publications) {
    if (p.expiresAt !== connectionBound) consider(p.expiresAt)
    consider(p.state.note?.expiresAt)
    if (p.source.kind === 'device' && p.idle !== true) {
      consider((p.lastActiveAt ?? p.publishedAt) + context.idleAfterMs)
    }
  }
  return next === Infinity ? undefined : next
}
