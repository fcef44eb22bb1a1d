// The soft state of one presentity: applying and retracting publications, outcomes, versions,
// sequence numbers and last seen; unit tests with fixed moments.
import { describe, expect, it } from 'vitest'
import {
  advance,
  applyPublication,
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

  // BUG: applyPublication compares versions with the stored publication even when that one is dead
  // (expiresAt <= now, not yet removed by `advance`); a client whose counter restarted is refused
  // as 'stale' until the next advance, though a dead publication should count for nothing.
  it('a dead stored publication does not make a new one stale', () => {
    const stored = presentityWith([
      device('laptop', { availability: 'busy' }, { version: 9, expiresAt: t0 + minute }),
    ])
    const restarted = device(
      'laptop',
      { availability: 'available' },
      {
        version: 1,
        publishedAt: t0 + minute,
        expiresAt: t0 + hour,
      },
    )
    const step = applyPublication(stored, restarted, stepAt(t0 + minute, 2))
    expect(step.outcome).toBe('changed')
    expect(step.state.presence.availability).toBe('available')
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

  it('re-publishing the stored publication again (a reconnect: same state, expiry and activity) keeps the state as it is', () => {
    const bound = { expiresAt: t0 + 2 * hour, lastActiveAt: t0 }
    const first = applyPublication(emptyAnn(), device('laptop', {}, bound), stepAt(t0, 1))
    const again = device('laptop', {}, { ...bound, publishedAt: t0 + minute })
    const after = applyPublication(first.state, again, stepAt(t0 + minute, 2))
    expect(after.outcome).toBe('unchanged')
    // Nothing was aggregated again: the stored publication (with its first time) and the presence.
    expect(after.state).toBe(first.state)
    expect(after.state.publications[0]!.publishedAt).toBe(t0)
  })

  // BUG: the note, location, mood, place and time zone come from the "newest" publication by
  // publishedAt, which a heartbeat or reconnect moves; so an automatic re-publication of an older
  // device swaps what watchers see and notifies them ('changed'), against DESIGN.md ("nothing that a
  // client does automatically counts as the person being active").
  it('a heartbeat does not change whose note, location or time zone is shown', () => {
    const laptop = device(
      'laptop',
      { note: { text: 'from the laptop' }, location: { city: 'Oslo' }, timeZone: 'Europe/Oslo' },
      { publishedAt: t0 - minute, lastActiveAt: t0 - minute },
    )
    const mobile = device('mobile', {
      note: { text: 'from the mobile' },
      location: { city: 'Lund' },
    })
    const state = presentityWith([laptop, mobile])
    expect(state.presence.note?.text).toBe('from the mobile')
    const heartbeat = { ...laptop, publishedAt: t0 + minute, expiresAt: t0 + 2 * hour }
    const step = applyPublication(state, heartbeat, stepAt(t0 + minute, 3))
    expect(step.state.presence.note?.text).toBe('from the mobile')
    expect(step.state.presence.location).toEqual({ city: 'Lund' })
    expect(step.outcome).toBe('unchanged')
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
