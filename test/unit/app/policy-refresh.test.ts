// A policy change reaches live watchers directly, not through the bus: no presence change is put on
// the change channel, and the change still gets a sequence number in the history (resumable).
import { describe, expect, it } from 'vitest'
import { InProcessChangeBus } from '../../../src/adapters/bus/in-process/in-process-bus.js'
import { FixedClock } from '../../../src/adapters/clock/fixed-clock.js'
import type { PolicyDirectory } from '../../../src/app/policy/index.js'
import { PresenceEngine } from '../../../src/app/presence/presence-engine.js'
import type { WatcherSink } from '../../../src/app/watching/watch-hub.js'
import { WatchHub } from '../../../src/app/watching/watch-hub.js'
import type { BusEvent } from '../../../src/ports/bus.js'
import type { Profile } from '../../../src/core/model/presence-model.js'
import { everything } from '../../../src/core/policy/evaluate-policy.js'
import type { Permissions } from '../../../src/core/policy/permissions.js'

const ann: Profile = {
  address: 'ann@acme.example',
  organizationId: 'acme',
  displayName: 'Ann',
  timeZone: 'UTC',
  contactMethods: [],
}

const setup = () => {
  const clock = new FixedClock()
  const bus = new InProcessChangeBus()
  const engine = new PresenceEngine({
    clock,
    bus,
    idleAfterMs: 10 ** 9,
    profileOf: (a) => (a === ann.address ? ann : undefined),
  })
  let permissions: Permissions = everything
  const policies = { permissionsFor: () => permissions } as unknown as PolicyDirectory
  const hub = new WatchHub({ engine, bus, clock, policies })
  const events: BusEvent[] = []
  bus.subscribe((event) => events.push(event))
  engine.publish(ann.address, {
    source: { id: 'laptop', kind: 'device' },
    state: { availability: 'available', note: { text: 'in Lund today' } },
    publishedAt: clock.now(),
    expiresAt: clock.now() + 600_000,
  })
  events.length = 0
  const grant = (next: Permissions) => (permissions = next)
  return { clock, engine, hub, bus, events, grant }
}

const sink = (address: string) => {
  const received: Record<string, unknown>[] = []
  const value: WatcherSink & { received: typeof received } = {
    watcher: { address, organizationId: 'acme' },
    received,
    send: (message) => received.push(JSON.parse(message) as Record<string, unknown>),
  }
  return value
}

describe('a policy change applied by the hub', () => {
  it('reaches the watcher at once and puts no presence change on the bus', () => {
    const { hub, engine, events, grant } = setup()
    const bob = sink('bob@acme.example')
    hub.watch(bob, ann.address)
    const before = engine.cursor
    grant({ ...everything, note: false })
    expect(hub.refresh(ann.address)).toBe(true)
    expect(events).toEqual([])
    expect(bob.received).toHaveLength(2)
    const change = bob.received[1]!
    expect(change).toMatchObject({ type: 'change', view: { availability: 'available' } })
    expect(change['view']).not.toHaveProperty('note')
    // Ordered like a presence change: a new sequence number, recorded in the history.
    expect(change['seq']).toBeGreaterThan(before)
    expect(engine.cursor).toBe(change['seq'])
    const missed = engine.history.since(ann.address, before)
    expect(missed?.changes.map((e) => e.seq)).toEqual([change['seq']])
  })

  it('comes from the change channel once per turn, without a presence change on it', async () => {
    const { hub, bus, events, grant } = setup()
    const bob = sink('bob@acme.example')
    hub.watch(bob, ann.address)
    grant({ ...everything, note: false })
    await bus.publish({
      type: 'policy-changed',
      scope: { kind: 'presentity', address: ann.address },
    })
    await bus.publish({
      type: 'policy-changed',
      scope: { kind: 'watcher', address: 'bob@acme.example' },
    })
    await Promise.resolve()
    expect(bob.received.map((m) => m['type'])).toEqual(['snapshot', 'change'])
    expect(events.map((e) => e.type)).toEqual(['policy-changed', 'policy-changed'])
  })

  it('changes nothing and gives no sequence number where nobody watches', () => {
    const { hub, engine, events } = setup()
    const before = engine.cursor
    expect(hub.refresh(ann.address)).toBe(false)
    expect(engine.cursor).toBe(before)
    expect(events).toEqual([])
  })
})
