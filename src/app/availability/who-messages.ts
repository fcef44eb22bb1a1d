// Serialization of the messages of live who queries (protocol narvaro.v1); app layer.
import type { WhoChange } from './live-who.js'

/**
 * A change of a live who query's result set, with its outbox key: a newer change about the same
 * person replaces an older one that is still waiting (only the latest state counts, which is why a
 * client treats `changed` like `joined`: both carry the member's whole current entry). The entry is
 * written from the encoded text its shared answer keeps.
 */
export const whoChangeMessage = (
  change: WhoChange,
): { readonly key: string; readonly text: string } => {
  const { address } = change
  const key = `\u0000who:${change.query}:${address}`
  const head = `{"type":"who-change","query":${JSON.stringify(change.query)},"op":"${change.op}","address":${JSON.stringify(address)}`
  if (change.op === 'left') return { key, text: `${head}}` }
  return { key, text: `${head},"entry":${change.entry.toString('utf8')}}` }
}

/**
 * The message that opens a live who query: `head`'s fields (`{ type: 'ack', id, query }` over
 * WebSocket, `{ type: 'who', query }` over SSE), then its `entries`, the JSON array `LiveWho.open`
 * gives (`text`: joined from the texts the shared answer keeps, not serialized again).
 */
export const whoAnswerMessage = (
  head: Readonly<Record<string, unknown>>,
  entries: Buffer,
): string => `${JSON.stringify(head).slice(0, -1)},"entries":${entries.toString('utf8')}}`
