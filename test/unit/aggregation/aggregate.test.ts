// Aggregation of live publications into one availability, in the order of DESIGN.md: manual choice,
// activity-driven state, then devices; who is online, and invisibility; unit tests.
import { describe, expect, it } from 'vitest'
import {
  activityAvailability,
  aggregate,
  withOptional,
} from '../../../src/core/aggregation/aggregate.js'
import { connectionBound } from '../../../src/core/aggregation/presentity.js'
import type { ActivityKind, SourceAvailability } from '../../../src/core/model/presence-model.js'
import {
  aggregateAt,
  annAddress,
  calendar,
  conference,
  device,
  hour,
  idleAfterMs,
  integration,
  manual,
  manualNote,
  phone,
  publication,
  t0,
} from '../../support/publications.js'

const activityDriver = (kind: 'phone' | 'conference' | 'calendar' | 'integration') =>
  ({ phone, conference, calendar, integration })[kind]

describe('who is online', () => {
  it('with no publication at all the presentity is offline, reachable by email and sms only', () => {
    expect(aggregateAt([])).toEqual({
      address: annAddress,
      availability: 'offline',
      activities: [],
      devices: [],
      reachable: ['sms', 'email'],
      provenance: { availability: { rule: 'no-live-source' }, activities: [] },
    })
  })

  it('a manual choice alone does not make someone online', () => {
    const presence = aggregateAt([manual({ availability: 'available' })])
    expect(presence.availability).toBe('offline')
    expect(presence.provenance.availability).toEqual({ rule: 'no-live-source' })
  })

  it('a calendar alone does not make someone online, and its activities are not shown', () => {
    const presence = aggregateAt([calendar({ activities: [{ kind: 'in-a-meeting' }] })])
    expect(presence.availability).toBe('offline')
    expect(presence.activities).toEqual([])
  })

  it('a manual choice together with a calendar still means offline', () => {
    const presence = aggregateAt([
      manual({ availability: 'busy' }),
      calendar({ activities: [{ kind: 'presenting' }] }),
    ])
    expect(presence.availability).toBe('offline')
  })

  it.each(['device', 'phone', 'conference', 'integration'] as const)(
    'a live %s source makes someone online',
    (kind) => {
      const presence = aggregateAt([publication({ id: 'x', kind }, {})])
      expect(presence.availability).not.toBe('offline')
    },
  )
})

describe('the manual choice is strongest', () => {
  it('a manual choice that has not expired beats an activity-driven state', () => {
    const presence = aggregateAt([
      manual({ availability: 'available' }, { expiresAt: t0 + hour }),
      phone({ activities: [{ kind: 'in-a-call' }] }),
      device('laptop', { availability: 'do-not-disturb' }),
    ])
    expect(presence.availability).toBe('available')
    expect(presence.provenance.availability).toEqual({
      rule: 'manual',
      sourceId: 'manual',
      sourceKind: 'manual',
      until: t0 + hour,
    })
  })

  it('a manual choice beats the devices, even a weaker one', () => {
    const presence = aggregateAt([
      manual({ availability: 'be-right-back' }),
      device('laptop', { availability: 'do-not-disturb' }),
    ])
    expect(presence.availability).toBe('be-right-back')
  })

  it('a manual choice that expires exactly now is dead', () => {
    const presence = aggregateAt([
      manual({ availability: 'do-not-disturb' }, { expiresAt: t0 }),
      device('laptop', { availability: 'available' }),
    ])
    expect(presence.availability).toBe('available')
    expect(presence.provenance.availability.rule).toBe('device')
  })

  it('a manual choice that expires one millisecond from now still counts', () => {
    const presence = aggregateAt([
      manual({ availability: 'do-not-disturb' }, { expiresAt: t0 + 1 }),
      device('laptop', { availability: 'available' }),
    ])
    expect(presence.availability).toBe('do-not-disturb')
  })

  it('a manual source without an availability (a note) does not decide availability', () => {
    const presence = aggregateAt([
      manualNote('back at 3'),
      device('laptop', { availability: 'busy' }),
    ])
    expect(presence.availability).toBe('busy')
    expect(presence.provenance.availability.rule).toBe('device')
  })

  it('a manual choice for a connection-bound publication has no until', () => {
    const presence = aggregateAt([
      manual({ availability: 'busy' }, { expiresAt: connectionBound }),
      device(),
    ])
    expect(presence.provenance.availability).toEqual({
      rule: 'manual',
      sourceId: 'manual',
      sourceKind: 'manual',
    })
  })
})

