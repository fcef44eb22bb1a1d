// Aggregation over time: idle detection of devices (lastActiveAt, explicit idle, busy devices stay)
// and expiry of publications at exactly expiresAt, connection-bound ones never; unit tests.
import { describe, expect, it } from 'vitest'
import { isIdle, isLive } from '../../../src/core/aggregation/aggregate.js'
import { connectionBound } from '../../../src/core/aggregation/presentity.js'
import type { Publication, PublicationState } from '../../../src/core/model/presence-model.js'
import {
  aggregateAt,
  device,
  hour,
  idleAfterMs,
  integration,
  phone,
  t0,
} from '../../support/publications.js'

describe('idle detection', () => {
  const at = (p: Publication, now: number) => aggregateAt([p], now)
  const available: PublicationState = { availability: 'available', device: { capabilities: [] } }

  it('a device whose last activity is exactly idleAfterMs old counts as away', () => {
    const presence = at(device('laptop', available, { lastActiveAt: t0 - idleAfterMs }), t0)
    expect(presence.availability).toBe('away')
    expect(presence.provenance.availability).toMatchObject({ rule: 'idle', sourceId: 'laptop' })
    expect(presence.devices[0]).toMatchObject({ availability: 'away', idle: true })
  })

  it('one millisecond before that, the device is still available', () => {
    const presence = at(device('laptop', available, { lastActiveAt: t0 - idleAfterMs + 1 }), t0)
    expect(presence.availability).toBe('available')
    expect(presence.devices[0]).toMatchObject({ availability: 'available', idle: false })
  })

  it('a device without a last activity is judged by when it published', () => {
    const p: Publication = {
      ...device('laptop', available),
      lastActiveAt: undefined,
      publishedAt: t0 - idleAfterMs,
    }
    expect(at(p, t0).availability).toBe('away')
    expect(at({ ...p, publishedAt: t0 - idleAfterMs + 1 }, t0).availability).toBe('available')
  })

  it('an explicitly idle device is away, however recently it was used', () => {
    const presence = at(device('laptop', available, { idle: true, lastActiveAt: t0 }), t0)
    expect(presence.availability).toBe('away')
    expect(presence.provenance.availability.rule).toBe('idle')
  })

  it('an idle be-right-back device turns away', () => {
    expect(
      at(device('laptop', { availability: 'be-right-back' }, { idle: true }), t0).availability,
    ).toBe('away')
  })

  it.each(['busy', 'do-not-disturb'] as const)(
    'an idle %s device stays as it is',
    (availability) => {
      const presence = at(
        device(
          'laptop',
          { availability, device: { capabilities: [] } },
          { idle: true, lastActiveAt: t0 - hour },
        ),
        t0,
      )
      expect(presence.availability).toBe(availability)
      expect(presence.provenance.availability.rule).toBe('device')
      expect(presence.devices[0]).toMatchObject({ availability, idle: true })
    },
  )

  it('a device that publishes away by itself is away by the device rule, not idle', () => {
    const presence = at(device('laptop', { availability: 'away' }, { idle: true }), t0)
    expect(presence.provenance.availability.rule).toBe('device')
  })

  it('an active device beats an idle one', () => {
    const presence = aggregateAt([
      device('laptop', available, { lastActiveAt: t0 - hour }),
      device('mobile', available, { lastActiveAt: t0 }),
    ])
    expect(presence.availability).toBe('available')
    expect(presence.provenance.availability.sourceId).toBe('mobile')
  })

  it('only devices go idle', () => {
    const old = t0 - 10 * hour
    expect(isIdle(phone({}, { publishedAt: old, idle: true }), { now: t0, idleAfterMs })).toBe(
      false,
    )
    expect(isIdle(integration({}, { publishedAt: old }), { now: t0, idleAfterMs })).toBe(false)
    expect(aggregateAt([integration({}, { publishedAt: old })]).availability).toBe('available')
  })
})

describe('expiry', () => {
  it('a publication with expiresAt equal to now is dead', () => {
    expect(isLive(device('laptop', {}, { expiresAt: t0 }), t0)).toBe(false)
    expect(aggregateAt([device('laptop', {}, { expiresAt: t0 })]).availability).toBe('offline')
  })

  it('a publication expiring one millisecond after now is live', () => {
    expect(isLive(device('laptop', {}, { expiresAt: t0 + 1 }), t0)).toBe(true)
    expect(aggregateAt([device('laptop', {}, { expiresAt: t0 + 1 })]).availability).toBe(
      'available',
    )
  })

  it('a connection-bound publication is live at any moment, and tells no until', () => {
    const farFuture = t0 + 100 * 365 * 24 * hour
    const presence = aggregateAt(
      [device('laptop', { availability: 'busy' }, { expiresAt: connectionBound })],
      farFuture,
    )
    expect(presence.availability).toBe('busy')
    expect(presence.provenance.availability).toEqual({
      rule: 'device',
      sourceId: 'laptop',
      sourceKind: 'device',
    })
  })
})
