// Properties of reachability and routing (fast-check): answers come from the view alone and mention
// only what it shows, offline (and so a polite block) is never reachable, do-not-disturb lets only
// priority access through, and routing only ever picks a method the view shows.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  activityKinds,
  contactKinds,
  type Activity,
  type ContactKind,
} from '../../src/core/model/presence-model.js'
import { computeView, type View } from '../../src/core/policy/compute-view.js'
import {
  checkReach,
  type ReachAnswer,
  type ReachOptions,
} from '../../src/core/reach/check-reach.js'
import { rankContactMethods } from '../../src/core/reach/rank-contact-methods.js'
import {
  deliveryKinds,
  routeMessage,
  urgencies,
  type RouteAnswer,
} from '../../src/core/reach/route-message.js'
import { activitySituationCodes } from '../../src/core/reach/situation-of.js'
import {
  activityArb,
  computedViewArb,
  directViewArb,
  permissionsArb,
  presenceArb,
  profileArb,
  weekMomentArb,
} from '../support/arbitraries.js'
import { hour, t0 } from '../support/publications.js'

const runs = { numRuns: 1000 }

/** Activities that may carry an end, as a view could once the model has one. */
const timedActivityArb: fc.Arbitrary<Activity> = fc.oneof(
  activityArb,
  fc
    .record({
      kind: fc.constantFrom(...activityKinds),
      until: fc.integer({ min: t0 - hour, max: t0 + hour }),
    })
    .map((a) => a as Activity),
)
const viewArb = fc.oneof(computedViewArb, directViewArb(timedActivityArb))
const kindArb = fc.constantFrom(...contactKinds)
const priorityArb = fc.subarray([...contactKinds])
const urgencyArb = fc.constantFrom(...urgencies)
const nowArb = fc.option(fc.integer({ min: t0 - hour, max: t0 + hour }), { nil: undefined })
const optionsArb = fc.record({ priority: priorityArb, now: nowArb }, { requiredKeys: ['priority'] })

const activityWords =
  /in a meeting|in a call|in a conference|presenting|focusing|out of office|on vacation|off work/
const activityCodes: readonly string[] = activitySituationCodes

/** Every answer a watcher could get from one view: per kind, and per urgency. */
const answersFor = (view: View, options: ReachOptions) => ({
  reach: contactKinds.map((kind) => checkReach(view, kind, options)),
  route: urgencies.map((urgency) => routeMessage(view, urgency, options)),
})

const reasonOf = (answer: ReachAnswer | RouteAnswer): string | undefined =>
  'deliver' in answer ? answer.reason : answer.reachable ? undefined : answer.reason

const untilsOf = (view: View): readonly unknown[] =>
  (view.activities ?? []).map((a) => ('until' in a ? a.until : undefined))

describe('reachability and routing, from the view alone', () => {
  it('answers depend on what the view holds only: a copy of the view gets the same answers', () => {
    fc.assert(
      fc.property(viewArb, optionsArb, (view, options) => {
        const copy = JSON.parse(JSON.stringify(view)) as View
        expect(answersFor(copy, options)).toEqual(answersFor(view, options))
      }),
      runs,
    )
  })

  it('a view without activities never yields an activity reason, in code or in text', () => {
    fc.assert(
      fc.property(viewArb, optionsArb, (shown, options) => {
        const { activities: _hidden, ...view } = shown
        const { reach, route } = answersFor(view, options)
        for (const answer of [...reach, ...route]) {
          expect(activityCodes).not.toContain(reasonOf(answer))
          expect(answer.text).not.toMatch(activityWords)
          expect(answer).not.toHaveProperty('until')
        }
      }),
      runs,
    )
  })

  it('an end time is only ever one the view itself shows', () => {
    fc.assert(
      fc.property(viewArb, optionsArb, (view, options) => {
        for (const answer of answersFor(view, options).reach) {
          if (!answer.reachable && answer.until !== undefined) {
            expect(untilsOf(view)).toContain(answer.until)
          }
        }
      }),
      runs,
    )
  })

  it('a view without contact methods never yields a way to reach, an alternative or a delivery', () => {
    fc.assert(
      fc.property(viewArb, optionsArb, (shown, options) => {
        const { contactMethods: _hidden, ...view } = shown
        const { reach, route } = answersFor(view, options)
        for (const answer of reach) {
          expect(answer.reachable).toBe(false)
          expect(answer).not.toHaveProperty('alternative')
        }
        for (const answer of route) expect(answer).toMatchObject({ deliver: 'none' })
        expect(rankContactMethods(view)).toEqual([])
      }),
      runs,
    )
  })

  it('an offline view is never reachable, by any kind, with any priority access', () => {
    fc.assert(
      fc.property(viewArb, kindArb, optionsArb, (view, kind, options) => {
        const offline: View = { ...view, availability: 'offline' }
        expect(checkReach(offline, kind, options)).toMatchObject({
          reachable: false,
          reason: 'offline',
        })
      }),
      runs,
    )
  })

  it('a polite block and appear-offline answer exactly as the bare offline view of a stranger', () => {
    const inputArb = fc.record({
      presence: presenceArb(t0),
      profile: profileArb,
      permissions: permissionsArb,
      now: weekMomentArb,
    })
    fc.assert(
      fc.property(inputArb, fc.boolean(), optionsArb, (input, polite, options) => {
        const hidden = polite
          ? { ...input.permissions, subscription: 'polite-block' as const }
          : { ...input.permissions, subscription: 'allow' as const, appearOffline: true }
        const view = computeView({ ...input, permissions: hidden })
        const bare: View = {
          address: view.address,
          displayName: input.profile.displayName,
          availability: 'offline',
        }
        expect(answersFor(view, options)).toStrictEqual(answersFor(bare, options))
      }),
      runs,
    )
  })

  it('every method named in an answer is one the view shows', () => {
    fc.assert(
      fc.property(viewArb, optionsArb, (view, options) => {
        const shown = view.contactMethods ?? []
        const { reach, route } = answersFor(view, options)
        for (const answer of reach) {
          const named = answer.reachable ? answer.via : answer.alternative
          if (named) expect(shown).toContainEqual(named)
        }
        for (const answer of route) if (answer.via) expect(shown).toContainEqual(answer.via)
      }),
      runs,
    )
  })
})

