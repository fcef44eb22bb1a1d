// What a live who query's opening sends as its entries (`LiveWho.open`'s text), parsed: the
// properties check the bytes the transports send, not an object beside them.
import type { WhoEntry } from '../../src/app/availability/availability-service.js'

export const entriesOf = (opened: { readonly text: Buffer }): WhoEntry[] =>
  JSON.parse(opened.text.toString('utf8')) as WhoEntry[]

/** The entry a `joined` or `changed` change sends (its encoded JSON), parsed. */
export const changedEntry = (change: { readonly entry: Buffer }): WhoEntry =>
  JSON.parse(change.entry.toString('utf8')) as WhoEntry
