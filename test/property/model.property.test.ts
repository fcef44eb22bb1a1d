// Properties of the model (fast-check): address normalization is idempotent and ignores case and
// surrounding white space; weekly hours agree with a direct reading of the clock, overnight included.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normalizeAddress, parseAddress } from '../../src/core/model/address.js'
import { isWithinHours, parseClock } from '../../src/core/model/hours.js'
import { weekdays, type HoursSpan } from '../../src/core/model/presence-model.js'
import { hoursSpanArb, timeZones, weekMomentArb } from '../support/arbitraries.js'

const runs = { numRuns: 1000 }
const alnum = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('')
const labelArb = fc
  .tuple(
    fc.constantFrom(...alnum),
    fc.string({ unit: fc.constantFrom(...alnum, '-'), maxLength: 10 }),
    fc.constantFrom(...alnum),
  )
  .map(([first, middle, last]) => `${first}${middle}${last}`)
const localArb = fc
  .tuple(
    fc.constantFrom(...alnum),
    fc.string({ unit: fc.constantFrom(...alnum, '.', '_', '+', '-'), maxLength: 20 }),
    fc.constantFrom(...alnum),
  )
  .map(([first, middle, last]) => `${first}${middle}${last}`)
const addressArb = fc
  .tuple(localArb, fc.array(labelArb, { minLength: 1, maxLength: 3 }))
  .map(([local, labels]) => `${local}@${labels.join('.')}`)
const shoutArb = (s: string) =>
  fc
    .array(fc.boolean(), { minLength: s.length, maxLength: s.length })
    .map((upper) => [...s].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''))
const spaceArb = fc.constantFrom('', ' ', '\t', '\n ', '  ')

describe('address properties', () => {
  it('a well-formed address is accepted as it is, and normalizing is idempotent', () => {
    fc.assert(
      fc.property(addressArb, (address) => {
        expect(parseAddress(address)?.address).toBe(address)
        expect(normalizeAddress(normalizeAddress(address))).toBe(address)
      }),
      runs,
    )
  })

  it('case and surrounding white space do not change the normalized address', () => {
    const variant = addressArb.chain((address) =>
      fc.tuple(fc.constant(address), shoutArb(address), spaceArb, spaceArb),
    )
    fc.assert(
      fc.property(variant, ([address, shouted, before, after]) => {
        expect(normalizeAddress(`${before}${shouted}${after}`)).toBe(address)
      }),
      runs,
    )
  })

  it('white space inside or a second @ makes an address invalid', () => {
    const broken = fc
      .tuple(addressArb, fc.constantFrom(' ', '@', '\t'), fc.nat())
      .map(([address, bad, at]) => {
        const cut = 1 + (at % (address.length - 1))
        return `${address.slice(0, cut)}${bad}${address.slice(cut)}`
      })
    fc.assert(
      fc.property(broken, (address) => {
        expect(parseAddress(address)).toBeUndefined()
        expect(() => normalizeAddress(address)).toThrow(
          expect.objectContaining({ code: 'NRV_ADDRESS_INVALID' }),
        )
      }),
      runs,
    )
  })
})

/** A direct reading of a span in UTC: the weekday and minute of the moment, no time zone library. */
const insideUtc = (span: HoursSpan, at: number): boolean => {
  const date = new Date(at)
  const day = weekdays[(date.getUTCDay() + 6) % 7]!
  const yesterday = weekdays[(date.getUTCDay() + 5) % 7]!
  const minutes = date.getUTCHours() * 60 + date.getUTCMinutes()
  const start = parseClock(span.start)!
  const end = parseClock(span.end)!
  if (start <= end) return span.days.includes(day) && minutes >= start && minutes < end
  return (
    (span.days.includes(day) && minutes >= start) ||
    (span.days.includes(yesterday) && minutes < end)
  )
}

describe('weekly hours properties', () => {
  it('agree with a direct reading of the UTC clock, overnight spans included', () => {
    fc.assert(
      fc.property(hoursSpanArb, weekMomentArb, (span, at) => {
        expect(isWithinHours([span], 'UTC', at)).toBe(insideUtc(span, at))
      }),
      runs,
    )
  })

  it('an overnight span is its evening on its days plus the next mornings', () => {
    const overnight = hoursSpanArb.filter((s) => parseClock(s.start)! > parseClock(s.end)!)
    fc.assert(
      fc.property(overnight, weekMomentArb, fc.constantFrom(...timeZones), (span, at, zone) => {
        const next = span.days.map((d) => weekdays[(weekdays.indexOf(d) + 1) % 7]!)
        const split: HoursSpan[] = [
          { days: span.days, start: span.start, end: '24:00' },
          { days: next, start: '00:00', end: span.end },
        ]
        expect(isWithinHours([span], zone, at)).toBe(isWithinHours(split, zone, at))
      }),
      runs,
    )
  })

  it('every day from 00:00 to 24:00 is always inside, in any zone', () => {
    fc.assert(
      fc.property(weekMomentArb, fc.constantFrom(...timeZones), (at, zone) => {
        expect(
          isWithinHours([{ days: [...weekdays], start: '00:00', end: '24:00' }], zone, at),
        ).toBe(true)
      }),
      runs,
    )
  })
})
