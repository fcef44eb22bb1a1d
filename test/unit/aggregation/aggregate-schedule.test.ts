// What schedules and work locations do to the aggregate: scheduled do-not-disturb sits below a manual
// choice and beside automatic activities; work location is manual, then automatic, then scheduled; unit tests.
import { describe, expect, it } from 'vitest'
import {
  aggregateAt,
  calendar,
  device,
  hour,
  integration,
  manual,
  phone,
  scheduled,
  t0,
} from '../../support/publications.js'

describe('scheduled availability', () => {
  it('a scheduled do-not-disturb beats what the devices say', () => {
    const presence = aggregateAt([device(), scheduled({ availability: 'do-not-disturb' })])
    expect(presence.availability).toBe('do-not-disturb')
    expect(presence.provenance.availability).toEqual({
      rule: 'scheduled',
      sourceId: 'schedule:evenings',
      sourceKind: 'schedule',
      until: t0 + hour,
    })
  })

  it('a manual choice beats a scheduled do-not-disturb', () => {
    const presence = aggregateAt([
      device(),
      scheduled({ availability: 'do-not-disturb' }),
      manual({ availability: 'available' }),
    ])
    expect(presence.availability).toBe('available')
    expect(presence.provenance.availability.rule).toBe('manual')
  })

  it('a schedule alone does not make someone online', () => {
    expect(aggregateAt([scheduled({ availability: 'do-not-disturb' })]).availability).toBe(
      'offline',
    )
  })

  it('the stronger of a call and a schedule wins: do-not-disturb over busy', () => {
    const presence = aggregateAt([
      device(),
      phone({ activities: [{ kind: 'in-a-call' }] }),
      scheduled({ availability: 'do-not-disturb' }),
    ])
    expect(presence.availability).toBe('do-not-disturb')
  })

  it('at equal strength the automatic source decides, not the schedule', () => {
    const presence = aggregateAt([
      device(),
      phone({ activities: [{ kind: 'in-a-call' }] }),
      scheduled({ availability: 'busy' }),
    ])
    expect(presence.availability).toBe('busy')
    expect(presence.provenance.availability).toMatchObject({ rule: 'activity', sourceId: 'pbx' })
  })

  it('a scheduled invisible or offline is ignored (only the person may hide)', () => {
    expect(aggregateAt([device(), scheduled({ availability: 'invisible' })]).availability).toBe(
      'available',
    )
  })
})

describe('work location', () => {
  const office = { mode: 'office', site: 'Stockholm HQ' } as const

  it('a manual work location beats an automatic one, which beats a scheduled one', () => {
    const all = [
      device('laptop', { availability: 'available', workLocation: { mode: 'remote' } }),
      scheduled({ workLocation: office }, { publishedAt: t0 + 1 }),
      manual({ workLocation: { mode: 'travelling' } }, { publishedAt: t0 - hour }),
    ]
    expect(aggregateAt(all).workLocation).toEqual({ mode: 'travelling' })
    expect(aggregateAt(all).provenance.workLocation).toBe('manual')
    expect(aggregateAt(all.slice(0, 2)).workLocation).toEqual({ mode: 'remote' })
    expect(aggregateAt([device(), all[1]!]).workLocation).toEqual(office)
  })

  it('an integration (a badge reader) counts as automatic', () => {
    const presence = aggregateAt([
      device(),
      integration({ workLocation: office }),
      scheduled({ workLocation: { mode: 'remote' } }),
    ])
    expect(presence.workLocation).toEqual(office)
  })

  it('nobody offline has a work location', () => {
    expect(aggregateAt([scheduled({ workLocation: office })]).workLocation).toBeUndefined()
    expect(aggregateAt([calendar({ workLocation: office })]).workLocation).toBeUndefined()
  })
})
