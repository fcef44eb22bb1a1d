// The PIDF document a SIP watcher receives (fast-check over views as the core computes them): it never
// holds an element or a text the watcher's view lacks; every text in it comes from the view.
import fc from 'fast-check'
import { Element, parse } from 'ltx'
import { describe, expect, it } from 'vitest'
import type { View } from '../../src/core/policy/compute-view.js'
import { pidfOf } from '../../src/transports/sip/pidf.js'
import { computedViewArb, weekMomentArb } from '../support/arbitraries.js'

const all = (element: Element): Element[] => [
  element,
  ...element.children.flatMap((c) => (c instanceof Element ? all(c) : [])),
]

const texts = (element: Element): string[] =>
  element.children.flatMap((c) => (typeof c === 'string' ? [c] : texts(c)))

/** Every text the document may hold for `view`: nothing else than what the view says. */
const allowedTexts = (view: View, entity: string): Set<string> =>
  new Set([
    'open',
    'closed',
    'idle',
    'active',
    entity,
    'do-not-disturb',
    'be-right-back',
    ...(view.note ? [view.note.text] : []),
    ...(view.mood ? [view.mood] : []),
    ...(view.place ? [view.place] : []),
    ...(view.activities ?? []).map((a) => (a.kind === 'custom' ? (a.text ?? 'custom') : a.kind)),
    ...(view.devices ?? []).flatMap((d) => [
      ...(d.name ? [d.name] : []),
      `urn:x-narvaro:device:${encodeURIComponent(d.id)}`,
    ]),
  ])

describe('the PIDF of a view', () => {
  it('holds no element or text the view lacks', () => {
    fc.assert(
      fc.property(computedViewArb, weekMomentArb, (view, now) => {
        const entity = `sip:${view.address}`
        const doc = parse(pidfOf(view, entity, now).replace(/^<\?xml[^>]*\?>\s*/, ''))
        const names = all(doc).map((e) => e.name)
        const has = (name: string) => names.includes(name)
        if (has('rpid:mood')) expect(view.mood).toBeDefined()
        if (has('rpid:place-type')) expect(view.place).toBeDefined()
        if (
          has('dm:person') &&
          all(doc).some((e) => e.name === 'dm:note' && e.parent?.name === 'dm:person')
        )
          expect(view.note).toBeDefined()
        if (has('rpid:time-offset')) expect(view.timeZone).toBeDefined()
        expect(names.filter((n) => n === 'dm:device')).toHaveLength(view.devices?.length ?? 0)
        expect(has('contact')).toBe(view.availability !== 'offline')
        const allowed = allowedTexts(view, entity)
        for (const text of texts(doc)) {
          if (/^-?\d+$/.test(text)) expect(view.timeZone).toBeDefined()
          else expect(allowed.has(text), text).toBe(true)
        }
      }),
      { numRuns: 1000 },
    )
  })
})
