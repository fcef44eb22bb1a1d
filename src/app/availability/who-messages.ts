// Serialization of the messages of live who queries (protocol narvaro.v1); app layer.
import type { WhoChange } from './live-who.js'

/**
 * A change of a live who query's result set, with its outbox key: a newer change about the same
 * person replaces an older one that is still waiting (only the latest membership counts).
 */
export const whoChangeMessage = (
  change: WhoChange,
): { readonly key: string; readonly text: string } => {
  const address = change.op === 'joined' ? change.entry.address : change.address
  const body =
    change.op === 'joined'
      ? { type: 'who-change', query: change.query, op: 'joined', address, entry: change.entry }
      : { type: 'who-change', query: change.query, op: 'left', address }
  return { key: `\u0000who:${change.query}:${address}`, text: JSON.stringify(body) }
}
