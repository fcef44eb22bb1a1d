// Integration-test support for integration sources: creating an integration as an admin and
// posting a batch of events with its token, over the real server's REST API.
import { api, domain } from './server-harness.js'

/** One event's outcome, as the REST reply carries it. */
export interface EventResult {
  readonly id: string
  readonly result: string
  readonly code?: string
  readonly message?: string
  readonly expiresAt?: number
}

/** The address of someone in the test organization. */
export const at = (name: string) => `${name}@${domain}`

/** Creates an integration: the reply carries its token, shown this once. */
export const postIntegration = (
  url: string,
  token: string | undefined,
  body: { name: string; kinds: readonly string[] },
) =>
  api<{ token: string; integration: { id: string } }>(url, {
    path: '/v1/integrations',
    token,
    body,
  })

/** Posts a batch of events with an integration's token. */
export const postEvents = (
  url: string,
  token: string,
  events: readonly Record<string, unknown>[],
) =>
  api<{ results: EventResult[]; code?: string }>(url, {
    path: '/v1/integrations/events',
    token,
    body: { events },
  })
