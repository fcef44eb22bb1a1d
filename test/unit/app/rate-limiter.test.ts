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

  it('forgets keys that have refilled, so memory follows activity', () => {
    const clock = new FixedClock()
    const limiter = new RateLimiter(clock, { burst: 2, perSecond: 1 })
    for (let i = 0; i < 1000; i++) limiter.take(`k${i}`)
    clock.advance(10_000)
    limiter.take('fresh')
    expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size).toBe(1)
  })
})
