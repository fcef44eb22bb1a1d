// Canonical JSON (sorted keys) for equality of plain data, independent of key order; core layer.

export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeys(value))

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    const inner = (value as Record<string, unknown>)[key]
    if (inner !== undefined) sorted[key] = sortKeys(inner)
  }
  return sorted
}

/** Defined (not undefined) own keys of a plain object, but `skip`. */
const definedKeyCount = (value: Record<string, unknown>, skip?: string): number => {
  let count = 0
  for (const key in value) if (value[key] !== undefined && key !== skip) count++
  return count
}

/**
 * Equality of plain data as `canonicalJson(a) === canonicalJson(b)` defines it (key order and
 * undefined members do not count), without building either string: it runs on every publication.
 */
export const sameData = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  return sameMembers(a as Record<string, unknown>, b as Record<string, unknown>)
}

/** `sameData` of two plain objects' members, but the member `skip` (as if undefined in both). */
const sameMembers = (
  x: Record<string, unknown>,
  y: Record<string, unknown>,
  skip?: string,
): boolean => {
  for (const key in x) {
    const value = x[key]
    if (value !== undefined && key !== skip && !sameData(value, y[key])) return false
  }
  return definedKeyCount(x, skip) === definedKeyCount(y, skip)
}

/**
 * `sameData` of two plain objects as if their member `skip` were undefined in both (without a copy
 * of either).
 */
export const sameDataBut = (
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
  skip: string,
): boolean => a === b || sameMembers(a, b, skip)
