// Each presentity's next deadline on one timer: due exactly at the deadline however often it moves,
// a later deadline keeping the armed timer, an earlier one replacing it.
import { describe, expect, it } from 'vitest'
import { FixedClock } from '../../../src/adapters/clock/fixed-clock.js'
import { DeadlineTimers } from '../../../src/app/presence/deadline-timers.js'

const setup = () => {
  const clock = new FixedClock()
  const came: { address: string; at: number }[] = []
  const timers = new DeadlineTimers(clock, (address) => came.push({ address, at: clock.now() }))
  return { clock, came, timers, t0: clock.now() }
}

describe('DeadlineTimers', () => {
  it('is due at the deadline, once', () => {
    const { clock, came, timers, t0 } = setup()
    timers.set('amy', t0 + 1_000)
    clock.advance(999)
    expect(came).toEqual([])
    clock.advance(1)
    expect(came).toEqual([{ address: 'amy', at: t0 + 1_000 }])
    clock.advance(10_000)
    expect(came).toHaveLength(1)
  })

  it('keeps the armed timer when the deadline moves later, and is due at the latest one', () => {
    const { clock, came, timers, t0 } = setup()
    timers.set('amy', t0 + 1_000)
    for (let i = 1; i <= 50; i++) timers.set('amy', t0 + 1_000 + i * 100)
    expect(clock.pendingTimers).toBe(1)
    clock.advance(1_000)
    expect(came).toEqual([])
    expect(clock.pendingTimers).toBe(1)
    clock.advance(4_999)
    expect(came).toEqual([])
    clock.advance(1)
    expect(came).toEqual([{ address: 'amy', at: t0 + 6_000 }])
  })

  it('replaces the timer when the deadline moves earlier', () => {
    const { clock, came, timers, t0 } = setup()
    timers.set('amy', t0 + 10_000)
    timers.set('amy', t0 + 2_000)
    expect(clock.pendingTimers).toBe(1)
    clock.advance(2_000)
    expect(came).toEqual([{ address: 'amy', at: t0 + 2_000 }])
    clock.advance(20_000)
    expect(came).toHaveLength(1)
  })

  it('is never due after its deadline is taken away or cancelled, nor after clear', () => {
    const { clock, came, timers, t0 } = setup()
    timers.set('amy', t0 + 1_000)
    timers.set('amy', undefined)
    timers.set('bo', t0 + 1_000)
    timers.cancel('bo')
    timers.set('cy', t0 + 1_000)
    timers.set('dee', t0 + 3_000)
    timers.clear()
    clock.advance(10_000)
    expect(came).toEqual([])
    expect(clock.pendingTimers).toBe(0)
  })

  it('keeps each presentity to its own deadline, and arms a new one set when the last came', () => {
    const { clock, came, timers, t0 } = setup()
    timers.set('amy', t0 + 3_000)
    timers.set('bo', t0 + 1_000)
    timers.set('amy', t0 + 4_000)
    clock.advance(1_000)
    timers.set('bo', t0 + 2_500)
    clock.advance(5_000)
    expect(came).toEqual([
      { address: 'bo', at: t0 + 1_000 },
      { address: 'bo', at: t0 + 2_500 },
      { address: 'amy', at: t0 + 4_000 },
    ])
  })

  it('is due at once for a deadline already past', () => {
    const { clock, came, timers, t0 } = setup()
    timers.set('amy', t0 - 5)
    clock.advance(0)
    expect(came).toEqual([{ address: 'amy', at: t0 }])
  })
})
