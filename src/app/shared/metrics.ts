// Prometheus metrics of one server: connections, publications, notifications, latencies; app layer.
import { PerformanceObserver, constants } from 'node:perf_hooks'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** The garbage collector's pauses by kind, as Node reports them (`PerformanceEntry.detail.kind`). */
const gcKinds: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
}

const gcMetricName = 'narvaro_nodejs_gc_duration_seconds'

/**
 * How often the event-loop delay is sampled (`narvaro_nodejs_eventloop_lag_*`). prom-client's 10 ms
 * woke an idle server 100 times a second (7.5 ms of CPU a second at rest on node-svc, about 70 µs a
 * wake-up, and a few per cent of the CPU of paced fan-out). Every 50 ms: a stall of 50 ms or more is
 * always seen, a shorter one in proportion to its length; an idle loop reads about 50 ms.
 */
export const loopDelayResolutionMs = 50

/**
 * A counter counted on the hot path in plain numbers, by the value of its one label (or none), and
 * added to prom-client's counter whenever the registry is read (`collect`): prom-client's own `inc`
 * makes a few objects a call (the labels, their hash, its result), and these count every change.
 */
export class TalliedCounter {
  /** Not yet added, by label value ('' without a label). */
  private readonly pending = new Map<string, number>()
  readonly counter: Counter

  constructor(config: { name: string; help: string; label?: string; registers: Registry[] }) {
    const { pending } = this
    const { label, ...rest } = config
    this.counter = new Counter({
      ...rest,
      labelNames: label === undefined ? [] : [label],
      collect() {
        for (const [value, n] of pending) {
          if (label === undefined) this.inc(n)
          else this.inc({ [label]: value }, n)
        }
        pending.clear()
      },
    })
  }

  /** Counts `by` more, under the label `value` when the counter has a label. */
  inc(by = 1, value = ''): void {
    this.pending.set(value, (this.pending.get(value) ?? 0) + by)
  }
}

/** A histogram's export as prom-client builds it (what the registry formats and serves as JSON). */
interface HistogramExport {
  values: { value: number; labels: Record<string, string | number>; metricName?: string }[]
}

const baseExport = (
  Histogram.prototype as unknown as { getForPromString(): Promise<HistogramExport> }
).getForPromString

/**
 * A histogram without labels observed on the hot path in plain numbers (a count per bucket, the sum,
 * the count) and exported by prom-client's own code, with these added to its (always empty) values:
 * prom-client's `observe` makes a closure and a few objects a call, and this one times every
 * publication.
 */
export class TalliedHistogram extends Histogram {
  private readonly bounds: Float64Array
  /** Observations by the first bucket whose bound they are at most (none past the last bound). */
  private readonly counts: Float64Array
  private total = 0
  private observed = 0

  constructor(config: { name: string; help: string; buckets: number[]; registers: Registry[] }) {
    super(config)
    this.bounds = Float64Array.from(config.buckets)
    this.counts = new Float64Array(config.buckets.length)
  }

  /** Observes `value` (prom-client's `observe(value)`, without its objects). */
  record(value: number): void {
    if (!Number.isFinite(value)) return
    const { bounds, counts } = this
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        counts[i]! += 1
        break
      }
    }
    this.total += value
    this.observed += 1
  }

  /** prom-client's export of an empty histogram, with what was recorded added. */
  async getForPromString(): Promise<HistogramExport> {
    const data = await baseExport.call(this)
    const { counts } = this
    const bucket = data.values[0]?.metricName
    let bucketIndex = 0
    let cumulative = 0
    for (const value of data.values) {
      if (value.metricName === bucket && value.labels['le'] !== '+Inf') {
        cumulative += counts[bucketIndex++] ?? 0
        value.value += cumulative
      } else if (value.metricName?.endsWith('_sum')) value.value += this.total
      else value.value += this.observed // the +Inf bucket and the count
    }
    return data
  }

  /** Zeroes what was recorded (prom-client's constructor calls it before this one's fields exist). */
  override reset(): void {
    ;(this.counts as Float64Array | undefined)?.fill(0)
    this.total = 0
    this.observed = 0
  }
}

export class NarvaroMetrics {
  readonly registry = new Registry()
  readonly connections = new Gauge({
    name: 'narvaro_connections',
    help: 'open real-time connections',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  })
  readonly publications = new TalliedCounter({
    name: 'narvaro_publications_total',
    help: 'publications received, by outcome',
    label: 'outcome',
    registers: [this.registry],
  })
  readonly notifications = new TalliedCounter({
    name: 'narvaro_notifications_sent_total',
    help: 'view changes handed to watcher connections',
    registers: [this.registry],
  })
  readonly viewsComputed = new TalliedCounter({
    name: 'narvaro_views_computed_total',
    help: 'distinct views computed for fan-out (one per permission set, not per watcher)',
    registers: [this.registry],
  })
  readonly httpDuration = new Histogram({
    name: 'narvaro_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  })
  readonly publishDuration = new TalliedHistogram({
    name: 'narvaro_publish_duration_seconds',
    help: 'time from receiving a publication to handing its notifications to transports',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1],
    registers: [this.registry],
  })
  readonly livePresentities = new Gauge({
    name: 'narvaro_live_presentities',
    help: 'presentities with soft state in memory',
    registers: [this.registry],
  })
  readonly livePublications = new Gauge({
    name: 'narvaro_live_publications',
    help: 'live publications in memory',
    registers: [this.registry],
  })
  readonly resumeHistoryEntries = new Gauge({
    name: 'narvaro_resume_history_entries',
    help: 'recent changes kept in memory so watchers can resume after a reconnect',
    registers: [this.registry],
  })
  readonly logins = new Counter({
    name: 'narvaro_logins_total',
    help: 'sign-in attempts (and current passwords given to change one), by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  })
  readonly liveWatches = new Gauge({
    name: 'narvaro_live_watches',
    help: 'live (connection, presentity) watches',
    registers: [this.registry],
  })
  readonly webhookEndpoints = new Gauge({
    name: 'narvaro_webhook_endpoints_delivering',
    help: 'webhook endpoints this node delivers (in a cluster, each endpoint has one node)',
    registers: [this.registry],
  })

  private readonly gcObserver: PerformanceObserver

  constructor() {
    collectDefaultMetrics({
      register: this.registry,
      prefix: 'narvaro_',
      eventLoopMonitoringPrecision: loopDelayResolutionMs,
    })
    // prom-client's own GC histogram observes only the first entry of each batch the observer is
    // given, and collections often come several to a batch (a scavenge, then the mark-compact it
    // led to): this one, under the same name, counts every one.
    this.registry.removeSingleMetric(gcMetricName)
    const pauses = new Histogram({
      name: gcMetricName,
      help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
      labelNames: ['kind'] as const,
      buckets: [0.001, 0.01, 0.1, 1, 2, 5],
      registers: [this.registry],
    })
    this.gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const { detail } = entry as { detail?: { kind?: number } }
        const kind = gcKinds[detail?.kind ?? -1]
        if (kind !== undefined) pauses.observe({ kind }, entry.duration / 1000)
      }
    })
    this.gcObserver.observe({ entryTypes: ['gc'] })
  }

  /** Stops observing the garbage collector. */
  stop(): void {
    this.gcObserver.disconnect()
  }
}
