// The wire form of a "who is available" entry and its one compiled serializer: a shared answer keeps
// each entry's text, so a page of an answer is written by joining texts, not by serializing views
// again per asker; app layer.
import fastJson from 'fast-json-stringify'
import { Type } from 'typebox'
import { ViewContactMethodSchema, ViewSchema } from '../../core/policy/view-schema.js'
import type { WhoEntry } from './availability-service.js'

/** One person in a "who is available" answer: their view for the asker and the best way to reach them. */
export const WhoEntrySchema = Type.Object({
  address: Type.String(),
  seq: Type.Integer(),
  view: ViewSchema,
  best: Type.Optional(ViewContactMethodSchema),
  reachableNow: Type.Boolean(),
})

/** What an entry shows apart from its address and sequence number (`seq` moves with any change). */
const WhoBodySchema = Type.Object({
  view: ViewSchema,
  best: Type.Optional(ViewContactMethodSchema),
  reachableNow: Type.Boolean(),
})

const compiledBody = fastJson(WhoBodySchema)

/**
 * The JSON of an entry without its opening `{"address":…,"seq":…,`: equal for equal views, best
 * ways and reachability, so it also tells whether what an asker sees of someone changed.
 */
export const whoEntryBody = (entry: WhoEntry): string => compiledBody(entry).slice(1)

/**
 * The JSON of an entry as the schema `WhoEntrySchema` gives it, encoded, with where its body
 * (`whoEntryBody`) begins.
 */
export const whoEntryText = (
  entry: WhoEntry,
): { readonly text: Buffer; readonly bodyAt: number } => {
  const head = `{"address":${JSON.stringify(entry.address)},"seq":${entry.seq},`
  return { text: Buffer.from(head + whoEntryBody(entry)), bodyAt: Buffer.byteLength(head) }
}

/** The JSON array of a page of shared entries (`IndexedEntry`), joined from their encoded texts. */
export const whoPageText = (entries: readonly { readonly text: Buffer }[]): Buffer => {
  // `[`, `]` and a comma between each two entries; then one copy of each entry's text.
  let length = 1 + Math.max(1, entries.length)
  for (let i = 0; i < entries.length; i++) length += entries[i]!.text.length
  const page = Buffer.allocUnsafe(length)
  let at = 0
  page[at++] = 0x5b // [
  for (let i = 0; i < entries.length; i++) {
    if (i > 0) page[at++] = 0x2c // ,
    at += entries[i]!.text.copy(page, at)
  }
  page[at] = 0x5d // ]
  return page
}
