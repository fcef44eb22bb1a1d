// The rules of integration events: ordering by `at` with `ended` winning ties, the event mapping, the
// source ids and the clamped safety expiry; unit tests.
import { describe, expect, it } from 'vitest'
import {
  decideOrder,
  integrationEventMapping,
  integrationSourceId,
  safetyTtlMs,
  sourceKeyOf,
} from '../../../src/app/integrations/integration-rules.js'

describe('decideOrder', () => {
  it('applies the first event of a source, whatever its state', () => {
    expect(decideOrder(undefined, { state: 'started', at: 10 })).toStrictEqual({
      outcome: 'start',
      next: { lastAt: 10, ended: false },
    })
    expect(decideOrder(undefined, { state: 'ended', at: 10 })).toStrictEqual({
      outcome: 'end',
      next: { lastAt: 10, ended: true },
    })
  })

  it('an ended that came first makes its older started stale', () => {
    const tombstone = { lastAt: 20, ended: true }
    expect(decideOrder(tombstone, { state: 'started', at: 10 })).toStrictEqual({ outcome: 'stale' })
    expect(decideOrder(tombstone, { state: 'refresh', at: 15 })).toStrictEqual({ outcome: 'stale' })
  })

  it('at the same time, ended wins over started and refresh', () => {
    expect(decideOrder({ lastAt: 20, ended: true }, { state: 'started', at: 20 })).toStrictEqual({
      outcome: 'stale',
    })
    expect(decideOrder({ lastAt: 20, ended: false }, { state: 'ended', at: 20 })).toStrictEqual({
      outcome: 'end',
      next: { lastAt: 20, ended: true },
    })
  })

  it('a refresh or a repeated started of a live source starts it again (extends it)', () => {
    expect(decideOrder({ lastAt: 20, ended: false }, { state: 'refresh', at: 20 })).toStrictEqual({
      outcome: 'start',
      next: { lastAt: 20, ended: false },
    })
    expect(decideOrder({ lastAt: 20, ended: false }, { state: 'started', at: 30 })).toStrictEqual({
      outcome: 'start',
      next: { lastAt: 30, ended: false },
    })
  })

  it('a later event reopens an ended source', () => {
    expect(decideOrder({ lastAt: 20, ended: true }, { state: 'started', at: 21 })).toStrictEqual({
      outcome: 'start',
      next: { lastAt: 21, ended: false },
    })
  })

  it('an event older than the last applied one is stale', () => {
    expect(decideOrder({ lastAt: 20, ended: false }, { state: 'ended', at: 19 })).toStrictEqual({
      outcome: 'stale',
    })
  })
})

describe('integration event mapping', () => {
  it('maps calls to phone sources in a call, and presenting to do-not-disturb sources', () => {
    expect(integrationEventMapping.call).toStrictEqual({ kind: 'phone', activity: 'in-a-call' })
    expect(integrationEventMapping.conference).toStrictEqual({
      kind: 'conference',
      activity: 'in-a-conference',
    })
    expect(integrationEventMapping.video).toStrictEqual({
      kind: 'conference',
      activity: 'in-a-call',
    })
    expect(integrationEventMapping['screen-sharing']).toStrictEqual({
      kind: 'integration',
      activity: 'presenting',
    })
  })

  it('gives one source id per integration, type and key, with a default key', () => {
    expect(integrationSourceId('int_1', sourceKeyOf('call', undefined))).toBe(
      'integration:int_1:call:default',
    )
    expect(integrationSourceId('int_1', sourceKeyOf('video', 'c-42'))).toBe(
      'integration:int_1:video:c-42',
    )
  })

  it('clamps the safety expiry to 30 seconds … 4 hours, 5 minutes by default', () => {
    expect(safetyTtlMs(undefined)).toBe(300_000)
    expect(safetyTtlMs(1)).toBe(30_000)
    expect(safetyTtlMs(120)).toBe(120_000)
    expect(safetyTtlMs(86_400)).toBe(4 * 3_600_000)
  })
})
