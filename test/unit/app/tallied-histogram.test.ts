// Unit: a histogram observed in plain numbers reads through the registry (its text, as a scrape reads
// it, and its JSON) exactly as prom-client's own histogram fed the same values, across scrapes.
import fc from 'fast-check'
import { Histogram, Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { TalliedHistogram } from '../../../src/app/shared/metrics.js'

const buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1]

const pair = () => {
  const tallied = new Registry()
  const plain = new Registry()
  const config = { name: 't_duration_seconds', help: 'h', buckets }
  return {
    tallied: new TalliedHistogram({ ...config, registers: [tallied] }),
    plain: new Histogram({ ...config, registers: [plain] }),
    registries: { tallied, plain },
  }
}

const read = async (registry: Registry) => ({
  text: await registry.metrics(),
  json: await registry.getMetricsAsJSON(),
})

describe('a tallied histogram', () => {
  it("reads as prom-client's histogram fed the same values, across scrapes", async () => {
    const value = fc.oneof(
      fc.double({ min: 0, max: 0.2, noNaN: true }),
      fc.constantFrom(...buckets, 0, 1, 1e9),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(value, { maxLength: 60 }), { maxLength: 4 }),
        async (batches) => {
          const { tallied, plain, registries } = pair()
          expect(await read(registries.tallied)).toEqual(await read(registries.plain))
          for (const batch of batches) {
            for (const v of batch) {
              tallied.record(v)
              plain.observe(v)
            }
            expect(await read(registries.tallied)).toEqual(await read(registries.plain))
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('counts a value on a bound in that bound’s bucket, and skips what is not a number', async () => {
    const { tallied, registries } = pair()
    tallied.record(0.001)
    tallied.record(Number.NaN)
    tallied.record(0.5)
    const text = await registries.tallied.metrics()
    expect(text).toContain('t_duration_seconds_bucket{le="0.0005"} 0')
    expect(text).toContain('t_duration_seconds_bucket{le="0.001"} 1')
    expect(text).toContain('t_duration_seconds_bucket{le="+Inf"} 2')
    expect(text).toContain('t_duration_seconds_sum 0.501')
    expect(text).toContain('t_duration_seconds_count 2')
    tallied.reset()
    expect(await registries.tallied.metrics()).toContain('t_duration_seconds_count 0')
  })
})