describe('invisible', () => {
  it.each(['invisible', 'offline'] as const)(
    'a manual %s while online gives the aggregate invisible',
    (chosen) => {
      const presence = aggregateAt([manual({ availability: chosen }), device()])
      expect(presence.availability).toBe('invisible')
      expect(presence.provenance.availability).toMatchObject({
        rule: 'invisible',
        sourceId: 'manual',
      })
    },
  )

  it('a manual invisible without any live source is plain offline', () => {
    const presence = aggregateAt([manual({ availability: 'invisible' })])
    expect(presence.availability).toBe('offline')
    expect(presence.provenance.availability.rule).toBe('no-live-source')
  })

  it('keeps the last seen it is given while hidden, and drops it while visible', () => {
    const seen = t0 - hour
    expect(aggregateAt([manual({ availability: 'invisible' }), device()], t0, seen).lastSeen).toBe(
      seen,
    )
    expect(aggregateAt([], t0, seen).lastSeen).toBe(seen)
    expect(aggregateAt([device()], t0, seen).lastSeen).toBeUndefined()
  })
})

describe('activity-driven state', () => {
  const table: readonly [ActivityKind, SourceAvailability][] = [
    ['presenting', 'do-not-disturb'],
    ['in-a-call', 'busy'],
    ['in-a-meeting', 'busy'],
    ['in-a-conference', 'busy'],
    ['out-of-office', 'away'],
  ]

  describe.each(['phone', 'conference', 'calendar', 'integration'] as const)(
    'from a %s source',
    (kind) => {
      it.each(table)('%s means %s, even over an available device', (activity, expected) => {
        const source = activityDriver(kind)(
          { activities: [{ kind: activity, until: t0 + 30 * 60_000 }] },
          { expiresAt: t0 + hour },
        )
        const presence = aggregateAt([source, device('laptop', { availability: 'available' })])
        expect(presence.availability).toBe(expected)
        // Until the activity's own known end, not the publication's expiry (a safety net).
        expect(presence.provenance.availability).toEqual({
          rule: 'activity',
          sourceId: source.source.id,
          sourceKind: kind,
          activity,
          until: t0 + 30 * 60_000,
        })
      })
      it('without a known end, a call has no `until`, whatever its safety expiry', () => {
        const source = activityDriver(kind)(
          { activities: [{ kind: 'in-a-call' }] },
          { expiresAt: t0 + hour },
        )
        const presence = aggregateAt([source, device()])
        expect(presence.provenance.availability).not.toHaveProperty('until')
      })
    },
  )

  it('maps exactly the activities of DESIGN.md, plus on-vacation as away', () => {
    expect(activityAvailability).toEqual({
      presenting: 'do-not-disturb',
      'in-a-call': 'busy',
      'in-a-conference': 'busy',
      'in-a-meeting': 'busy',
      'out-of-office': 'away',
      'on-vacation': 'away',
    })
  })

  it('beats a stronger device availability', () => {
    const presence = aggregateAt([
      calendar({ activities: [{ kind: 'out-of-office' }] }),
      device('laptop', { availability: 'do-not-disturb' }),
    ])
    expect(presence.availability).toBe('away')
  })

  it('takes the strongest activity across sources', () => {
    const presence = aggregateAt([
      calendar({ activities: [{ kind: 'in-a-meeting' }, { kind: 'out-of-office' }] }),
      conference({ activities: [{ kind: 'presenting' }] }),
      device(),
    ])
    expect(presence.availability).toBe('do-not-disturb')
    expect(presence.provenance.availability).toMatchObject({
      sourceId: 'zoom',
      activity: 'presenting',
    })
  })

  it('breaks a tie between equally strong activities by source id', () => {
    const presence = aggregateAt([
      phone({ activities: [{ kind: 'in-a-call' }] }),
      calendar({ activities: [{ kind: 'in-a-meeting' }] }),
      device(),
    ])
    expect(presence.provenance.availability).toMatchObject({
      sourceId: 'calendar',
      activity: 'in-a-meeting',
    })
  })

  it('activities reported by a device do not drive availability', () => {
    const presence = aggregateAt([
      device('laptop', { availability: 'available', activities: [{ kind: 'presenting' }] }),
    ])
    expect(presence.availability).toBe('available')
    expect(presence.activities).toEqual([{ kind: 'presenting' }])
  })

  it('activities of a manual source do not drive availability', () => {
    const presence = aggregateAt([
      publication({ id: 'manual', kind: 'manual' }, { activities: [{ kind: 'in-a-call' }] }),
      device(),
    ])
    expect(presence.availability).toBe('available')
  })

  it.each(['focusing', 'commuting', 'off-work', 'custom'] as const)(
    '%s does not decide availability',
    (activity) => {
      const presence = aggregateAt([
        calendar({ activities: [{ kind: activity }] }),
        device('laptop', { availability: 'busy' }),
      ])
      expect(presence.availability).toBe('busy')
      expect(presence.provenance.availability.rule).toBe('device')
    },
  )

  it('an expired activity source no longer decides', () => {
    const presence = aggregateAt([
      phone({ activities: [{ kind: 'in-a-call' }] }, { expiresAt: t0 }),
      device(),
    ])
    expect(presence.availability).toBe('available')
  })
})