describe('priority access', () => {
  it('a watcher without priority access is never reachable while the view is do-not-disturb', () => {
    fc.assert(
      fc.property(viewArb, kindArb, nowArb, (view, kind, now) => {
        const dnd: View = { ...view, availability: 'do-not-disturb' }
        expect(checkReach(dnd, kind, { now }).reachable).toBe(false)
        expect(checkReach(dnd, kind, { priority: [], now }).reachable).toBe(false)
      }),
      runs,
    )
  })

  it('in do-not-disturb, a watcher with priority access is reachable only by a listed kind', () => {
    fc.assert(
      fc.property(viewArb, kindArb, optionsArb, (view, kind, options) => {
        const dnd: View = { ...view, availability: 'do-not-disturb' }
        const answer = checkReach(dnd, kind, options)
        if (answer.reachable) {
          expect(options.priority).toContain(kind)
          expect(answer.priorityAccess).toBe(true)
        }
      }),
      runs,
    )
  })

  it('in do-not-disturb, routing rings or writes live only by a kind the watcher has priority access by', () => {
    fc.assert(
      fc.property(viewArb, urgencyArb, optionsArb, (view, urgency, options) => {
        const dnd: View = { ...view, availability: 'do-not-disturb' }
        const answer = routeMessage(dnd, urgency, options)
        if (['im', 'voice', 'sms'].includes(answer.deliver)) {
          expect(options.priority).toContain(answer.via?.kind)
          expect(answer.priorityAccess).toBe(true)
        }
      }),
      runs,
    )
  })
})

describe('routing', () => {
  it('never picks a kind the view does not show; voicemail needs a voice or phone method shown', () => {
    fc.assert(
      fc.property(viewArb, urgencyArb, optionsArb, (view, urgency, options) => {
        const answer = routeMessage(view, urgency, options)
        const shownKinds: readonly ContactKind[] = (view.contactMethods ?? []).map((m) => m.kind)
        if (answer.deliver === 'none') {
          expect(answer).not.toHaveProperty('via')
          return
        }
        const via = answer.via
        expect(via).toBeDefined()
        expect(shownKinds).toContain(via?.kind)
        expect(deliveryKinds[answer.deliver]).toContain(via?.kind)
      }),
      runs,
    )
  })

  it('live deliveries use a reachable method, except an SMS left for someone offline', () => {
    fc.assert(
      fc.property(viewArb, urgencyArb, optionsArb, (view, urgency, options) => {
        const answer = routeMessage(view, urgency, options)
        const live =
          answer.deliver === 'im' || answer.deliver === 'voice' || answer.deliver === 'sms'
        const leftForLater = answer.deliver === 'sms' && view.availability === 'offline'
        if (live && !leftForLater) expect(answer.via?.reachable).toBe(true)
      }),
      runs,
    )
  })

  it('someone offline, off work or away on leave is never routed a call or an IM', () => {
    fc.assert(
      fc.property(viewArb, urgencyArb, optionsArb, (view, urgency, options) => {
        const answer = routeMessage(view, urgency, options)
        if (['offline', 'off-work', 'out-of-office', 'on-vacation'].includes(answer.reason)) {
          expect(['voice', 'im']).not.toContain(answer.deliver)
        }
      }),
      runs,
    )
  })
})
