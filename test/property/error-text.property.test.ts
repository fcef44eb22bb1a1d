// Properties of error replies (fast-check): whatever text an error carries, its reply never holds a
// raw control or bidirectional formatting character, and text without them is left as it was.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { NarvaroError, errorTable } from '../../src/core/errors.js'
import { toErrorReply } from '../../src/transports/shared/error-reply.js'

const runs = { numRuns: 2000 }

/** Every character an attacker would use to hide or reorder text, written out on its own. */
const isUnsafe = (c: string): boolean => {
  const code = c.codePointAt(0)!
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  )
}
const hasUnsafe = (text: string): boolean => [...text].some(isUnsafe)

const tricky = fc.constantFrom(
  '\u0000',
  '\u0007',
  '\n',
  '\u001b[2J',
  '\u0085',
  '\u202e',
  '\u2066',
  '\u200f',
  '\u061c',
  '\u2028',
)
/** Strings with any code points, mixed with the characters that matter here. */
const textArb = fc
  .array(fc.oneof(fc.string({ unit: 'binary' }), tricky), { maxLength: 8 })
  .map((parts) => parts.join(''))

describe('error replies', () => {
  it('never echo a raw control or bidi character, in the message or the details', () => {
    fc.assert(
      fc.property(textArb, textArb, (message, detail) => {
        const { body } = toErrorReply(
          new NarvaroError('NRV_VALIDATION', message, {
            details: { field: detail, list: [detail] },
          }),
        )
        expect(hasUnsafe(body.message)).toBe(false)
        expect(hasUnsafe(JSON.stringify(body.details))).toBe(false)
        expect(hasUnsafe(String(body.details?.['field']))).toBe(false)
      }),
      runs,
    )
  })

  it('leave text without such characters unchanged, and write each one as \\u{...}', () => {
    fc.assert(
      fc.property(textArb, (message) => {
        const { body } = toErrorReply(new NarvaroError('NRV_VALIDATION', message))
        const expected = [...message]
          .map((c) => (isUnsafe(c) ? `\\u{${c.codePointAt(0)!.toString(16)}}` : c))
          .join('')
        expect(body.message).toBe(expected)
      }),
      runs,
    )
  })

  it('a server-side failure says only what its code means, whatever its message', () => {
    fc.assert(
      fc.property(
        textArb,
        fc.constantFrom('NRV_INTERNAL', 'NRV_STORE_UNAVAILABLE'),
        (message, code) => {
          const { body } = toErrorReply(
            new NarvaroError(code, message, { details: { file: message } }),
          )
          expect(body).toEqual({ code, message: errorTable[code].meaning })
        },
      ),
      runs,
    )
  })
})
