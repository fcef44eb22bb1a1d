// Reconnect delays: exponential backoff with full jitter (a random delay between 0 and the cap), so
// that clients cut off together do not come back together. SDK layer, pure.

export interface BackoffOptions {
  /** The cap of the first retry, doubled each attempt. Default 500 ms. */
  readonly initialMs?: number
  /** The largest cap. Default 30 s. */
  readonly maxMs?: number
  /** A number in [0, 1); Math.random by default, injectable for tests. */
  readonly random?: () => number
}

/** The delay before retry number `attempt` (0 for the first retry after a drop). */
export const backoffDelay = (attempt: number, options: BackoffOptions = {}): number => {
  const initial = options.initialMs ?? 500
  const cap = Math.min(options.maxMs ?? 30_000, initial * 2 ** Math.min(attempt, 30))
  return Math.floor((options.random ?? Math.random)() * cap)
}
