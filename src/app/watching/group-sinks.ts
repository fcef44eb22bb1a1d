// The sinks of one fan-out group: an array while the group is small, a Set once it is large. Most
// groups are small, and a session is in one group per presentity it watches for its whole life: a
// Set of 50 sinks holds a hash table of about 1.3 KB, an array of 50 about 0.6 KB. From `setFrom`
// sinks on, finding a leaving sink by scanning would cost more than the table saves, and the group
// holds a Set. A delivery is handed the group's array and may still be going through it while a sink
// leaves or joins (a send that ends a session): an array handed out is never changed in place, the
// next change copies it first; app layer.

/** Sinks from which a group holds a Set instead of an array. */
export const setFrom = 64

/** A group's sinks, and whether its array was handed to a delivery since it last changed. */
export interface HoldsSinks<S> {
  sinks: S[] | Set<S>
  lent: boolean
}

export const sinkCount = <S>(holder: HoldsSinks<S>): number => {
  const { sinks } = holder
  return Array.isArray(sinks) ? sinks.length : sinks.size
}

export const hasSink = <S>(holder: HoldsSinks<S>, sink: S): boolean => {
  const { sinks } = holder
  return Array.isArray(sinks) ? sinks.includes(sink) : sinks.has(sink)
}

/**
 * The sinks to deliver to, as they are now: the array is not changed in place afterwards (a Set's
 * own `forEach` already skips what is deleted while it runs).
 */
export const lendSinks = <S>(holder: HoldsSinks<S>): readonly S[] | ReadonlySet<S> => {
  if (Array.isArray(holder.sinks)) holder.lent = true
  return holder.sinks
}

/** An array that may be changed in place: a copy when the one held was handed out. */
const ownArray = <S>(holder: HoldsSinks<S>, sinks: S[]): S[] => {
  if (!holder.lent) return sinks
  holder.lent = false
  return (holder.sinks = sinks.slice())
}

/** Adds `sink` (not in the group yet). */
export const addSink = <S>(holder: HoldsSinks<S>, sink: S): void => {
  const { sinks } = holder
  if (!Array.isArray(sinks)) sinks.add(sink)
  else if (sinks.length + 1 >= setFrom) {
    holder.sinks = new Set(sinks).add(sink)
    holder.lent = false
  } else ownArray(holder, sinks).push(sink)
}

/** Removes `sink`; the order of the others may change. */
export const removeSink = <S>(holder: HoldsSinks<S>, sink: S): void => {
  const { sinks } = holder
  if (!Array.isArray(sinks)) {
    sinks.delete(sink)
    return
  }
  const at = sinks.indexOf(sink)
  if (at < 0) return
  const own = ownArray(holder, sinks)
  own[at] = own[own.length - 1]!
  own.pop()
}
