// Serialization of the messages of live who queries (protocol narvaro.v1); app layer.
import type { WhoChange } from './live-who.js'

/**
 * A change of a live who query's result set, with its outbox key: a newer change about the same
 * person replaces an older one that is still waiting (only the latest state counts, which is why a
 * client treats `changed` like `joined`: both carry the member's whole current entry).
 */
export const whoChangeMessage = (
  change: WhoChange,
): { readonly key: string; readonly text: string } => {
  const address = change.op === 'left' ? change.address : change.entry.address
  const body =
    change.op === 'left'
      ? { type: 'who-change', query: change.query, op: 'left', address }
      : { type: 'who-change', query: change.query, op: change.op, address, entry: change.entry }
  return { key: `\u0000who:${change.query}:${address}`, text: JSON.stringify(body) }
}
