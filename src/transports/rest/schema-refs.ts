// Replaces the copies of named schemas inside a JSON schema by references to them (`{ $ref: 'Name#' }`),
// so that Fastify and the OpenAPI document hold each shared schema once; transport layer, pure.

/** The named schemas, keyed by their JSON text: a copy is a subschema with exactly that text. */
export type SchemaNames = ReadonlyMap<string, string>

type Json = Record<string, unknown>

/** Keywords whose value is a schema or a list of schemas. */
const schemaKeywords = new Set([
  'allOf',
  'anyOf',
  'oneOf',
  'prefixItems',
  'items',
  'additionalItems',
  'additionalProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
])
/** Keywords whose value maps names to schemas. */
const mapKeywords = new Set(['properties', 'patternProperties', 'dependentSchemas'])

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The names of `schemas` by JSON text; two names for one schema would make either name a lie. */
export const schemaNamesOf = (schemas: Readonly<Record<string, unknown>>): SchemaNames => {
  const names = new Map<string, string>()
  for (const [name, schema] of Object.entries(schemas)) {
    const text = JSON.stringify(schema)
    const other = names.get(text)
    if (other) throw new Error(`the schemas ${other} and ${name} are the same`)
    names.set(text, name)
  }
  return names
}

/** `change` applied to a schema or to each of a list; the same list when no member changed. */
const mapList = (value: unknown, change: (member: unknown) => unknown): unknown => {
  if (!Array.isArray(value)) return change(value)
  const changed = value.map(change)
  return changed.some((member, i) => member !== value[i]) ? changed : value
}

/** `change` applied to each value of a map; the same map when no value changed. */
const mapValues = (value: unknown, change: (member: unknown) => unknown): unknown => {
  if (!isObject(value)) return value
  const entries = Object.entries(value).map(([key, member]) => [key, change(member)] as const)
  return entries.some(([key, member]) => member !== value[key])
    ? Object.fromEntries(entries)
    : value
}

/**
 * Rewrites schemas, remembering each subschema's rewrite: the same TypeBox object recurs in many
 * routes, and is then compared and walked once. Nothing is mutated; an untouched schema is returned
 * as it is.
 */
export class SchemaReferrer {
  private readonly rewritten = new WeakMap<object, unknown>()

  constructor(private readonly names: SchemaNames) {}

  /** `schema`, or a reference when it is a named schema, with the copies inside it referenced. */
  refer(schema: unknown): unknown {
    if (!isObject(schema)) return schema
    const known = this.rewritten.get(schema)
    if (known !== undefined) return known
    const name = this.names.get(JSON.stringify(schema))
    const result = name ? { $ref: `${name}#` } : this.referInside(schema)
    this.rewritten.set(schema, result)
    return result
  }

  /** `schema` itself kept, with the copies of named schemas inside it referenced. */
  referInside(schema: object): Json {
    const change = (member: unknown) => this.refer(member)
    let result = schema as Json
    for (const [key, value] of Object.entries(schema)) {
      const changed = schemaKeywords.has(key)
        ? mapList(value, change)
        : mapKeywords.has(key)
          ? mapValues(value, change)
          : value
      if (changed !== value) result = { ...result, [key]: changed }
    }
    return result
  }
}
