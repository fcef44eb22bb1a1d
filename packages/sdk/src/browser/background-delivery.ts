// A tab in the background asks for coalesced delivery (the newest state per presentity, every
// interval) and for live delivery when shown again: the cheap side of one connection per tab.
// SDK browser layer.
import type { NarvaroLive } from '../live/narvaro-live.js'
import type { EventTargetLike } from './idle-detector.js'

export interface BackgroundDeliveryOptions {
  /** How often a hidden tab gets its updates. Default 30 s (the server allows 1 s to 10 min). */
  readonly intervalMs?: number
  readonly document?: EventTargetLike & { readonly visibilityState: string }
}

/** Switches the live client's delivery with the page's visibility; returns a function that stops. */
export const coalesceWhenHidden = (
  live: NarvaroLive,
  options: BackgroundDeliveryOptions = {},
): (() => void) => {
  const doc =
    options.document ??
    (globalThis as unknown as { document: BackgroundDeliveryOptions['document'] }).document
  if (!doc) throw new Error('coalesceWhenHidden runs in a browser (or pass document)')
  const apply = () => {
    const hidden = doc.visibilityState === 'hidden'
    live
      .delivery(hidden ? 'coalesced' : 'live', hidden ? (options.intervalMs ?? 30_000) : undefined)
      .catch(() => undefined)
  }
  doc.addEventListener('visibilitychange', apply)
  const stopWelcome = live.on('welcome', () => queueMicrotask(apply))
  return () => {
    doc.removeEventListener('visibilitychange', apply)
    stopWelcome()
  }
}
