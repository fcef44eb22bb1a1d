// The event-loop delay of /metrics is sampled every `loopDelayResolutionMs`, not prom-client's 10 ms,
// which woke an idle server 100 times a second. A timer never fires early, so every interval the
// monitor records at rest is at least the resolution: a monitor back at 10 ms reads about 10.
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { NarvaroMetrics, loopDelayResolutionMs } from '../../../src/app/shared/metrics.js'

let metrics: NarvaroMetrics | undefined
afterEach(() => metrics?.stop())

const gauge = async (m: NarvaroMetrics, name: string): Promise<number | undefined> => {
  const [metric] = (await m.registry.getMetricsAsJSON()).filter((x) => x.name === name)
  return (metric?.values as { value: number }[] | undefined)?.[0]?.value
}

describe('the event-loop delay metric', () => {
  it(`samples every ${loopDelayResolutionMs} ms`, async () => {
    expect(loopDelayResolutionMs).toBeGreaterThanOrEqual(50)
    metrics = new NarvaroMetrics()
    await sleep(loopDelayResolutionMs * 6)
    const min = await gauge(metrics, 'narvaro_nodejs_eventloop_lag_min_seconds')
    expect(min).toBeDefined()
    // Timers fire no earlier than due; 1 ms of leeway for the loop's millisecond clock.
    expect(min! * 1000).toBeGreaterThanOrEqual(loopDelayResolutionMs - 1)
  })
})
