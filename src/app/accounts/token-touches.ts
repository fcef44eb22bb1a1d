// When each token was last used, written behind the requests that used it: at most once a minute per
// token, gathered for a second and written in one transaction, so that a reconnect storm of thousands
// of sessions costs a few commits instead of one per session, and no session waits for the store
// before it is let in; app layer.
import type { Clock, TimerHandle } from '../../ports/clock.js'
import type { PresenceStore } from '../../ports/store.js'

/** A token's last use is written again only when it is older than this. */
export const touchEveryMs = 60_000
/** How long touches gather before they are written together. */
export const touchWriteAfterMs = 1000

export class TokenTouches {
  /** When each token's use was last taken to be written. */
  private readonly touched = new Map<string, number>()
  private pending = new Map<string, number>()
  private timer: TimerHandle | undefined
  /** The writes under way, one after another. */
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly deps: {
      readonly store: Pick<PresenceStore, 'touchTokens'>
      readonly clock: Clock
      readonly onError?: (error: unknown) => void
    },
  ) {}

  /** The token was used at `now`: written within a second, unless it was within the last minute. */
  touch(tokenId: string, now: number): void {
    const last = this.touched.get(tokenId)
    if (last !== undefined && now - last <= touchEveryMs) return
    this.touched.set(tokenId, now)
    this.pending.set(tokenId, now)
    this.timer ??= this.deps.clock.setTimer(touchWriteAfterMs, () => void this.write())
  }

  /** The tokens were revoked: nothing more is written for them. */
  forget(tokenIds: readonly string[]): void {
    for (const id of tokenIds) {
      this.touched.delete(id)
      this.pending.delete(id)
    }
  }

  /**
   * Writes what gathered, in one transaction, after the writes before it; resolves when all are done.
   * A failure is reported, never thrown at a request.
   */
  write(): Promise<void> {
    this.timer?.cancel()
    this.timer = undefined
    if (this.pending.size === 0) return this.writing
    const batch = this.pending
    this.pending = new Map()
    this.writing = this.writing.then(() =>
      this.deps.store.touchTokens(batch).catch((error: unknown) => this.deps.onError?.(error)),
    )
    return this.writing
  }
}
