// Properties of the order of integration events (fast-check): whatever order the events of one source
// arrive in, the source ends in the same state as when they are applied in `at` order.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type {
  IntegrationEventState,
  OrderState,
} from '../../src/app/integrations/integration-rules.js'
import {
  decideOrder,
  integrationEventStates,
} from '../../src/app/integrations/integration-rules.js'

interface Event {
  readonly state: IntegrationEventState
  readonly at: number
}

/** Applies events in arrival order; returns the order state and whether the activity is on. */
const run = (events: readonly Event[]): { state: OrderState | undefined; active: boolean } => {
  let state: OrderState | undefined
  let active = false
  for (const event of events) {
    const decision = decideOrder(state, event)
    if (decision.outcome === 'stale') continue
    state = decision.next
    active = decision.outcome === 'start'
  }
  return { state, active }
}

/** `at` order, and at the same `at` ended last (ended wins). */
const inAtOrder = (events: readonly Event[]): Event[] =>
  [...events].sort(
    (a, b) => a.at - b.at || Number(a.state === 'ended') - Number(b.state === 'ended'),
  )

const eventsArb = fc.array(
  fc.record({
    state: fc.constantFrom(...integrationEventStates),
    at: fc.integer({ min: 0, max: 8 }),
  }),
  { minLength: 1, maxLength: 8 },
)

describe('integration event order', () => {
  it('any arrival order ends in the same state as applying the events in `at` order', () => {
    fc.assert(
      fc.property(
        eventsArb.chain((events) =>
          fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
        ),
        ([events, arrival]) => {
          expect(run(arrival)).toStrictEqual(run(inAtOrder(events)))
        },
      ),
      { numRuns: 500 },
    )
  })

  it('the activity is on exactly when the latest event (ended winning ties) is not an ended', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const latest = inAtOrder(events).at(-1)!
        expect(run(events).active).toBe(latest.state !== 'ended')
      }),
    )
  })

  it('applying the same events twice changes nothing', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        expect(run([...events, ...events])).toStrictEqual(run(events))
      }),
    )
  })
})
