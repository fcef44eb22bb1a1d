// The TXT record a serverless peer puts on the link (fast-check over views as the core computes
// them): every value in it comes from the view of everyone on the link, so nothing the person's
// rules hide from that view is ever broadcast; it always fits DNS-SD's size limits.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { View } from '../../src/core/policy/compute-view.js'
import {
  maxTxtRecordBytes,
  maxTxtStringBytes,
  txtOfView,
} from '../../src/transports/link/link-txt.js'
import { computedViewArb } from '../support/arbitraries.js'

const instance = 'alice@pronto'

/** Whether `value` is (a cut of) `source`. */
const from = (value: string, source: string | undefined) =>
  source !== undefined && source.startsWith(value)

describe('the TXT record of a view', () => {
  it('holds nothing the view lacks, within the size limits', () => {
    fc.assert(
      fc.property(computedViewArb, (view: View) => {
        const txt = txtOfView(view, instance)
        if (view.availability === 'offline') {
          expect(txt).toBeUndefined()
          return
        }
        expect(txt).toBeDefined()
        const names = (view.displayName ?? 'alice').trim().split(/\s+/)
        const size = Object.entries(txt!).reduce(
          (sum, [k, v]) => sum + 1 + Buffer.byteLength(`${k}=${v}`),
          0,
        )
        expect(size).toBeLessThanOrEqual(maxTxtRecordBytes)
        for (const [key, value] of Object.entries(txt!)) {
          expect(Buffer.byteLength(`${key}=${value}`)).toBeLessThanOrEqual(maxTxtStringBytes)
          if (key === 'msg') expect(from(value, view.note?.text)).toBe(true)
          else if (key === 'email')
            expect(
              view.contactMethods?.some((m) => m.kind === 'email' && from(value, m.address)),
            ).toBe(true)
          else if (key === 'jid')
            expect(
              view.contactMethods?.some((m) => m.kind === 'im' && from(value, m.address)),
            ).toBe(true)
          else if (key === '1st') expect(from(value, names[0])).toBe(true)
          else if (key === 'last') expect(from(value, names.slice(1).join(' '))).toBe(true)
          else if (key === 'nick') expect(value).toBe('alice')
          else if (key === 'status') expect(['avail', 'away', 'dnd']).toContain(value)
          else expect(key).toBe('txtvers')
        }
      }),
      { numRuns: 1000 },
    )
  })
})
