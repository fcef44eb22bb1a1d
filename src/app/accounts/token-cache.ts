// Bearer tokens verified lately, so a reconnect or a request does not read the store each time;
// every entry is dropped by the change channel's events the moment its access or its account
// changes (a token revoked or expired, a user removed, a password or profile changed), and is read
// again from the store at most `maxAgeMs` after it was cached in any case; app layer.
import type { Authenticated } from './auth-service.js'
import { SetMap } from '../shared/index.js'

interface Cached {
  readonly found: Authenticated
  readonly cachedAt: number
}

export interface TokenCacheLimits {
  /** Entries kept at most; the oldest cached goes first. */
  readonly maxEntries: number
  /** How long an entry is trusted without reading the store again (a bound, should an event be lost). */
  readonly maxAgeMs: number
}

export const defaultTokenCacheLimits: TokenCacheLimits = { maxEntries: 50_000, maxAgeMs: 60_000 }

export class TokenCache {
  /** Token hash → what it authenticated. */
  private readonly byHash = new Map<string, Cached>()
  /** Token id → its hash; user address → the hashes of their cached tokens. */
  private readonly hashOfToken = new Map<string, string>()
  private readonly hashesOfUser = new SetMap<string, string>()

  constructor(private readonly limits: TokenCacheLimits = defaultTokenCacheLimits) {}

  /** What `hash` authenticated, if cached, still young, and its token not expired at `now`. */
  get(hash: string, now: number): Authenticated | undefined {
    const cached = this.byHash.get(hash)
    if (!cached) return undefined
    const expiresAt = cached.found.token.expiresAt
    if (
      now - cached.cachedAt >= this.limits.maxAgeMs ||
      (expiresAt !== undefined && expiresAt <= now)
    ) {
      this.drop(hash)
      return undefined
    }
    return cached.found
  }

  set(hash: string, found: Authenticated, now: number): void {
    this.drop(hash)
    if (this.byHash.size >= this.limits.maxEntries) this.drop(this.byHash.keys().next().value!)
    this.byHash.set(hash, { found, cachedAt: now })
    this.hashOfToken.set(found.token.id, hash)
    this.hashesOfUser.add(found.user.address, hash)
  }

  /** Forgets these tokens. */
  forgetTokens(tokenIds: Iterable<string>): void {
    for (const id of tokenIds) {
      const hash = this.hashOfToken.get(id)
      if (hash !== undefined) this.drop(hash)
    }
  }

  /** Forgets every token of the user at `address`. */
  forgetUser(address: string): void {
    for (const hash of this.hashesOfUser.get(address)) this.drop(hash)
  }

  clear(): void {
    this.byHash.clear()
    this.hashOfToken.clear()
    this.hashesOfUser.clear()
  }

  private drop(hash: string): void {
    const cached = this.byHash.get(hash)
    if (!cached) return
    this.byHash.delete(hash)
    this.hashOfToken.delete(cached.found.token.id)
    const address = cached.found.user.address
    this.hashesOfUser.delete(address, hash)
  }
}
