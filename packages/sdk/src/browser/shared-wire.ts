// What the tabs sharing one live connection say to each other over their BroadcastChannel, and the
// rules both the leader tab and the others apply to it; SDK browser layer.
import { NarvaroApiError, NarvaroNetworkError } from '../errors.js'
import type { ConnectionState, LiveEvents } from '../live/narvaro-live.js'
import type { AccessEndedReason, AckMessage, PublishRequest } from '../live/protocol.js'

/** The part of BroadcastChannel used here. */
export interface ChannelLike {
  postMessage(message: unknown): void
  onmessage: ((event: { data: unknown }) => void) | null
  close(): void
}

/** The part of `navigator.locks` used here. */
export interface LocksLike {
  request(
    name: string,
    options: { signal: AbortSignal },
    callback: () => Promise<void>,
  ): Promise<unknown>
}

export type Method =
  'subscribe' | 'unsubscribe' | 'publish' | 'retract' | 'who' | 'whoClose' | 'delivery'
export type Interest = string[] | 'all'
export interface DeliveryWish {
  readonly mode: 'live' | 'coalesced'
  readonly intervalMs?: number
}

/** What the next leader needs, kept by every tab. */
export interface SharedState {
  /** The addresses each tab wants delivered. */
  readonly interest: Record<string, Interest>
  readonly publications: readonly PublishRequest[]
  /** Which tab published each source, so that a tab whose access ended takes its own along. */
  readonly owners: Record<string, string>
  /** The delivery each tab asked for (`coalesceWhenHidden`). */
  readonly delivery: Record<string, DeliveryWish>
}

export const emptyState: SharedState = { interest: {}, publications: [], owners: {}, delivery: {} }

export interface WireError {
  name: string
  message: string
  code?: string
  details?: Record<string, unknown>
}

export type Wire =
  | { t: 'event'; name: keyof LiveEvents; payload: unknown }
  | { t: 'request'; from: string; rid: number; method: Method; args: unknown[] }
  | { t: 'reply'; to: string; rid: number; value?: AckMessage; error?: WireError }
  | { t: 'leader'; from: string; state: ConnectionState; shared: SharedState }
  | { t: 'shared'; shared: SharedState }
  | { t: 'hello' }
  /** A tab tells the leader it is there, and the token whose end must end its session. */
  | { t: 'join'; from: string; token?: string }
  | { t: 'ended'; to: string; reason: AccessEndedReason }
  | { t: 'bye'; from: string }

/** Events of the leader's connection that every tab gets (its own access is told one by one). */
export const relayed: readonly (keyof LiveEvents)[] = [
  'welcome',
  'snapshot',
  'change',
  'unwatched',
  'ack',
  'error',
  'pong',
  'watcher',
  'subscription',
  'who-change',
  'invitation',
  'gathering',
  'invitation-ended',
  'gathering-ended',
  'available',
  'notify-expired',
  'resync',
  'state',
  'reconnecting',
]

export const toWire = (error: unknown): WireError =>
  error instanceof NarvaroApiError
    ? { name: error.name, message: error.message, code: error.code, details: { ...error.details } }
    : {
        name: 'NarvaroNetworkError',
        message: error instanceof Error ? error.message : String(error),
      }

export const fromWire = (error: WireError): Error =>
  error.code !== undefined
    ? new NarvaroApiError(0, {
        code: error.code,
        message: error.message,
        details: error.details ?? {},
      })
    : new NarvaroNetworkError(error.message)

/** Addresses some tab still wants, so that one tab's unsubscribe does not stop another's delivery. */
export const stillWanted = (interest: Record<string, Interest>, address: string): boolean =>
  Object.values(interest).some((wanted) => wanted === 'all' || wanted.includes(address))

/** The subscriptions of all tabs together. */
export const unionOf = (interest: Record<string, Interest>): Interest | undefined => {
  const all = Object.values(interest)
  if (all.length === 0) return undefined
  if (all.includes('all')) return 'all'
  return [...new Set(all.flat())]
}

/**
 * The delivery of the one connection: coalesced only while every tab asked for it (every tab is
 * hidden), at the shortest interval asked; live as soon as one tab is shown or has not asked.
 */
export const combinedDelivery = (
  wishes: Record<string, DeliveryWish>,
  tabs: readonly string[],
): DeliveryWish => {
  if (tabs.some((tab) => wishes[tab]?.mode !== 'coalesced')) return { mode: 'live' }
  const intervals = tabs.flatMap((tab) => wishes[tab]?.intervalMs ?? [])
  return intervals.length > 0
    ? { mode: 'coalesced', intervalMs: Math.min(...intervals) }
    : { mode: 'coalesced' }
}
