// The Clock contract: one shared suite that every clock runs (the system clock and the FixedClock
// the tests rely on); contract tests.
import { describe, expect, it } from 'vitest'
import type { Clock } from '../../src/ports/clock.js'

export interface ClockUnderTest {
  readonly clock: Clock
  /** Lets at least `ms` of this clock's time pass, running what falls due. */
  pass(ms: number): Promise<void>
}

export const describeClock = (name: string, make: () => ClockUnderTest): void => {
  describe(`Clock contract: ${name}`, () => {
    it('time never goes back, and moves on as time passes', async () => {
      const { clock, pass } = make()
      const before = clock.now()
      await pass(20)
      expect(clock.now()).toBeGreaterThanOrEqual(before + 20)
    })

    it('timers run once each, not before they are due, earlier ones first', async () => {
      const { clock, pass } = make()
      const ran: string[] = []
      const start = clock.now()
      clock.setTimer(30, () => ran.push(`late@${clock.now() - start >= 30}`))
      clock.setTimer(10, () => ran.push(`early@${clock.now() - start >= 10}`))
      clock.setTimer(0, () => ran.push('now'))
      await pass(60)
      expect(ran).toEqual(['now', 'early@true', 'late@true'])
    })

    it('a cancelled timer never runs; cancelling twice or after it ran is harmless', async () => {
      const { clock, pass } = make()
      const ran: string[] = []
      const cancelled = clock.setTimer(10, () => ran.push('cancelled'))
      const done = clock.setTimer(5, () => ran.push('done'))
      cancelled.cancel()
      cancelled.cancel()
      await pass(30)
      done.cancel()
      expect(ran).toEqual(['done'])
    })

    it('a timer set by a running timer runs too', async () => {
      const { clock, pass } = make()
      const ran: string[] = []
      clock.setTimer(5, () => {
        ran.push('first')
        clock.setTimer(5, () => ran.push('second'))
      })
      await pass(40)
      expect(ran).toEqual(['first', 'second'])
    })
  })
}
