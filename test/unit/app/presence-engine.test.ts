// The presence engine with a FixedClock: expiry timers, idle transitions, sequence numbers, bus events.
import { describe, expect, it } from 'vitest'
import { InProcessChangeBus } from '../../../src/adapters/bus/in-process/in-process-bus.js'
import { FixedClock } from '../../../src/adapters/clock/fixed-clock.js'
import { PresenceEngine } from '../../../src/app/presence/presence-engine.js'
import { connectionBound } from '../../../src/core/aggregation/presentity.js'
import type { Profile, Publication } from '../../../src/core/model/presence-model.js'
import type { PresenceChanged } from '../../../src/ports/bus.js'

const profile: Profile = {
  address: 'ann@acme.example',
  organizationId: 'org',
  displayName: 'Ann',
  timeZone: 'Europe/Stockholm',
  contactMethods: [],
}

const setup = (idleAfterMs = 300_000, resumeWindowMs?: number) => {
  const clock = new FixedClock()
  const bus = new InProcessChangeBus()
  const events: PresenceChanged[] = []
  bus.subscribe((event) => {
    if (event.type === 'presence-changed') events.push(event)
  })
  const lastSeen: number[] = []
  const engine = new PresenceEngine({
    clock,
    bus,
    idleAfterMs,
    resumeWindowMs,
    profileOf: (address) => (address === profile.address ? profile : undefined),
    onLastSeen: (_address, at, wentHidden) => {
      if (wentHidden) lastSeen.push(at)
    },
  })
  const device = (overrides: Partial<Publication> = {}): Publication => ({
    source: { id: 'laptop', kind: 'device' },
    state: { availability: 'available' },
    publishedAt: clock.now(),
    expiresAt: clock.now() + 60_000,
    lastActiveAt: clock.now(),
    ...overrides,
  })
  return { clock, engine, events, lastSeen, device }
}

describe('PresenceEngine', () => {
  it('a publication that expires ends by itself, and watchers hear it once with last seen', () => {
    const { clock, engine, events, lastSeen, device } = setup()
    expect(engine.publish(profile.address, device())).toBe('changed')
    expect(events.map((e) => e.presence.availability)).toEqual(['available'])
    clock.advance(59_999)
    expect(events).toHaveLength(1)
    clock.advance(1)
    expect(events.map((e) => e.presence.availability)).toEqual(['available', 'offline'])
    expect(events[1]!.presence.lastSeen).toBe(clock.now())
    expect(lastSeen).toEqual([clock.now()])
    clock.advance(3_600_000)
    expect(events).toHaveLength(2)
  })

  it('sequence numbers grow with each change and never for a no-op', () => {
    const { engine, events, device } = setup()
    engine.publish(profile.address, device())
    expect(engine.publish(profile.address, device())).toBe('unchanged')
    engine.publish(profile.address, device({ state: { availability: 'busy' } }))
    expect(events).toHaveLength(2)
    expect(events[1]!.seq).toBeGreaterThan(events[0]!.seq)
    expect(engine.snapshot(profile.address)!.seq).toBe(events[1]!.seq)
  })

  it('a device without real activity turns away after the idle time, and a heartbeat does not wake it', () => {
    const { clock, engine, events, device } = setup(300_000)
    engine.publish(profile.address, device({ expiresAt: connectionBound }))
    clock.advance(200_000)
    // A reconnect republishes with the old lastActiveAt: not activity.
    const original = engine.publicationOf(profile.address, 'laptop')!
    engine.publish(profile.address, { ...original, publishedAt: clock.now() })
    clock.advance(100_000)
    expect(events.map((e) => e.presence.availability)).toEqual(['available', 'away'])
    expect(events[1]!.presence.provenance.availability.rule).toBe('idle')
    engine.publish(profile.address, device({ expiresAt: connectionBound }))
    expect(events.map((e) => e.presence.availability)).toEqual(['available', 'away', 'available'])
  })

  it('a connection-bound publication never expires by itself', () => {
    const { clock, engine, events, device } = setup(10 ** 12)
    engine.publish(profile.address, device({ expiresAt: connectionBound }))
    clock.advance(365 * 86_400_000)
    expect(events).toHaveLength(1)
    expect(engine.retract(profile.address, 'laptop')).toBe('changed')
    expect(events.at(-1)!.presence.availability).toBe('offline')
  })

  it('a stale version is refused and changes nothing', () => {
    const { engine, events, device } = setup()
    engine.publish(profile.address, device({ version: 3 }))
    expect(
      engine.publish(profile.address, device({ version: 2, state: { availability: 'busy' } })),
    ).toBe('stale')
    expect(events).toHaveLength(1)
  })

  it('keeps a short history for resumption', () => {
    const { engine, device } = setup()
    engine.publish(profile.address, device())
    const first = engine.snapshot(profile.address)!.seq
    engine.publish(profile.address, device({ state: { availability: 'busy' } }))
    const missed = engine.history.since(profile.address, first)
    expect(missed?.base?.seq).toBe(first)
    expect(missed?.changes.map((c) => c.presence.availability)).toEqual(['busy'])
  })

  it('forgets the history of a presentity quiet for a whole resume window', () => {
    const { engine, clock, device } = setup(300_000, 60_000)
    engine.publish(profile.address, device({ expiresAt: connectionBound }))
    const first = engine.snapshot(profile.address)!.seq
    engine.publish(
      profile.address,
      device({ expiresAt: connectionBound, state: { availability: 'busy' } }),
    )
    expect(engine.history.counts().entries).toBe(2)
    clock.advance(59_000)
    expect(engine.history.since(profile.address, first)?.changes).toHaveLength(1)
    clock.advance(2_000)
    expect(engine.history.isEmpty).toBe(true)
    expect(engine.history.since(profile.address, first)).toEqual({ changes: [] })
    engine.stop()
  })
})
