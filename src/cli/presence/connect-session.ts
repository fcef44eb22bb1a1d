// Keeps one device publication alive over the SDK's live connection: published once, and published
// again by the SDK after every reconnect with `active: false` (a reconnect is not activity); CLI
// layer.
import { NarvaroApiError, type PublishRequest } from '@narvaro/sdk'
import { toCliError } from '../shared/cli-error.js'
import type { LiveSession } from '../shared/live-session.js'

/** The `publish` message without its `type` and `id`: source, availability, device. */
export type PublishInput = PublishRequest

export interface ConnectEvents {
  /** The publication is in place: first online, or online again after a reconnect. */
  onOnline(address: string, reconnected: boolean): void
}

/** How long the server asks to wait when publishing too fast; undefined for any other refusal. */
const retryAfterOf = (error: unknown): number | undefined => {
  if (!(error instanceof NarvaroApiError) || error.code !== 'NRV_RATE_LIMITED') return undefined
  const ms = error.details['retryAfterMs']
  return typeof ms === 'number' ? ms : undefined
}

/**
 * Publishes `publication` on `session` and reports each time it is in place; returns the function
 * that makes the first publication. Too fast is retried when the server says; a connection cut
 * before the answer is left to the SDK, which publishes again after the reconnect; any other
 * refusal ends the session.
 */
export const keepPublished = (
  session: LiveSession,
  publication: PublishInput,
  events: ConnectEvents,
): (() => void) => {
  const { live } = session
  let address = ''
  let retry: NodeJS.Timeout | undefined
  const publish = (what: PublishInput, reconnected: boolean): void => {
    live.publish(what).then(
      () => events.onOnline(address, reconnected),
      (error: unknown) => refused(error, what, reconnected),
    )
  }
  const refused = (error: unknown, what: PublishInput, reconnected: boolean): void => {
    const waitMs = retryAfterOf(error)
    if (waitMs === undefined) {
      if (error instanceof NarvaroApiError) session.fail(toCliError(error))
      return
    }
    session.notice(`publishing too fast; trying again in ${waitMs} ms`)
    retry = setTimeout(() => publish(what, reconnected), waitMs)
  }
  live.on('welcome', (welcome) => {
    clearTimeout(retry)
    address = welcome.address
  })
  live.on('state', ({ state }) => state === 'closed' && clearTimeout(retry))
  live.on('republished', ({ publication: again, error }) =>
    error ? refused(error, { ...again, active: false }, true) : events.onOnline(address, true),
  )
  return () => publish(publication, false)
}
