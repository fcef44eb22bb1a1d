// A presentity over time: advance drops what expired and turns idle devices away at exact moments,
// and nextDeadline tells the earliest such moment; unit tests with fixed moments.
import { describe, expect, it } from 'vitest'
import { advance, connectionBound, nextDeadline } from '../../../src/core/aggregation/presentity.js'
import {
  calendar,
  device,
  emptyAnn,
  hour,
  idleAfterMs,
  manual,
  minute,
  presentityWith,
  publication,
  stepAt,
  t0,
} from '../../support/publications.js'

describe('advance', () => {
  it('drops a publication at exactly its expiry, not a millisecond before', () => {
    const state = presentityWith([
      device('laptop', { availability: 'busy' }, { expiresAt: t0 + 10 * minute }),
      device(
        'mobile',
        { availability: 'available' },
        { lastActiveAt: t0 + 10 * minute, expiresAt: connectionBound },
      ),
    ])
    const before = advance(state, stepAt(t0 + 10 * minute - 1, 5))
    expect(before.state.presence.availability).toBe('busy')
    const at = advance(state, stepAt(t0 + 10 * minute, 5))
    expect(at.outcome).toBe('changed')
    expect(at.state.seq).toBe(5)
    expect(at.state.publications.map((p) => p.source.id)).toEqual(['mobile'])
    expect(at.state.presence.availability).toBe('available')
  })

  it('drops a note at exactly its expiry', () => {
    const state = presentityWith([
      device('laptop', { note: { text: 'lunch', expiresAt: t0 + minute } }),
    ])
    expect(advance(state, stepAt(t0 + minute - 1, 2)).outcome).toBe('unchanged')
    const step = advance(state, stepAt(t0 + minute, 2))
    expect(step.outcome).toBe('changed')
    expect(step.state.presence.note).toBeUndefined()
  })

  it('turns a device away at exactly idleAfterMs after its last activity', () => {
    const state = presentityWith([device()])
    expect(advance(state, stepAt(t0 + idleAfterMs - 1, 2)).outcome).toBe('unchanged')
    const step = advance(state, stepAt(t0 + idleAfterMs, 2))
    expect(step.outcome).toBe('changed')
    expect(step.state.presence.provenance.availability.rule).toBe('idle')
  })

  it('with nothing due it is unchanged and keeps the sequence number', () => {
    const state = presentityWith([device('laptop', { availability: 'busy' })])
    const step = advance(state, stepAt(t0 + minute, 99))
    expect(step.outcome).toBe('unchanged')
    expect(step.state.seq).toBe(state.seq)
  })

  it('never ends a connection-bound publication by itself', () => {
    const state = presentityWith([
      device('laptop', { availability: 'busy' }, { expiresAt: connectionBound }),
    ])
    const step = advance(state, stepAt(t0 + 100 * 365 * 24 * hour, 2))
    expect(step.outcome).toBe('unchanged')
    expect(step.state.publications).toHaveLength(1)
    expect(step.state.presence.availability).toBe('busy')
  })
})

describe('nextDeadline', () => {
  const ctx = { now: t0, idleAfterMs }

  it('is undefined when nothing can change by itself', () => {
    expect(nextDeadline(emptyAnn(), ctx)).toBeUndefined()
    const bound = presentityWith([manual({ availability: 'busy' }, { expiresAt: connectionBound })])
    expect(nextDeadline(bound, ctx)).toBeUndefined()
  })

  it('is the expiry of a publication', () => {
    const state = presentityWith([calendar({}, { expiresAt: t0 + 3 * minute })])
    expect(nextDeadline(state, ctx)).toBe(t0 + 3 * minute)
  })

  it('is the expiry of a note when that comes first', () => {
    const state = presentityWith([
      calendar({ note: { text: 'x', expiresAt: t0 + minute } }, { expiresAt: t0 + hour }),
    ])
    expect(nextDeadline(state, ctx)).toBe(t0 + minute)
  })

  it('is the moment a device turns idle when that comes first', () => {
    const state = presentityWith([
      device('laptop', {}, { lastActiveAt: t0 - minute, expiresAt: t0 + hour }),
    ])
    expect(nextDeadline(state, ctx)).toBe(t0 - minute + idleAfterMs)
  })

  it('judges idleness by the publication time when the device tells no last activity', () => {
    const p = { ...device('laptop', {}, { publishedAt: t0 - 2 * minute }), lastActiveAt: undefined }
    expect(nextDeadline(presentityWith([p]), ctx)).toBe(t0 - 2 * minute + idleAfterMs)
  })

  it('is the earliest of all moments across sources', () => {
    const state = presentityWith([
      device('laptop', {}, { expiresAt: connectionBound, lastActiveAt: t0 }),
      device(
        'mobile',
        { note: { text: 'x', expiresAt: t0 + 2 * minute } },
        { idle: true, expiresAt: t0 + hour },
      ),
      publication({ id: 'pbx', kind: 'phone' }, {}, { expiresAt: t0 + 4 * minute }),
    ])
    expect(nextDeadline(state, ctx)).toBe(t0 + 2 * minute)
  })

  it('ignores connection-bound expiry but not the idle moment of that device', () => {
    const state = presentityWith([device('laptop', {}, { expiresAt: connectionBound })])
    expect(nextDeadline(state, ctx)).toBe(t0 + idleAfterMs)
  })

  it('has no idle moment for an explicitly idle device or a source that is not a device', () => {
    const state = presentityWith([
      device('laptop', {}, { idle: true, expiresAt: connectionBound }),
      publication({ id: 'pbx', kind: 'phone' }, {}, { expiresAt: connectionBound }),
    ])
    expect(nextDeadline(state, ctx)).toBeUndefined()
  })

  it('is strictly after now: moments already past or due now are left to advance', () => {
    const state = presentityWith([
      device('laptop', {}, { lastActiveAt: t0 - idleAfterMs, expiresAt: t0 + hour }),
    ])
    expect(nextDeadline(state, ctx)).toBe(t0 + hour)
  })

  it('advancing to the deadline changes the presence', () => {
    const state = presentityWith([
      device('laptop', { note: { text: 'x', expiresAt: t0 + minute } }),
    ])
    const deadline = nextDeadline(state, ctx)!
    expect(advance(state, stepAt(deadline - 1, 2)).outcome).toBe('unchanged')
    expect(advance(state, stepAt(deadline, 2)).outcome).toBe('changed')
  })
})
