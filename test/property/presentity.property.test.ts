// Properties of a presentity's soft state (fast-check): applying the same publication twice changes
// nothing, seq moves only with the presence and only to nextSeq, lastSeen marks going hidden, and
// nothing changes by itself before nextDeadline.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Presence } from '../../src/core/aggregation/presence.js'
import {
  advance,
  applyPublication,
  connectionBound,
  nextDeadline,
  retractPublication,
  type PresentityState,
  type Step,
} from '../../src/core/aggregation/presentity.js'
import { sameData } from '../../src/core/model/canonical-json.js'
import type { Publication } from '../../src/core/model/presence-model.js'
import { publicationArb, publicationsArb, sourcePool } from '../support/arbitraries.js'
import {
  aggregateAt,
  emptyAnn,
  hour,
  idleAfterMs,
  minute,
  presentityWith,
  stepAt,
  t0,
  withoutUntil,
} from '../support/publications.js'

const runs = { numRuns: 1000 }
const isVisible = (p: Presence) => p.availability !== 'offline' && p.availability !== 'invisible'
const samePresence = (a: Presence, b: Presence) => sameData(withoutUntil(a), withoutUntil(b))
const withoutLastSeen = ({ lastSeen: _lastSeen, ...rest }: Presence) => rest

/** The same publication, made `delta` ms later (a connection-bound expiry stays so). */
const shifted = (p: Publication, delta: number): Publication => ({
  ...p,
  publishedAt: p.publishedAt + delta,
  expiresAt: p.expiresAt === connectionBound ? connectionBound : p.expiresAt + delta,
  ...(p.lastActiveAt === undefined ? {} : { lastActiveAt: p.lastActiveAt + delta }),
  state:
    p.state.note?.expiresAt === undefined
      ? p.state
      : { ...p.state, note: { ...p.state.note, expiresAt: p.state.note.expiresAt + delta } },
})

type Command =
  | { readonly kind: 'apply'; readonly publication: Publication }
  | { readonly kind: 'retract'; readonly sourceId: string }
  | { readonly kind: 'advance' }

const commandArb: fc.Arbitrary<{ readonly command: Command; readonly elapse: number }> = fc.record({
  command: fc.oneof(
    {
      weight: 4,
      arbitrary: publicationArb(t0).map((publication): Command => ({ kind: 'apply', publication })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...sourcePool)
        .map((s): Command => ({ kind: 'retract', sourceId: s.id })),
    },
    { weight: 2, arbitrary: fc.constant<Command>({ kind: 'advance' }) },
  ),
  elapse: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 * idleAfterMs })),
})

const run = (state: PresentityState, command: Command, now: number, nextSeq: number): Step => {
  const context = stepAt(now, nextSeq)
  if (command.kind === 'apply')
    return applyPublication(state, shifted(command.publication, now - t0), context)
  if (command.kind === 'retract') return retractPublication(state, command.sourceId, context)
  return advance(state, context)
}

describe('presentity properties', () => {
  it('applying the same publication twice changes nothing', () => {
    fc.assert(
      fc.property(publicationsArb(t0), publicationArb(t0), (publications, publication) => {
        const first = applyPublication(presentityWith(publications), publication, stepAt(t0, 100))
        const second = applyPublication(first.state, publication, stepAt(t0, 101))
        expect(second.outcome).toBe(first.outcome === 'stale' ? 'stale' : 'unchanged')
        expect(second.state).toStrictEqual(first.state)
      }),
      runs,
    )
  })

  it('a lower version than the stored one is stale and leaves the state as it was', () => {
    fc.assert(
      fc.property(
        publicationsArb(t0),
        publicationArb(t0),
        fc.integer({ min: 1, max: 5 }),
        (publications, p, lower) => {
          const stored = presentityWith([
            ...publications.filter((q) => q.source.id !== p.source.id),
            { ...p, version: 10, expiresAt: connectionBound },
          ])
          const step = applyPublication(stored, { ...p, version: 10 - lower }, stepAt(t0, 100))
          expect(step.outcome).toBe('stale')
          expect(step.state).toBe(stored)
        },
      ),
      runs,
    )
  })

  it('the presence does not depend on the order in which publications arrive', () => {
    fc.assert(
      fc.property(
        publicationsArb(t0, 8).chain((ps) =>
          fc.tuple(fc.constant(ps), fc.shuffledSubarray(ps, { minLength: ps.length })),
        ),
        ([a, b]) => {
          const inOrder = presentityWith(a).presence
          expect(withoutLastSeen(presentityWith(b).presence)).toStrictEqual(
            withoutLastSeen(inOrder),
          )
          expect(withoutLastSeen(inOrder)).toStrictEqual(withoutLastSeen(aggregateAt(a)))
        },
      ),
      runs,
    )
  })

  it('seq changes only when the presence changes, only to nextSeq, and lastSeen marks going hidden', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 25 }), (commands) => {
        let state = emptyAnn()
        let now = t0
        let nextSeq = 1
        for (const { command, elapse } of commands) {
          now += elapse
          const before = state
          const step = run(before, command, now, nextSeq++)
          state = step.state
          if (step.outcome === 'changed') {
            expect(state.seq).toBe(nextSeq - 1)
            expect(samePresence(before.presence, state.presence)).toBe(false)
          } else {
            expect(state.seq).toBe(before.seq)
            expect(samePresence(before.presence, state.presence)).toBe(true)
          }
          const wentHidden = isVisible(before.presence) && !isVisible(state.presence)
          expect(state.lastSeen).toBe(wentHidden ? now : before.lastSeen)
          expect(state.presence.lastSeen).toBe(
            isVisible(state.presence) ? undefined : state.lastSeen,
          )
          const ids = state.publications.map((p) => p.source.id)
          expect(ids).toEqual([...new Set(ids)].sort())
          if (command.kind === 'advance')
            expect(state.publications.every((p) => p.expiresAt > now)).toBe(true)
        }
      }),
      runs,
    )
  })

  it('nothing changes by itself before nextDeadline', () => {
    fc.assert(
      fc.property(
        publicationsArb(t0, 8),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (publications, fraction) => {
          const state = presentityWith(publications)
          const deadline = nextDeadline(state, { now: t0, idleAfterMs }) ?? t0 + 24 * hour
          expect(deadline).toBeGreaterThan(t0)
          const before = t0 + Math.floor(fraction * (deadline - t0))
          expect(advance(state, stepAt(before, 100)).outcome).toBe('unchanged')
        },
      ),
      runs,
    )
  })

  it('a heartbeat with the same lastActiveAt never turns an away device available', () => {
    fc.assert(
      fc.property(
        publicationsArb(t0),
        publicationArb(t0),
        fc.integer({ min: 0, max: 60 * minute }),
        (others, p, later) => {
          fc.pre(p.source.kind === 'device')
          const device: Publication = {
            ...p,
            lastActiveAt: p.lastActiveAt ?? p.publishedAt,
            expiresAt: connectionBound,
          }
          const state = presentityWith([
            ...others.filter((q) => q.source.id !== device.source.id),
            device,
          ])
          const now = t0 + later
          const aged = advance(state, stepAt(now, 100)).state
          const heartbeat = applyPublication(
            aged,
            { ...device, publishedAt: now },
            stepAt(now, 101),
          ).state
          const summary = (s: PresentityState) =>
            s.presence.devices.find((d) => d.id === device.source.id)
          expect(summary(heartbeat)).toStrictEqual(summary(aged))
          expect(heartbeat.presence.availability).toBe(aged.presence.availability)
        },
      ),
      runs,
    )
  })
})
