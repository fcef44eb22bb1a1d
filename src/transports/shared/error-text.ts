// Text that goes into error replies: control and bidirectional formatting characters escaped, so
// that a message echoing input can never reorder or hide what a terminal or page shows; transport.

/** C0 and C1 controls, line and paragraph separators, and the bidi marks, embeddings, overrides
 * and isolates (Unicode UAX #9). */
// eslint-disable-next-line no-control-regex -- finding control characters is its purpose
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu

/** `text` with every control or bidi formatting character written as `\u{...}`. */
export const escapeUnsafe = (text: string): string =>
  text.replace(unsafe, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)

/** Details with their string values (one level down, and in arrays) escaped like messages. */
export const escapeDetails = (
  details: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> => {
  const escape = (value: unknown): unknown => {
    if (typeof value === 'string') return escapeUnsafe(value)
    if (Array.isArray(value)) return value.map(escape)
    return value
  }
  return Object.fromEntries(Object.entries(details).map(([key, value]) => [key, escape(value)]))
}
