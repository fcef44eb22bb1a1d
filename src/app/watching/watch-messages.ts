// Serialization of the messages that carry views to watchers (protocol narvaro.v1); app layer.
import type { WhoChange } from '../availability/index.js'
// Built around a view serialized once, so every watcher of that view shares the same string.

export const changeMessage = (address: string, seq: number, viewJson: string): string =>
  `{"type":"change","address":${JSON.stringify(address)},"seq":${seq},"view":${viewJson}}`

export const snapshotMessage = (
  address: string,
  seq: number,
  viewJson: string,
  resync: boolean,
): string =>
  `{"type":"snapshot","address":${JSON.stringify(address)},"seq":${seq},"view":${viewJson}${resync ? ',"resync":true' : ''}}`

export const unwatchedMessage = (address: string): string =>
  `{"type":"unwatched","address":${JSON.stringify(address)},"reason":"not-found"}`

/**
 * A change of a live who query's result set, with its outbox key: a newer change about the same
 * person replaces an older one that is still waiting (only the latest membership counts).
 */
export const whoChangeMessage = (change: WhoChange): { readonly key: string; readonly text: string } => {
  const address = change.op === 'joined' ? change.entry.address : change.address
  const body =
    change.op === 'joined'
      ? { type: 'who-change', query: change.query, op: 'joined', address, entry: change.entry }
      : { type: 'who-change', query: change.query, op: 'left', address }
  return { key: `\u0000who:${change.query}:${address}`, text: JSON.stringify(body) }
}
