// The soft state of one presentity: applying, retracting and advancing publications, outcomes,
// sequence numbers, last seen and the next deadline; unit tests with fixed moments.
import { describe, expect, it } from 'vitest'
import {
  advance,
  applyPublication,
  connectionBound,
  nextDeadline,
  retractPublication,
} from '../../../src/core/aggregation/presentity.js'
import {
  aggregateAt,
  annAddress,
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

describe('emptyPresentity', () => {
  it('starts offline with sequence 0 and no publications', () => {
    const state = emptyAnn()
    expect(state).toEqual({
      address: annAddress,
      publications: [],
      seq: 0,
      presence: aggregateAt([]),
    })
    expect('lastSeen' in state).toBe(false)
  })

  it('carries a last seen it is given into the state and the presence', () => {
    const state = emptyAnn(t0, t0 - hour)
    expect(state.lastSeen).toBe(t0 - hour)
    expect(state.presence.lastSeen).toBe(t0 - hour)
  })
})

describe('applyPublication', () => {
  it('a first publication changes the presence and takes the next sequence number', () => {
    const step = applyPublication(emptyAnn(), device(), stepAt(t0, 7))
    expect(step.outcome).toBe('changed')
    expect(step.state.seq).toBe(7)
    expect(step.state.presence.availability).toBe('available')
    expect(step.state.publications).toEqual([device()])
  })

  it('keeps the publications sorted by source id', () => {
    const state = presentityWith([
      device('web'),
      device('laptop'),
      manual({ availability: 'busy' }),
    ])
    expect(state.publications.map((p) => p.source.id)).toEqual(['laptop', 'manual', 'web'])
  })

  it('replaces the publication of the same source', () => {
    const state = presentityWith([device('laptop'), device('laptop', { availability: 'busy' })])
    expect(state.publications).toEqual([device('laptop', { availability: 'busy' })])
    expect(state.presence.availability).toBe('busy')
  })

  it('applying the same publication twice changes nothing', () => {
    const first = applyPublication(emptyAnn(), device(), stepAt(t0, 1))
    const second = applyPublication(first.state, device(), stepAt(t0 + minute, 2))
    expect(second.outcome).toBe('unchanged')
    expect(second.state).toBe(first.state)
    expect(second.state.seq).toBe(1)
  })

  it('a refresh that only extends the expiry is unchanged but keeps the new expiry', () => {
    const first = applyPublication(emptyAnn(), device(), stepAt(t0, 1))
    const refreshed = device('laptop', { availability: 'available' }, { expiresAt: t0 + 2 * hour })
    const second = applyPublication(first.state, refreshed, stepAt(t0, 2))
    expect(second.outcome).toBe('unchanged')
    expect(second.state.seq).toBe(1)
    expect(second.state.publications[0]?.expiresAt).toBe(t0 + 2 * hour)
    expect(second.state.presence.provenance.availability.until).toBe(t0 + 2 * hour)
  })

  it('a change of availability changes the presence and the sequence number', () => {
    const first = applyPublication(emptyAnn(), device(), stepAt(t0, 1))
    const second = applyPublication(
      first.state,
      device('laptop', { availability: 'busy' }),
      stepAt(t0, 2),
    )
    expect(second.outcome).toBe('changed')
    expect(second.state.seq).toBe(2)
  })

  it('a change that watchers cannot notice leaves the sequence number alone', () => {
    const first = applyPublication(emptyAnn(), device(), stepAt(t0, 1))
    const second = applyPublication(
      first.state,
      device('laptop', { availability: 'available' }, { version: 3 }),
      stepAt(t0, 2),
    )
    expect(second.outcome).toBe('unchanged')
    expect(second.state.seq).toBe(1)
    expect(second.state.publications[0]?.version).toBe(3)
  })

  describe('versions', () => {
    const v = (version: number | undefined, availability: 'available' | 'busy') =>
      device('laptop', { availability }, version === undefined ? {} : { version })

    it('a lower version than the stored one is stale and changes nothing', () => {
      const first = applyPublication(emptyAnn(), v(5, 'available'), stepAt(t0, 1))
      const second = applyPublication(first.state, v(4, 'busy'), stepAt(t0, 2))
      expect(second.outcome).toBe('stale')
      expect(second.state).toBe(first.state)
    })

    it('an equal or higher version is accepted', () => {
      const first = applyPublication(emptyAnn(), v(5, 'available'), stepAt(t0, 1))
      expect(applyPublication(first.state, v(5, 'busy'), stepAt(t0, 2)).outcome).toBe('changed')
      expect(applyPublication(first.state, v(6, 'busy'), stepAt(t0, 2)).outcome).toBe('changed')
    })

    it('without a version on either side nothing is stale', () => {
      const first = applyPublication(emptyAnn(), v(5, 'available'), stepAt(t0, 1))
      expect(applyPublication(first.state, v(undefined, 'busy'), stepAt(t0, 2)).outcome).toBe(
        'changed',
      )
      const unversioned = applyPublication(emptyAnn(), v(undefined, 'available'), stepAt(t0, 1))
      expect(applyPublication(unversioned.state, v(0, 'busy'), stepAt(t0, 2)).outcome).toBe(
        'changed',
      )
    })

    it('versions of different sources are not compared', () => {
      const first = applyPublication(emptyAnn(), v(5, 'available'), stepAt(t0, 1))
      const other = device('mobile', { availability: 'busy' }, { version: 1 })
      expect(applyPublication(first.state, other, stepAt(t0, 2)).outcome).toBe('changed')
    })
  })

  it('a publication that is already dead is not stored, and ends the live one of its source', () => {
    const live = applyPublication(emptyAnn(), device(), stepAt(t0, 1))
    const dead = device('laptop', { availability: 'busy' }, { expiresAt: t0 + minute })
    const step = applyPublication(live.state, dead, stepAt(t0 + minute, 2))
    expect(step.state.publications).toEqual([])
    expect(step.state.presence.availability).toBe('offline')
  })

  it('re-publishing with the same lastActiveAt (a reconnect or heartbeat) does not make the person active', () => {
    const first = applyPublication(emptyAnn(), device(), stepAt(t0, 1))
    const idle = advance(first.state, stepAt(t0 + idleAfterMs, 2))
    expect(idle.state.presence.availability).toBe('away')
    const heartbeat = device(
      'laptop',
      { availability: 'available' },
      {
        publishedAt: t0 + idleAfterMs + minute,
        expiresAt: t0 + 2 * hour,
        lastActiveAt: t0,
      },
    )
    const after = applyPublication(idle.state, heartbeat, stepAt(t0 + idleAfterMs + minute, 3))
    expect(after.outcome).toBe('unchanged')
    expect(after.state.presence.availability).toBe('away')
    expect(after.state.seq).toBe(2)
  })

  it('real use of the device (a newer lastActiveAt) makes the person available again', () => {
    const idle = advance(presentityWith([device()]), stepAt(t0 + idleAfterMs, 2))
    const used = device(
      'laptop',
      { availability: 'available' },
      { lastActiveAt: t0 + idleAfterMs + 1 },
    )
    const after = applyPublication(idle.state, used, stepAt(t0 + idleAfterMs + 1, 3))
    expect(after.outcome).toBe('changed')
    expect(after.state.presence.availability).toBe('available')
  })
})

describe('last seen', () => {
  it('is set to now when a visible presentity goes offline', () => {
    const state = presentityWith([device()])
    const step = retractPublication(state, 'laptop', stepAt(t0 + minute, 2))
    expect(step.state.lastSeen).toBe(t0 + minute)
    expect(step.state.presence).toMatchObject({ availability: 'offline', lastSeen: t0 + minute })
  })

  it('is set to the moment of the step when a publication expires', () => {
    const state = presentityWith([device('laptop', {}, { expiresAt: t0 + hour })])
    const step = advance(state, stepAt(t0 + hour, 2))
    expect(step.outcome).toBe('changed')
    expect(step.state.presence).toMatchObject({ availability: 'offline', lastSeen: t0 + hour })
  })

  it('is frozen at the moment the person went invisible', () => {
    const online = presentityWith([device()])
    const hidden = applyPublication(
      online,
      manual({ availability: 'invisible' }),
      stepAt(t0 + minute, 2),
    )
    expect(hidden.state.presence).toMatchObject({
      availability: 'invisible',
      lastSeen: t0 + minute,
    })
    const gone = retractPublication(hidden.state, 'laptop', stepAt(t0 + 30 * minute, 3))
    expect(gone.state.presence).toMatchObject({ availability: 'offline', lastSeen: t0 + minute })
    expect(gone.state.lastSeen).toBe(t0 + minute)
  })

  it('a manual offline freezes it too', () => {
    const online = presentityWith([device()])
    const hidden = applyPublication(
      online,
      manual({ availability: 'offline' }),
      stepAt(t0 + minute, 2),
    )
    expect(hidden.state.presence).toMatchObject({
      availability: 'invisible',
      lastSeen: t0 + minute,
    })
  })

  it('is not touched when someone who was never visible comes online invisible', () => {
    const hiddenChoice = presentityWith([manual({ availability: 'invisible' })])
    const step = applyPublication(hiddenChoice, device(), stepAt(t0 + minute, 2))
    expect(step.state.presence.availability).toBe('invisible')
    expect(step.state.lastSeen).toBeUndefined()
    expect(step.state.presence.lastSeen).toBeUndefined()
  })

  it('is kept in the state but not in the presence while visible again', () => {
    const gone = retractPublication(presentityWith([device()]), 'laptop', stepAt(t0 + minute, 2))
    const back = applyPublication(gone.state, device(), stepAt(t0 + 2 * minute, 3))
    expect(back.state.lastSeen).toBe(t0 + minute)
    expect(back.state.presence.lastSeen).toBeUndefined()
  })
})

describe('retractPublication', () => {
  it('retracting an unknown source changes nothing', () => {
    const state = presentityWith([device()])
    const step = retractPublication(state, 'mobile', stepAt(t0, 2))
    expect(step).toEqual({ state, outcome: 'unchanged' })
    expect(step.state).toBe(state)
  })

  it('retracting a source that does not decide anything visible is unchanged', () => {
    const state = presentityWith([device(), calendar({})])
    const step = retractPublication(state, 'calendar', stepAt(t0, 3))
    expect(step.outcome).toBe('unchanged')
    expect(step.state.seq).toBe(state.seq)
    expect(step.state.publications.map((p) => p.source.id)).toEqual(['laptop'])
  })
})

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
