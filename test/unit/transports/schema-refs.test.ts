// Referring to named schemas: a copy becomes a reference wherever it sits, a near copy does not, the
// schema given is never changed, and each named component inlined again is exactly its schema.
import { Type } from 'typebox'
import { describe, expect, it } from 'vitest'
import { schemaComponents } from '../../../src/transports/rest/schema-components.js'
import { SchemaReferrer, schemaNamesOf } from '../../../src/transports/rest/schema-refs.js'

const Note = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
)
const Tag = Type.Object({ name: Type.String() })

/** `schema` with each `{ $ref: 'Name#' }` replaced by the named schema, at any depth. */
const inlined = (schema: unknown, named: Readonly<Record<string, unknown>>): unknown => {
  if (Array.isArray(schema)) return schema.map((member) => inlined(member, named))
  if (schema === null || typeof schema !== 'object') return schema
  const ref = (schema as { $ref?: unknown }).$ref
  if (typeof ref === 'string') return inlined(named[ref.replace(/#$/, '')], named)
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, inlined(value, named)]),
  )
}

const json = (value: unknown): object => JSON.parse(JSON.stringify(value)) as object

describe('SchemaReferrer', () => {
  const named = { Note, Tag }
  const referrer = () => new SchemaReferrer(schemaNamesOf(named))

  it('turns a copy into a reference in a property, an optional one, items, anyOf and allOf', () => {
    const schema = Type.Object({
      note: Note,
      maybe: Type.Optional(Note),
      notes: Type.Array(Note),
      either: Type.Union([Note, Type.Null()]),
      both: Type.Intersect([Tag, Type.Object({ extra: Type.Boolean() })]),
      byName: Type.Record(Type.String(), Tag),
    })
    const referred = referrer().refer(schema) as { properties: Record<string, unknown> }
    expect(referred.properties['note']).toEqual({ $ref: 'Note#' })
    expect(referred.properties['maybe']).toEqual({ $ref: 'Note#' })
    expect(referred.properties['notes']).toMatchObject({ items: { $ref: 'Note#' } })
    expect(referred.properties['either']).toMatchObject({ anyOf: [{ $ref: 'Note#' }, {}] })
    expect(referred.properties['both']).toMatchObject({ allOf: [{ $ref: 'Tag#' }, {}] })
    expect(JSON.stringify(referred.properties['byName'])).toContain('"$ref":"Tag#"')
    expect(inlined(referred, named)).toEqual(json(schema))
  })

  it('keeps a near copy inline: another constraint or description is another schema', () => {
    const looser = Type.Object({ text: Type.String({ minLength: 1, maxLength: 5000 }) })
    const described = Type.Object(
      { text: Type.String({ minLength: 1, maxLength: 500 }) },
      { additionalProperties: false, description: 'a note' },
    )
    const schema = Type.Object({ looser, described })
    expect(referrer().refer(schema)).toBe(schema)
  })

  it('never changes the schema it is given', () => {
    const schema = Type.Object({ note: Note, tags: Type.Array(Tag) })
    const before = JSON.stringify(schema)
    referrer().refer(schema)
    expect(JSON.stringify(schema)).toBe(before)
  })

  it('keeps a named schema itself when asked to refer inside it only', () => {
    const Card = Type.Object({ note: Note })
    const referred = new SchemaReferrer(schemaNamesOf({ Note, Card })).referInside(Card)
    expect(referred).toEqual({ ...json(Card), properties: { note: { $ref: 'Note#' } } })
  })

  it('refuses two names for one schema', () => {
    expect(() => schemaNamesOf({ Note, Memo: json(Note) })).toThrow(/Note and Memo/)
  })
})

describe('the named components of the REST API', () => {
  it('each, its references inlined, is exactly its schema', () => {
    const referrer = new SchemaReferrer(schemaNamesOf(schemaComponents))
    const registered = Object.fromEntries(
      Object.entries(schemaComponents).map(([name, schema]) => [
        name,
        referrer.referInside(schema),
      ]),
    )
    for (const [name, schema] of Object.entries(schemaComponents)) {
      expect(inlined(registered[name], registered), name).toEqual(json(schema))
    }
  })

  it('the view, the error reply and the rules are among them, and referred to inside others', () => {
    const referrer = new SchemaReferrer(schemaNamesOf(schemaComponents))
    const text = (name: keyof typeof schemaComponents) =>
      JSON.stringify(referrer.referInside(schemaComponents[name]))
    expect(Object.keys(schemaComponents)).toEqual(
      expect.arrayContaining(['View', 'ErrorReply', 'Rule', 'User', 'Presence']),
    )
    expect(text('Subscription')).toContain('"$ref":"View#"')
    expect(text('PersonalSettings')).toContain('"$ref":"Rule#"')
    expect(text('Rule')).toContain('"$ref":"Grant#"')
  })
})
