// A tab in the background asks for coalesced delivery (the newest state per presentity, every
// interval) and for live delivery when shown again: the cheap side of a connection nobody looks at.
// SDK browser layer.
import type { LiveClient } from '../live/live-client.js'
import type { EventTargetLike } from './idle-detector.js'

export interface BackgroundDeliveryOptions {
  /** How often a hidden tab gets its updates. Default 30 s (the server allows 1 s to 10 min). */
  readonly intervalMs?: number
  readonly document?: EventTargetLike & { readonly visibilityState: string }
}

/**
 * Switches the live client's delivery with the page's visibility; returns a function that stops.
 * With a shared connection (`shareLive`) each tab tells its own wish, and the one connection is coalesced only
 * while every tab of the browser is hidden.
 */
export const coalesceWhenHidden = (
  live: Pick<LiveClient, 'delivery' | 'on'>,
  options: BackgroundDeliveryOptions = {},
): (() => void) => {
  const doc =
    options.document ??
    (globalThis as unknown as { document: BackgroundDeliveryOptions['document'] }).document
  if (!doc) throw new Error('coalesceWhenHidden runs in a browser (or pass document)')
  const hidden = () => doc.visibilityState === 'hidden'
  const apply = () => {
    live
      .delivery(
        hidden() ? 'coalesced' : 'live',
        hidden() ? (options.intervalMs ?? 30_000) : undefined,
      )
      .catch(() => undefined)
  }
  doc.addEventListener('visibilitychange', apply)
  const stopWelcome = live.on('welcome', () => queueMicrotask(apply))
  // A connection starts live: a tab that starts hidden (or joins a shared one) says so at once.
  if (hidden()) apply()
  return () => {
    doc.removeEventListener('visibilitychange', apply)
    stopWelcome()
  }
}
