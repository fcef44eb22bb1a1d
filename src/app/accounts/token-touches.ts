// When each token was last used, written behind the requests that used it: at most once a minute per
// token, gathered for a second and written in one transaction (shared/write-behind), so that a
// reconnect storm of thousands of sessions costs a few commits instead of one per session, and no
// session waits for the store before it is let in; app layer.
import type { Clock } from '../../ports/clock.js'
import type { PresenceStore } from '../../ports/store.js'
import { WriteBehind } from '../shared/index.js'

/** A token's last use is written again only when it is older than this. */
export const touchEveryMs = 60_000
/** How long touches gather before they are written together. */
export const touchWriteAfterMs = 1000

export class TokenTouches {
  /** When each token's use was last taken to be written. */
  private readonly touched = new Map<string, number>()
  private readonly writes: WriteBehind

  constructor(deps: {
    readonly store: Pick<PresenceStore, 'touchTokens'>
    readonly clock: Clock
    readonly onError?: (error: unknown) => void
  }) {
    this.writes = new WriteBehind({
      clock: deps.clock,
      afterMs: touchWriteAfterMs,
      write: (batch) => deps.store.touchTokens(batch),
      ...(deps.onError ? { onError: deps.onError } : {}),
    })
  }

  /** The token was used at `now`: written within a second, unless it was within the last minute. */
  touch(tokenId: string, now: number): void {
    const last = this.touched.get(tokenId)
    if (last !== undefined && now - last <= touchEveryMs) return
    this.touched.set(tokenId, now)
    this.writes.set(tokenId, now)
  }

  /** The tokens were revoked: nothing more is written for them. */
  forget(tokenIds: readonly string[]): void {
    for (const id of tokenIds) {
      this.touched.delete(id)
      this.writes.delete(id)
    }
  }

  /**
   * Writes what gathered, in one transaction, after the writes before it; resolves when all are done.
   * A failure is reported, never thrown at a request.
   */
  write(): Promise<void> {
    return this.writes.flush()
  }
}
