// Properties of aggregation (fast-check): the order of sources does not matter, the availability
// follows the order of DESIGN.md, dead publications never count, and what is offline shows nothing.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { activityAvailability } from '../../src/core/aggregation/aggregate.js'
import type { Presence } from '../../src/core/aggregation/presence.js'
import {
  contactKinds,
  type AggregateAvailability,
  type ContactKind,
  type Publication,
  type SourceAvailability,
  asynchronousContactKinds,
} from '../../src/core/model/presence-model.js'
import { publicationArb, publicationsArb } from '../support/arbitraries.js'
import { aggregateAt, idleAfterMs, t0 } from '../support/publications.js'

const runs = { numRuns: 1000 }
const strength: readonly SourceAvailability[] = [
  'do-not-disturb',
  'busy',
  'available',
  'be-right-back',
  'away',
]
const strongest = (values: readonly SourceAvailability[]): SourceAvailability | undefined =>
  strength.find((candidate) => values.includes(candidate))

const makesOnline = (p: Publication) => !['manual', 'calendar', 'schedule'].includes(p.source.kind)
/** A schedule (scheduled do-not-disturb) sets an availability of its own, below a manual choice. */
const scheduled = (p: Publication): SourceAvailability[] => {
  const own = p.state.availability
  return p.source.kind === 'schedule' &&
    own !== undefined &&
    own !== 'invisible' &&
    own !== 'offline'
    ? [own]
    : []
}
const drivesActivity = (p: Publication) =>
  ['phone', 'conference', 'calendar', 'integration'].includes(p.source.kind)

/** DESIGN.md, "Availability and aggregation", written out independently of the implementation. */
const expectedAvailability = (
  publications: readonly Publication[],
  now: number,
): AggregateAvailability => {
  const live = publications.filter((p) => p.expiresAt > now)
  if (!live.some(makesOnline)) return 'offline'
  const chosen = live.find((p) => p.source.kind === 'manual' && p.state.availability !== undefined)
  const manual = chosen?.state.availability
  if (manual !== undefined)
    return manual === 'invisible' || manual === 'offline' ? 'invisible' : manual
  const driven = live
    .filter(drivesActivity)
    .flatMap((p) => (p.state.activities ?? []).map((a) => activityAvailability[a.kind]))
    .filter((a): a is SourceAvailability => a !== undefined)
  const byActivity = strongest([...driven, ...live.flatMap(scheduled)])
  if (byActivity) return byActivity
  const devices = live.filter(makesOnline).map((p): SourceAvailability => {
    const own = p.state.availability
    const published =
      own === undefined || own === 'offline' || own === 'invisible' ? 'available' : own
    const idle =
      p.source.kind === 'device' &&
      (p.idle === true || now - (p.lastActiveAt ?? p.publishedAt) >= idleAfterMs)
    return idle && (published === 'available' || published === 'be-right-back') ? 'away' : published
  })
  return strongest(devices)!
}

/** Publications and the same ones in another order. */
const shuffledPair = publicationsArb(t0, 8).chain((publications) =>
  fc.tuple(
    fc.constant(publications),
    fc.shuffledSubarray(publications, {
      minLength: publications.length,
      maxLength: publications.length,
    }),
  ),
)

const liveCapabilities = (publications: readonly Publication[], now: number): Set<ContactKind> =>
  new Set(
    publications
      .filter((p) => p.expiresAt > now && makesOnline(p))
      .flatMap((p) => p.state.device?.capabilities ?? []),
  )

const isHidden = (presence: Presence) =>
  presence.availability === 'offline' || presence.availability === 'invisible'

describe('aggregation properties', () => {
  it('the order of publications does not matter', () => {
    fc.assert(
      fc.property(shuffledPair, fc.integer({ min: t0 - 1000, max: t0 + 1000 }), ([a, b], now) => {
        expect(aggregateAt(b, now)).toStrictEqual(aggregateAt(a, now))
      }),
      runs,
    )
  })

  it('the availability follows the aggregation order of DESIGN.md', () => {
    fc.assert(
      fc.property(publicationsArb(t0, 8), (publications) => {
        expect(aggregateAt(publications).availability).toBe(expectedAvailability(publications, t0))
      }),
      runs,
    )
  })

  it('a dead publication (expiresAt <= now) never counts', () => {
    const withDead = fc
      .uniqueArray(publicationArb(t0), { selector: (p) => p.source.id, minLength: 1, maxLength: 8 })
      .chain((all) =>
        fc.tuple(
          fc.constant(all.slice(0, -1)),
          fc
            .integer({ min: 0, max: 10 * idleAfterMs })
            .map((ago) => ({ ...all.at(-1)!, expiresAt: t0 - ago })),
        ),
      )
    fc.assert(
      fc.property(withDead, ([publications, dead]) => {
        expect(aggregateAt([...publications, dead])).toStrictEqual(aggregateAt(publications))
      }),
      runs,
    )
  })

  it('someone offline shows no activity, device, location, mood or place, and only email', () => {
    fc.assert(
      fc.property(publicationsArb(t0, 8), (publications) => {
        const presence = aggregateAt(publications)
        fc.pre(presence.availability === 'offline')
        expect(presence.activities).toEqual([])
        expect(presence.devices).toEqual([])
        expect(presence.reachable).toEqual([...asynchronousContactKinds])
        expect(presence.location).toBeUndefined()
        expect(presence.mood).toBeUndefined()
        expect(presence.place).toBeUndefined()
        expect(presence.provenance.availability).toEqual({ rule: 'no-live-source' })
      }),
      { numRuns: 300 },
    )
  })

  it('reachable kinds are the asynchronous ones plus what live online sources can take, in vocabulary order', () => {
    fc.assert(
      fc.property(publicationsArb(t0, 8), (publications) => {
        const presence = aggregateAt(publications)
        const expected =
          presence.availability === 'offline'
            ? new Set<ContactKind>()
            : liveCapabilities(publications, t0)
        for (const kind of asynchronousContactKinds) expected.add(kind)
        expect(presence.reachable).toEqual(contactKinds.filter((kind) => expected.has(kind)))
      }),
      runs,
    )
  })

  it('a note shown is live and comes from a live source, a manual one while hidden', () => {
    fc.assert(
      fc.property(publicationsArb(t0, 8), (publications) => {
        const presence = aggregateAt(publications)
        if (presence.note === undefined) return
        expect(presence.note.expiresAt ?? Infinity).toBeGreaterThan(t0)
        const source = publications.find((p) => p.source.id === presence.provenance.note)!
        expect(source.expiresAt).toBeGreaterThan(t0)
        expect(source.state.note).toEqual(presence.note)
        if (isHidden(presence)) expect(source.source.kind).toBe('manual')
      }),
      runs,
    )
  })

  it('provenance names a live source for availability and for each activity', () => {
    fc.assert(
      fc.property(publicationsArb(t0, 8), (publications) => {
        const presence = aggregateAt(publications)
        const live = new Map(
          publications.filter((p) => p.expiresAt > t0).map((p) => [p.source.id, p]),
        )
        const decided = presence.provenance.availability
        if (decided.sourceId !== undefined)
          expect(live.get(decided.sourceId)?.source.kind).toBe(decided.sourceKind)
        expect(presence.provenance.activities.map((a) => a.activity)).toEqual(presence.activities)
        for (const { activity, sourceId } of presence.provenance.activities) {
          expect(live.get(sourceId)?.state.activities).toContainEqual(activity)
        }
      }),
      runs,
    )
  })
})
