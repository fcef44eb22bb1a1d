// Property: the outbox only ever drops superseded states. Whatever the peer's reading pattern and
// the delivery mode, per presentity the messages written are a subsequence of those sent, in order,
// with no duplicate, and once everything is flushed the last one written is the last one sent.
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CoalescingOutbox } from '../../src/transports/shared/coalescing-outbox.js'

afterEach(() => vi.useRealTimers())

type Step =
  | { kind: 'send'; presentity: number }
  | { kind: 'congest'; bytes: number }
  | { kind: 'tick'; ms: number }
  | { kind: 'mode'; everyMs: number | undefined }

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      presentity: fc.integer({ min: 0, max: 5 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('congest' as const),
      bytes: fc.constantFrom(0, 500, 5000),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      ms: fc.integer({ min: 1, max: 3000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('mode' as const),
      everyMs: fc.constantFrom(undefined, 1000, 2000),
    }),
  },
)

describe('CoalescingOutbox drops only superseded states', () => {
  it('per presentity: an ordered subsequence without duplicates, ending with the newest state', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        vi.useFakeTimers()
        let buffered = 0
        const sent = new Map<string, number[]>()
        const written = new Map<string, number[]>()
        const outbox = new CoalescingOutbox(
          {
            buffered: () => buffered,
            write: (_m, address, seq) =>
              written.set(address, [...(written.get(address) ?? []), seq]),
          },
          1000,
        )
        let seq = 0
        for (const s of steps) {
          if (s.kind === 'send') {
            const address = `p${s.presentity}`
            seq++
            sent.set(address, [...(sent.get(address) ?? []), seq])
            outbox.send(`m${seq}`, address, seq)
          } else if (s.kind === 'congest') buffered = s.bytes
          else if (s.kind === 'tick') vi.advanceTimersByTime(s.ms)
          else outbox.setCoalesced(s.everyMs)
        }
        buffered = 0
        outbox.setCoalesced(undefined)
        for (const [address, seqs] of sent) {
          const got = written.get(address) ?? []
          // strictly increasing: in order, no duplicate; every one was sent
          for (let i = 1; i < got.length; i++) expect(got[i]!).toBeGreaterThan(got[i - 1]!)
          for (const g of got) expect(seqs).toContain(g)
          expect(got.at(-1)).toBe(seqs.at(-1))
        }
        expect(outbox.waiting).toBe(0)
        outbox.stop()
        vi.useRealTimers()
      }),
      { numRuns: 500 },
    )
  })
})
