// Ties idle detection to the live client: an idle device publishes `idle: true` (made by the client
// itself, so `active: false`), and input publishes its previous state again. SDK browser layer.
import type { LiveClient } from '../live/live-client.js'
import { detectIdle, type IdleDetector, type IdleDetectorOptions } from './idle-detector.js'

export interface PublishIdleOptions extends Omit<IdleDetectorOptions, 'onChange'> {
  /** The device (source) whose publication turns idle; publish it once before. */
  readonly source: string
  /** Failed publications (offline, rate limited) go here; they are retried on the next change. */
  readonly onError?: (error: unknown) => void
}

/**
 * Publishes this device as idle while the page is hidden or unused, and back on activity with the
 * availability it had; with a shared connection too (each tab is its own device). Returns the
 * detector; `stop()` ends the watching.
 */
export const publishIdle = (
  live: Pick<LiveClient, 'publicationOf' | 'publish'>,
  options: PublishIdleOptions,
): IdleDetector =>
  detectIdle({
    ...options,
    onChange: (idle) => {
      const last = live.publicationOf(options.source)
      if (!last) return
      const next = idle
        ? { ...last, idle: true, active: false }
        : { ...last, idle: false, active: true }
      live.publish(next).catch((error: unknown) => options.onError?.(error))
    },
  })
