// Consecutive presences of one presentity share what did not change: a new aggregate takes each part
// (devices, activities, reachability, location, provenance and its parts) from the one before when
// it is equal. The parts of every presence live as long as the presentity's next changes (its state,
// the resume history, the views), so most of a fresh aggregate used to survive the young generation
// and be copied by each scavenge; now only what changed does. Pure but for the new presence, whose
// parts are set in place to equal ones; core layer.
import type { Presence } from './presence.js'

/**
 * Equal to the last detail: the same prototype, the same keys in the same order (an undefined value
 * too), the same values; stricter than `sameData`, so that sharing never changes a presence in any way.
 * Allocates nothing once warm (an array of keys per part was a tenth of what aggregation allocated).
 */
const identical = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  if (Array.isArray(a)) return identicalItems(a, b as unknown[])
  return identicalFields(a as Record<string, unknown>, b as Record<string, unknown>)
}

const identicalItems = (a: readonly unknown[], b: readonly unknown[]): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!identical(a[i], b[i])) return false
  return true
}

/**
 * The keys of the objects being compared, as a stack: `identicalFields` puts `x`'s above those of
 * the objects that contain it, walks `y`'s against them, and takes them off again.
 */
const keys: string[] = []
let top = 0

const identicalFields = (
  x: Readonly<Record<string, unknown>>,
  y: Readonly<Record<string, unknown>>,
): boolean => {
  const start = top
  for (const key in x) keys[top++] = key
  const end = top
  let i = start
  let same = true
  for (const key in y) {
    if (i === end || key !== keys[i] || !identical(x[key], y[key])) {
      same = false
      break
    }
    i++
  }
  top = start
  return same && i === end
}

/**
 * Replaces each part of `next` that is an object by `previous`'s where they are identical, in place:
 * the same data, so nothing any reader could tell.
 */
const shareParts = <T extends object>(previous: T, next: T): void => {
  const shared = next as Record<string, unknown>
  const before = previous as Record<string, unknown>
  for (const key in shared) {
    const value = shared[key]
    if (typeof value !== 'object' || value === null) continue
    const old = before[key]
    if (old !== value && identical(old, value)) shared[key] = old
  }
}

/**
 * `next` with the parts that equal `previous`'s being `previous`'s own objects (set in `next`
 * itself, which must be a presence just made and not yet handed to anyone: it stays equal to what it
 * was in every field and order); `previous` itself when they are equal throughout.
 */
export const shareUnchanged = (previous: Presence, next: Presence): Presence => {
  if (identical(previous, next)) return previous
  shareParts(previous, next)
  shareParts(previous.provenance, next.provenance)
  return next
}
