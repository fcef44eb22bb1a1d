// Unit: counters counted in plain numbers on the hot path read the same through the registry (as a
// scrape reads them) as prom-client's own counters would, with and without a label, across scrapes.
import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { TalliedCounter } from '../../../src/app/shared/metrics.js'

const valueOf = async (registry: Registry, name: string, labels: Record<string, string> = {}) => {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name)
  const values = (metric as { values: { value: number; labels: Record<string, string> }[] }).values
  return values.find((v) => JSON.stringify(v.labels) === JSON.stringify(labels))?.value
}

describe('tallied counters', () => {
  it('give a scrape every count made before it, and keep counting after it', async () => {
    const registry = new Registry()
    const plain = new TalliedCounter({ name: 't_plain_total', help: 'h', registers: [registry] })
    const byOutcome = new TalliedCounter({
      name: 't_outcome_total',
      help: 'h',
      label: 'outcome',
      registers: [registry],
    })
    plain.inc(3)
    plain.inc()
    byOutcome.inc(1, 'changed')
    byOutcome.inc(1, 'changed')
    byOutcome.inc(1, 'stale')
    expect(await valueOf(registry, 't_plain_total')).toBe(4)
    expect(await valueOf(registry, 't_outcome_total', { outcome: 'changed' })).toBe(2)
    expect(await valueOf(registry, 't_outcome_total', { outcome: 'stale' })).toBe(1)
    // A second scrape adds only what came since.
    plain.inc(2)
    byOutcome.inc(1, 'stale')
    expect(await valueOf(registry, 't_plain_total')).toBe(6)
    expect(await valueOf(registry, 't_outcome_total', { outcome: 'stale' })).toBe(2)
    expect(await registry.metrics()).toContain('t_outcome_total{outcome="changed"} 2')
  })
})
