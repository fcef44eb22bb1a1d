// The rules of integration events, pure: what each event type sets (source kind and activity), the
// source id of one (integration, type, key), the safety expiry and the order of events; app layer.
import type {
  ActivityKind,
  PublicationState,
  WorkLocation,
} from '../../core/model/presence-model.js'
import type { IntegrationKind } from '../../ports/integration-store.js'

export const integrationEventTypes = [
  'call',
  'conference',
  'video',
  'presenting',
  'screen-sharing',
  'work-location',
] as const
export type IntegrationEventType = (typeof integrationEventTypes)[number]

/** `refresh` says the activity is still going on at `at`: the same effect as `started`. */
export const integrationEventStates = ['started', 'ended', 'refresh'] as const
export type IntegrationEventState = (typeof integrationEventStates)[number]

/**
 * What each event type sets while it is going on. Video is part of a call (a video call is a call);
 * presenting and sharing a screen are the same thing to a watcher. A work location (a badge reader,
 * a desk booking) sets where the person works, not an activity.
 */
export const integrationEventMapping: Readonly<
  Record<IntegrationEventType, { readonly kind: IntegrationKind; readonly activity?: ActivityKind }>
> = {
  call: { kind: 'phone', activity: 'in-a-call' },
  conference: { kind: 'conference', activity: 'in-a-conference' },
  video: { kind: 'conference', activity: 'in-a-call' },
  presenting: { kind: 'integration', activity: 'presenting' },
  'screen-sharing': { kind: 'integration', activity: 'presenting' },
  'work-location': { kind: 'integration' },
}

/**
 * The state one event's source publishes while it is going on. The safety expiry is not a known
 * end: an activity carries no `until`. Undefined for a work-location event without its location.
 */
export const integrationStateOf = (
  type: IntegrationEventType,
  workLocation: WorkLocation | undefined,
): PublicationState | undefined => {
  const { activity } = integrationEventMapping[type]
  if (activity !== undefined) return { activities: [{ kind: activity }] }
  return workLocation === undefined ? undefined : { workLocation }
}

export const defaultKey = 'default'

/** The key of one source of an integration for one person: `<type>:<key>`. */
export const sourceKeyOf = (type: IntegrationEventType, key: string | undefined): string =>
  `${type}:${key ?? defaultKey}`

/** One publication per (integration, person, type, key). */
export const integrationSourceId = (integrationId: string, sourceKey: string): string =>
  `integration:${integrationId}:${sourceKey}`

export const safetyTtl = { defaultMs: 300_000, minMs: 30_000, maxMs: 4 * 3_600_000 } as const

/** The safety expiry's length: the event's `ttlSeconds`, clamped, or the default. */
export const safetyTtlMs = (ttlSeconds: number | undefined): number =>
  ttlSeconds === undefined
    ? safetyTtl.defaultMs
    : Math.min(Math.max(ttlSeconds * 1000, safetyTtl.minMs), safetyTtl.maxMs)

/** What was last applied for one source. */
export interface OrderState {
  readonly lastAt: number
  readonly ended: boolean
}

export type OrderDecision =
  { readonly outcome: 'stale' } | { readonly outcome: 'start' | 'end'; readonly next: OrderState }

/**
 * Orders the events of one source by their `at`: an event older than the last applied one is stale;
 * at the same `at`, `ended` wins. So an `ended` that arrives before its `started` is kept (as a
 * tombstone) and the late `started` is stale: any arrival order ends in the same state.
 */
export const decideOrder = (
  current: OrderState | undefined,
  event: { readonly state: IntegrationEventState; readonly at: number },
): OrderDecision => {
  const ends = event.state === 'ended'
  if (current !== undefined) {
    if (event.at < current.lastAt) return { outcome: 'stale' }
    if (event.at === current.lastAt && current.ended && !ends) return { outcome: 'stale' }
  }
  return { outcome: ends ? 'end' : 'start', next: { lastAt: event.at, ended: ends } }
}
