// Token buckets: a burst is allowed, then requests wait for the refill, each key on its own.
import { describe, expect, it } from 'vitest'
import { FixedClock } from '../../../src/adapters/clock/fixed-clock.js'
import { RateLimiter } from '../../../src/app/shared/rate-limiter.js'

describe('RateLimiter', () => {
  it('allows a burst, then says how long to wait, and refills with time', () => {
    const clock = new FixedClock()
    const limiter = new RateLimiter(clock, { burst: 3, perSecond: 2 })
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0])
    expect(limiter.take('a')).toBe(500)
    expect(limiter.take('b')).toBe(0)
    clock.advance(500)
    expect(limiter.take('a')).toBe(0)
    expect(limiter.take('a')).toBeGreaterThan(0)
  })

  it('forgets keys that have refilled, at most a minute later, so memory follows activity', () => {
    const clock = new FixedClock()
    const limiter = new RateLimiter(clock, { burst: 2, perSecond: 1 })
    const size = () => (limiter as unknown as { buckets: Map<string, unknown> }).buckets.size
    for (let i = 0; i < 1000; i++) limiter.take(`k${i}`)
    // Refilled within the minute: kept (a key that comes back keeps its bucket), and as good as new.
    clock.advance(10_000)
    expect(limiter.take('k0')).toBe(0)
    expect(limiter.take('k0')).toBe(0)
    expect(limiter.take('k0')).toBe(1000)
    expect(size()).toBe(1000)
    clock.advance(60_000)
    limiter.take('fresh')
    expect(size()).toBe(1)
  })
})