describe('across devices', () => {
  const order: readonly SourceAvailability[] = [
    'do-not-disturb',
    'busy',
    'available',
    'be-right-back',
    'away',
  ]
  const pairs = order.flatMap((stronger, i) =>
    order.slice(i + 1).map((weaker) => [stronger, weaker] as const),
  )

  it.each(pairs)('%s beats %s, whichever device publishes it', (stronger, weaker) => {
    for (const [a, b] of [
      ['aaa', 'zzz'],
      ['zzz', 'aaa'],
    ] as const) {
      const presence = aggregateAt([
        device(a, { availability: weaker }),
        device(b, { availability: stronger }),
      ])
      expect(presence.availability).toBe(stronger)
      expect(presence.provenance.availability).toMatchObject({ rule: 'device', sourceId: b })
    }
  })

  it('a device publishing no availability counts as available', () => {
    expect(aggregateAt([device('laptop', {})]).availability).toBe('available')
  })

  it('breaks a tie between equal devices by source id', () => {
    const presence = aggregateAt([
      device('mobile', { availability: 'busy' }),
      device('laptop', { availability: 'busy' }),
    ])
    expect(presence.provenance.availability.sourceId).toBe('laptop')
  })

  it('tells until when the deciding device lasts', () => {
    const presence = aggregateAt([device('laptop', {}, { expiresAt: t0 + 42 })])
    expect(presence.provenance.availability.until).toBe(t0 + 42)
  })

  it('a non-device live source without an availability counts as available', () => {
    const presence = aggregateAt([phone({}), device('laptop', { availability: 'away' })])
    expect(presence.availability).toBe('available')
    expect(presence.provenance.availability).toMatchObject({
      rule: 'device',
      sourceId: 'pbx',
      sourceKind: 'phone',
    })
  })
})

describe('aggregate', () => {
  it('gives the same presence whatever the order of the publications', () => {
    const publications = [
      manualNote('lunch'),
      device('laptop', { availability: 'busy', activities: [{ kind: 'focusing' }] }),
      device(
        'mobile',
        { availability: 'available', location: { city: 'Oslo' } },
        { publishedAt: t0 - 5 },
      ),
      calendar({ activities: [{ kind: 'in-a-meeting' }] }),
    ]
    expect(aggregateAt([...publications].reverse())).toEqual(aggregateAt(publications))
  })

  it('uses the address it is given', () => {
    expect(aggregate('bob@acme.example', [], { now: t0, idleAfterMs }).address).toBe(
      'bob@acme.example',
    )
  })
})

describe('withOptional', () => {
  it('adds the defined values only, so absent fields stay absent', () => {
    const result = withOptional<{ a: number; b?: number; c?: string }>(
      { a: 1 },
      { b: undefined, c: 'x' },
    )
    expect(result).toEqual({ a: 1, c: 'x' })
    expect(Object.keys(result)).toEqual(['a', 'c'])
  })
})
