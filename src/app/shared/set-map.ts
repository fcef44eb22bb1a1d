// Sets of values by key, where most keys have one value (a user's one session, one token): a lone
// value is kept as itself and a Set is made only for a second (an empty Set costs ~130 bytes, so
// three of them per connected user were ~400 bytes of each session); app layer.

/** Values by key; a value must not itself be a Set. */
export class SetMap<K, V> {
  private readonly map = new Map<K, V | Set<V>>()

  add(key: K, value: V): void {
    const found = this.map.get(key)
    if (found === undefined) this.map.set(key, value)
    else if (found instanceof Set) found.add(value)
    else if (found !== value) this.map.set(key, new Set([found, value]))
  }

  /** Takes `value` out of `key`'s values; the key goes with its last value. */
  delete(key: K, value: V): boolean {
    const found = this.map.get(key)
    if (found === undefined) return false
    if (!(found instanceof Set)) return found === value && this.map.delete(key)
    if (!found.delete(value)) return false
    if (found.size === 1) this.map.set(key, found.values().next().value!)
    return true
  }

  /** The values of `key`, as they are now (a copy: the caller may change the map while reading). */
  get(key: K): V[] {
    const found = this.map.get(key)
    if (found === undefined) return []
    return found instanceof Set ? [...found] : [found]
  }

  /** How many values `key` has. */
  count(key: K): number {
    const found = this.map.get(key)
    if (found === undefined) return 0
    return found instanceof Set ? found.size : 1
  }

  deleteKey(key: K): void {
    this.map.delete(key)
  }

  /** Every value, of every key (a copy). */
  values(): V[] {
    const all: V[] = []
    for (const found of this.map.values()) {
      if (found instanceof Set) all.push(...found)
      else all.push(found)
    }
    return all
  }

  clear(): void {
    this.map.clear()
  }
}
