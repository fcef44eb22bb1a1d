// Unit: a publication's ack written as text is the same JSON, byte for byte, as the generic ack
// (`{ type: 'ack', id?, outcome }` through JSON.stringify), for any request id.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { outcomeAck } from '../../../src/transports/ws/ws-session.js'

const generic = (id: string | undefined, outcome: string): string =>
  JSON.stringify({ type: 'ack', ...(id ? { id } : {}), outcome })

describe('a publication ack', () => {
  it('is the generic ack, byte for byte, for any id and outcome', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ unit: 'binary', maxLength: 64 }), { nil: undefined }),
        fc.constantFrom('changed', 'unchanged', 'stale' as const),
        (id, outcome) => {
          const text = outcomeAck(id, outcome)
          expect(text).toBe(generic(id, outcome))
          expect(JSON.parse(text)).toEqual({ type: 'ack', ...(id ? { id } : {}), outcome })
        },
      ),
      { numRuns: 2_000 },
    )
  })

  it('leaves out an empty id, as the generic ack does', () => {
    expect(outcomeAck('', 'changed')).toBe('{"type":"ack","outcome":"changed"}')
    expect(outcomeAck('a"\\\u2028', 'stale')).toBe(
      '{"type":"ack","id":"a\\"\\\\\u2028","outcome":"stale"}',
    )
  })
})
