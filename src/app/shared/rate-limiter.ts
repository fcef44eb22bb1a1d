// Token buckets per key (a token, a source, a watcher): a misbehaving client is refused, others go on; app layer.
import type { Clock } from '../../ports/clock.js'

export interface RateLimit {
  /** Requests allowed at once. */
  readonly burst: number
  /** Requests regained per second. */
  readonly perSecond: number
}

interface Bucket {
  tokens: number
  at: number
}

/** How often, at least, full buckets are looked for and dropped. */
const sweepEveryMs = 60_000

/**
 * Keys idle long enough to have refilled completely are dropped (a full bucket is as good as none),
 * so the map stays bounded by the activity of the last minute or so.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()
  private sweptAt = 0

  constructor(
    private readonly clock: Clock,
    private readonly limit: RateLimit,
  ) {}

  /** Takes one request from `key`'s bucket: 0 when allowed, else the milliseconds to wait. */
  take(key: string): number {
    const now = this.clock.now()
    this.sweep(now)
    let bucket = this.buckets.get(key)
    if (bucket === undefined) {
      bucket = { tokens: this.limit.burst, at: now }
      this.buckets.set(key, bucket)
    }
    bucket.tokens = Math.min(
      this.limit.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond,
    )
    bucket.at = now
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return 0
    }
    return Math.ceil(((1 - bucket.tokens) / this.limit.perSecond) * 1000)
  }

  /**
   * Drops the full buckets, once a minute or once a refill if that is longer: a key that comes back
   * every few seconds keeps its bucket (dropping and making it again at each request regrew the
   * map's table over and over).
   */
  private sweep(now: number): void {
    const refillMs = (this.limit.burst / this.limit.perSecond) * 1000
    if (now - this.sweptAt < Math.max(refillMs, sweepEveryMs)) return
    this.sweptAt = now
    for (const [key, bucket] of this.buckets)
      if (now - bucket.at >= refillMs) this.buckets.delete(key)
  }
}
