// The GC histogram of /metrics counts every collection, also when several come in one batch of the
// performance observer (prom-client's own took only the first entry of each batch).
import { PerformanceObserver } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { NarvaroMetrics } from '../../../src/app/shared/metrics.js'

let metrics: NarvaroMetrics | undefined
afterEach(() => metrics?.stop())

/** Collections counted by the histogram so far, all kinds. */
const counted = async (m: NarvaroMetrics): Promise<number> => {
  const [metric] = (await m.registry.getMetricsAsJSON()).filter(
    (x) => x.name === 'narvaro_nodejs_gc_duration_seconds',
  )
  const values = (metric?.values ?? []) as { metricName?: string; value: number }[]
  return values
    .filter((v) => v.metricName === 'narvaro_nodejs_gc_duration_seconds_count')
    .reduce((n, v) => n + v.value, 0)
}

describe('the GC metric', () => {
  it('counts every collection of a batch', async () => {
    metrics = new NarvaroMetrics()
    let seen = 0
    let batches = 0
    const observer = new PerformanceObserver((list) => {
      batches++
      seen += list.getEntries().length
    })
    observer.observe({ entryTypes: ['gc'] })
    const before = await counted(metrics)
    // Young garbage made in one turn: several scavenges, reported to the observers together.
    let kept: number[][] = []
    for (let i = 0; i < 400_000; i++) {
      kept.push(new Array<number>(32).fill(i))
      if (kept.length > 1000) kept = []
    }
    await sleep(50)
    observer.disconnect()
    expect(seen).toBeGreaterThan(batches)
    expect((await counted(metrics)) - before).toBe(seen)
  })
})
