// Runs the ChangeBus contract on the in-process bus and the Clock contract on the system clock and
// on FixedClock; contract tests.
import { setTimeout as sleep } from 'node:timers/promises'
import { InProcessChangeBus } from '../../src/adapters/bus/in-process/in-process-bus.js'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import { SystemClock } from '../../src/adapters/clock/system-clock.js'
import { describeChangeBus } from './change-bus-contract.js'
import { describeClock } from './clock-contract.js'

describeChangeBus('in-process', async () => {
  const errors: unknown[] = []
  return {
    bus: new InProcessChangeBus((error) => errors.push(error)),
    errors,
    settled: async () => {},
  }
})

describeClock('FixedClock', () => {
  const clock = new FixedClock()
  return { clock, pass: async (ms) => clock.advance(ms) }
})

// The real clock's timers are real: these waits are a few milliseconds, and nothing is timed.
describeClock('SystemClock', () => ({ clock: new SystemClock(), pass: (ms) => sleep(ms + 15) }))
