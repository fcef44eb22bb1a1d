// Latency histogram with 1 % wide buckets, mergeable across processes (it travels over IPC as
// plain JSON); bench support. The buckets are an array of counts by index, so that recording one
// latency (a load worker records several hundred thousand a second in a burst) allocates nothing.

const growth = Math.log(1.01)
/** Bucket indices 0…4095: up to 1.01^4095 µs, far beyond any phase's time limit. */
const bucketCount = 4096

export class Histogram {
  constructor() {
    /** Count per bucket index (a latency of `us` µs falls in ceil(log(us) / log(1.01))). */
    this.buckets = new Float64Array(bucketCount)
    this.total = 0
    this.max = 0
    this.sum = 0
  }

  /** @param {number} ms a latency in milliseconds (clamped to at least 1 µs) */
  record(ms) {
    const us = Math.max(1, ms * 1000)
    this.buckets[Math.min(bucketCount - 1, Math.ceil(Math.log(us) / growth))]++
    this.total++
    this.sum += ms
    if (ms > this.max) this.max = ms
  }

  /** The non-empty buckets as [index, count] pairs, ascending. */
  get counts() {
    const pairs = []
    for (let index = 0; index < bucketCount; index++)
      if (this.buckets[index] > 0) pairs.push([index, this.buckets[index]])
    return pairs
  }

  /** @param {Histogram | ReturnType<Histogram['toJSON']>} other */
  merge(other) {
    for (const [index, count] of other.counts)
      this.buckets[Math.min(bucketCount - 1, index)] += count
    this.total += other.total
    this.sum += other.sum
    if (other.max > this.max) this.max = other.max
    return this
  }

  /** The latency in ms under which `p` percent of the samples fall (bucket upper bound). */
  percentile(p) {
    if (this.total === 0) return Number.NaN
    const rank = Math.max(1, Math.ceil((p / 100) * this.total))
    let seen = 0
    for (let index = 0; index < bucketCount; index++) {
      seen += this.buckets[index]
      if (seen >= rank) return Math.min(Math.exp(index * growth) / 1000, this.max)
    }
    return this.max
  }

  get mean() {
    return this.total === 0 ? Number.NaN : this.sum / this.total
  }

  toJSON() {
    return { counts: this.counts, total: this.total, max: this.max, sum: this.sum }
  }

  /** @param {ReturnType<Histogram['toJSON']>} json */
  static from(json) {
    return new Histogram().merge(json)
  }
}
