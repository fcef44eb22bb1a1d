// Bearer tokens verified lately, so a reconnect or a request does not read the store each time;
// every entry is dropped by the change channel's events the moment its access or its account
// changes (a token revoked or expired, a user removed, a password or profile changed), and is read
// again from the store at most `maxAgeMs` after it was cached in any case; app layer.
import type { Authenticated } from './auth-service.js'
import { HeldMap, SetMap, type HeldMapLimits } from '../shared/index.js'

export type TokenCacheLimits = HeldMapLimits

export const defaultTokenCacheLimits: TokenCacheLimits = { maxEntries: 50_000, maxAgeMs: 60_000 }

export class TokenCache {
  /** Token hash → what it authenticated. */
  private readonly byHash: HeldMap<string, Authenticated>
  /** Token id → its hash; user address → the hashes of their cached tokens. */
  private readonly hashOfToken = new Map<string, string>()
  private readonly hashesOfUser = new SetMap<string, string>()

  constructor(limits: TokenCacheLimits = defaultTokenCacheLimits) {
    this.byHash = new HeldMap(limits, (hash, found) => {
      this.hashOfToken.delete(found.token.id)
      this.hashesOfUser.delete(found.user.address, hash)
    })
  }

  /** What `hash` authenticated, if cached, still young, and its token not expired at `now`. */
  get(hash: string, now: number): Authenticated | undefined {
    const found = this.byHash.get(hash, now)
    const expiresAt = found?.token.expiresAt
    if (expiresAt === undefined || expiresAt > now) return found
    this.byHash.drop(hash)
    return undefined
  }

  set(hash: string, found: Authenticated, now: number): void {
    this.byHash.set(hash, found, now)
    this.hashOfToken.set(found.token.id, hash)
    this.hashesOfUser.add(found.user.address, hash)
  }

  /** Forgets these tokens. */
  forgetTokens(tokenIds: Iterable<string>): void {
    for (const id of tokenIds) {
      const hash = this.hashOfToken.get(id)
      if (hash !== undefined) this.byHash.drop(hash)
    }
  }

  /** Forgets every token of the user at `address`. */
  forgetUser(address: string): void {
    for (const hash of this.hashesOfUser.get(address)) this.byHash.drop(hash)
  }

  clear(): void {
    this.byHash.clear()
  }
}
