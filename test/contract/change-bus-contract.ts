// The ChangeBus contract: one shared suite that every bus adapter runs (in-process now, Redis in a
// cluster); contract tests.
import { describe, expect, it } from 'vitest'
import type { AccessEnded, BusEvent, ChangeBus, PresenceChanged } from '../../src/ports/bus.js'

export interface BusUnderTest {
  readonly bus: ChangeBus
  /** What the bus reported of its handlers' errors. */
  readonly errors: unknown[]
  /** Resolves once every event published so far has reached every handler. */
  settled(): Promise<void>
}

const change = (address: string, seq: number): PresenceChanged =>
  ({ type: 'presence-changed', address, organizationId: 'acme', seq }) as PresenceChanged

const revoked = (address: string): AccessEnded => ({
  type: 'access-ended',
  address,
  organizationId: 'acme',
  reason: 'token-revoked',
  tokenIds: ['t1'],
})

const label = (event: BusEvent) =>
  event.type === 'presence-changed'
    ? `${event.address}:${event.seq}`
    : event.type === 'access-ended'
      ? `${event.type}:${event.address}`
      : event.type === 'policy-changed'
        ? `${event.type}:${event.scope.kind}`
        : event.type

export const describeChangeBus = (name: string, make: () => Promise<BusUnderTest>): void => {
  describe(`ChangeBus contract: ${name}`, () => {
    it('every handler receives every event once, in the order published', async () => {
      const { bus, settled } = await make()
      const first: string[] = []
      const second: string[] = []
      bus.subscribe((e) => first.push(label(e)))
      bus.subscribe((e) => second.push(label(e)))
      for (let seq = 1; seq <= 5; seq++) await bus.publish(change('amy', seq))
      await bus.publish(revoked('amy'))
      await settled()
      const expected = ['amy:1', 'amy:2', 'amy:3', 'amy:4', 'amy:5', 'access-ended:amy']
      expect(first).toEqual(expected)
      expect(second).toEqual(expected)
      await bus.close()
    })

    it('an unsubscribed handler receives nothing more, the others go on', async () => {
      const { bus, settled } = await make()
      const kept: string[] = []
      const dropped: string[] = []
      bus.subscribe((e) => kept.push(label(e)))
      const stop = bus.subscribe((e) => dropped.push(label(e)))
      await bus.publish(change('amy', 1))
      await settled()
      stop()
      await bus.publish(change('amy', 2))
      await settled()
      expect(kept).toEqual(['amy:1', 'amy:2'])
      expect(dropped).toEqual(['amy:1'])
      await bus.close()
    })

    it("a handler's error reaches neither the publisher nor the other handlers, and is reported", async () => {
      const { bus, errors, settled } = await make()
      const seen: string[] = []
      bus.subscribe(() => {
        throw new Error('handler failed')
      })
      bus.subscribe((e) => seen.push(label(e)))
      await expect(bus.publish(change('amy', 1))).resolves.toBeUndefined()
      await settled()
      expect(seen).toEqual(['amy:1'])
      expect(errors).toHaveLength(1)
      await bus.close()
    })

    it('an event published by a handler reaches every handler after the event being delivered', async () => {
      const { bus, settled } = await make()
      const first: string[] = []
      const second: string[] = []
      bus.subscribe((e) => {
        first.push(label(e))
        if (e.type === 'presence-changed' && e.seq === 1) void bus.publish(change('bo', 2))
      })
      bus.subscribe((e) => second.push(label(e)))
      await bus.publish(change('amy', 1))
      await settled()
      expect(first).toEqual(['amy:1', 'bo:2'])
      expect(second).toEqual(['amy:1', 'bo:2'])
      await bus.close()
    })

    it('after close nothing is delivered', async () => {
      const { bus, settled } = await make()
      const seen: string[] = []
      bus.subscribe((e) => seen.push(label(e)))
      await bus.close()
      await bus.publish(change('amy', 1)).catch(() => undefined)
      await settled()
      expect(seen).toEqual([])
    })
  })
}
