// The compiled view serializer: the same JSON as JSON.stringify for every view, never a property
// the view schema lacks, and undefined or absent optional fields omitted.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { serializeView } from '../../../src/app/watching/view-json.js'
import type { View } from '../../../src/core/policy/compute-view.js'
import { ViewSchema } from '../../../src/core/policy/view-schema.js'
import { computedViewArb, directViewArb } from '../../support/arbitraries.js'

interface SchemaNode {
  readonly type?: string
  readonly properties?: Record<string, SchemaNode>
  readonly items?: SchemaNode
}

/** The paths of `value` where it has a property that `schema` does not declare. */
const undeclared = (value: unknown, schema: SchemaNode, path = '$'): string[] => {
  if (Array.isArray(value))
    return value.flatMap((v, i) => undeclared(v, schema.items ?? {}, `${path}[${i}]`))
  if (value === null || typeof value !== 'object') return []
  const properties = schema.properties ?? {}
  return Object.entries(value).flatMap(([key, v]) =>
    key in properties ? undeclared(v, properties[key]!, `${path}.${key}`) : [`${path}.${key}`],
  )
}

/** `value` with an extra property on every object in it, at every depth. */
const salted = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(salted)
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value).map(([k, v]) => [k, salted(v)])
  return { ...Object.fromEntries(entries), secret: 'not in the schema' }
}

const anyView = fc.oneof(computedViewArb, directViewArb())

describe('serializeView', () => {
  it('gives back, parsed, what JSON.stringify gives for any view', () => {
    fc.assert(
      fc.property(anyView, (view) => {
        const json = serializeView(view)
        expect(JSON.parse(json)).toStrictEqual(JSON.parse(JSON.stringify(view)))
        expect(undeclared(JSON.parse(json), ViewSchema as SchemaNode)).toEqual([])
      }),
      { numRuns: 300 },
    )
  })

  it('never emits a property the schema lacks, at any depth', () => {
    fc.assert(
      fc.property(anyView, (view) => {
        const json = serializeView(salted(view) as View)
        expect(json).not.toContain('not in the schema')
        expect(JSON.parse(json)).toStrictEqual(JSON.parse(JSON.stringify(view)))
      }),
      { numRuns: 300 },
    )
  })

  it('omits undefined and absent optional fields, as JSON.stringify does', () => {
    const view: View = {
      address: 'ann@acme.example',
      displayName: undefined,
      availability: 'busy',
      note: { text: 'lunch', expiresAt: undefined },
      location: { country: 'SE', city: undefined },
      devices: [
        { id: 'laptop', name: undefined, capabilities: ['im'], availability: 'busy', idle: false },
      ],
      lastSeen: undefined,
    }
    expect(serializeView(view)).toBe(JSON.stringify(view))
    expect(JSON.parse(serializeView(view))).toStrictEqual({
      address: 'ann@acme.example',
      availability: 'busy',
      note: { text: 'lunch' },
      location: { country: 'SE' },
      devices: [{ id: 'laptop', capabilities: ['im'], availability: 'busy', idle: false }],
    })
  })

  it('a view whose fields all show parses back deep-equal to itself', () => {
    const view: View = {
      address: 'ann@acme.example',
      displayName: 'Ann',
      availability: 'available',
      activities: [{ kind: 'custom', text: 'Ålesund "trip"', until: 1_767_000_000_000 }],
      note: { text: 'back at 3\n', expiresAt: 1_767_000_000_000 },
      mood: 'happy',
      place: 'office',
      location: { country: 'SE', city: 'Lund', latitude: 55.7, longitude: 13.19, accuracy: 12.5 },
      workLocation: { mode: 'office', site: 'HQ' },
      timeZone: 'Europe/Stockholm',
      devices: [
        {
          id: 'l',
          name: 'ThinkPad',
          kind: 'desktop',
          capabilities: ['im', 'video'],
          availability: 'available',
          idle: true,
        },
      ],
      contactMethods: [
        { kind: 'phone', address: '+46 8 123', rank: 2, scope: 'personal', reachable: true },
      ],
      lastSeen: 1_767_000_000_000,
    }
    expect(JSON.parse(serializeView(view))).toStrictEqual(view)
  })
})
