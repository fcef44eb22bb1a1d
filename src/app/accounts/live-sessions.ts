// Every live session (WebSocket, SSE, and each gateway's) is opened here and obeys the access events
// of the change channel: when a token is revoked or expires, or a user is removed, each session it
// covers ends at once, on every node; app layer.
import type { Party } from '../../core/policy/decide-permissions.js'
import type { AccessEndReason, AccessEnded, ChangeBus } from '../../ports/bus.js'
import type { Clock, TimerHandle } from '../../ports/clock.js'
import type { ApiToken, User } from '../../ports/store.js'
import { onAccessEnded, SetMap } from '../shared/index.js'

/** A live session as every transport implements it: whose it is, by which token, and how it ends. */
export interface LiveSession {
  readonly watcher: Party
  /** The token the session was opened with. */
  readonly token: Pick<ApiToken, 'id' | 'expiresAt'>
  /**
   * Ends the session because its access ended: tell the peer why (a final message or close code of
   * the transport) and close; publications it made end at once, without a grace period.
   */
  endAccess(reason: AccessEndReason): void
}

/**
 * Tokens and users whose access ended lately, remembered so that a session authenticated just
 * before the end but opened just after it ends too; bounded, oldest forgotten first.
 */
const maxRemembered = 10_000

interface Open {
  readonly session: LiveSession
  expiry?: TimerHandle
}

export class LiveSessions {
  private readonly byUser = new SetMap<string, Open>()
  /** Token id → why its access ended. */
  private readonly ended = new Map<string, AccessEndReason>()
  private readonly unsubscribe: () => void

  constructor(
    private readonly deps: {
      readonly bus: ChangeBus
      readonly clock: Clock
      readonly onError: (error: unknown) => void
    },
  ) {
    this.unsubscribe = onAccessEnded(deps.bus, (event) => this.accessEnded(event))
  }

  /**
   * Opens a live session: from now on it ends when its token is revoked or expires or its user is
   * removed. Returns the function the transport calls when the session closes by itself.
   */
  open(session: LiveSession): () => void {
    const address = session.watcher.address
    const entry: Open = { session }
    this.byUser.add(address, entry)
    const expiresAt = session.token.expiresAt
    if (expiresAt !== undefined) {
      entry.expiry = this.deps.clock.setTimer(Math.max(0, expiresAt - this.deps.clock.now()), () =>
        this.end(entry, 'token-expired'),
      )
    }
    const ended = this.ended.get(session.token.id)
    // Ended between the session's authentication and now: it ends as soon as it is set up.
    if (ended !== undefined) queueMicrotask(() => this.end(entry, ended))
    return () => this.forget(entry)
  }

  /** Tells every node that these tokens of `user` no longer grant access. */
  tokensRevoked(
    user: User,
    tokenIds: readonly string[],
    reason: 'token-revoked' | 'password-changed' = 'token-revoked',
  ): Promise<void> {
    if (tokenIds.length === 0) return Promise.resolve()
    return this.publish({
      address: user.address,
      organizationId: user.organizationId,
      reason,
      tokenIds,
    })
  }

  /** Tells every node that `user`, who had `tokenIds`, was removed: every session of theirs ends. */
  userRemoved(user: User, tokenIds: readonly string[]): Promise<void> {
    return this.publish({
      address: user.address,
      organizationId: user.organizationId,
      reason: 'user-removed',
      tokenIds,
    })
  }

  /** Live sessions of one user on this node, for tests and metrics. */
  countOf(address: string): number {
    return this.byUser.count(address)
  }

  stop(): void {
    this.unsubscribe()
    for (const entry of this.byUser.values()) entry.expiry?.cancel()
    this.byUser.clear()
  }

  private publish(event: Omit<AccessEnded, 'type'>): Promise<void> {
    return this.deps.bus.publish({ type: 'access-ended', ...event })
  }

  private accessEnded(event: AccessEnded): void {
    for (const id of event.tokenIds) this.remember(id, event.reason)
    const everything = event.reason === 'user-removed'
    const tokens = new Set(event.tokenIds)
    for (const entry of this.byUser.get(event.address)) {
      if (everything || tokens.has(entry.session.token.id)) this.end(entry, event.reason)
    }
  }

  private remember(key: string, reason: AccessEndReason): void {
    this.ended.delete(key)
    if (this.ended.size >= maxRemembered) this.ended.delete(this.ended.keys().next().value!)
    this.ended.set(key, reason)
  }

  private end(entry: Open, reason: AccessEndReason): void {
    this.forget(entry)
    try {
      entry.session.endAccess(reason)
    } catch (error) {
      this.deps.onError(error)
    }
  }

  private forget(entry: Open): void {
    entry.expiry?.cancel()
    const address = entry.session.watcher.address
    this.byUser.delete(address, entry)
  }
}
