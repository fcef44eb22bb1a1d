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

export const sameData = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b)
