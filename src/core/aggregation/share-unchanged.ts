// Consecutive presences of one presentity share what did not change: a new aggregate takes each part
// (devices, activities, reachability, location, provenance and its parts) from the one before when
// it is equal. The parts of every presence live as long as the presentity's next changes (its state,
// the resume history, the views), so most of a fresh aggregate used to survive the young generation
// and be copied by each scavenge; now only what changed does. Pure; core layer.
import type { Presence, Provenance } from './presence.js'

/**
 * Equal to the last detail: the same prototype, the same keys in the same order (an undefined value
 * too), the same values; stricter than `sameData`, so that sharing never changes a presence in any way.
 */
const identical = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  // One array of keys, not two: `y`'s are walked in their order against it.
  const keys = Object.keys(x)
  let i = 0
  for (const key in y) {
    if (key !== keys[i] || !identical(x[key], y[key])) return false
    i++
  }
  return i === keys.length
}

/** The parts of `next` that are objects, each replaced by `previous`'s where equal. */
const shareParts = <T extends object>(previous: T, next: T): T => {
  const shared = { ...next } as Record<string, unknown>
  const before = previous as Record<string, unknown>
  let changed = false
  for (const key in shared) {
    const value = shared[key]
    if (typeof value !== 'object' || value === null) continue
    const old = before[key]
    if (old !== value && identical(old, value)) {
      shared[key] = old
      changed = true
    }
  }
  return changed ? (shared as T) : next
}

/**
 * `next`, equal to it in every field and order, with the parts that equal `previous`'s being
 * `previous`'s own objects; `previous` itself when they are equal throughout.
 */
export const shareUnchanged = (previous: Presence, next: Presence): Presence => {
  if (identical(previous, next)) return previous
  const presence = shareParts(previous, next)
  const provenance: Provenance = shareParts(previous.provenance, presence.provenance)
  return provenance === presence.provenance ? presence : { ...presence, provenance }
}
