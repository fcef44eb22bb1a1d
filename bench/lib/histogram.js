// Latency histogram with 1 % wide buckets, mergeable across processes (it travels over IPC as
// plain JSON); bench support.

const growth = Math.log(1.01)

export class Histogram {
  constructor() {
    /** @type {Map<number, number>} bucket index → count */
    this.counts = new Map()
    this.total = 0
    this.max = 0
    this.sum = 0
  }

  /** @param {number} ms a latency in milliseconds (clamped to at least 1 µs) */
  record(ms) {
    const us = Math.max(1, ms * 1000)
    const index = Math.ceil(Math.log(us) / growth)
    this.counts.set(index, (this.counts.get(index) ?? 0) + 1)
    this.total++
    this.sum += ms
    if (ms > this.max) this.max = ms
  }

  /** @param {Histogram | ReturnType<Histogram['toJSON']>} other */
  merge(other) {
    const entries = other instanceof Histogram ? other.counts : new Map(other.counts)
    for (const [index, count] of entries)
      this.counts.set(index, (this.counts.get(index) ?? 0) + count)
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
    for (const index of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(index) ?? 0
      if (seen >= rank) return Math.min(Math.exp(index * growth) / 1000, this.max)
    }
    return this.max
  }

  get mean() {
    return this.total === 0 ? Number.NaN : this.sum / this.total
  }

  toJSON() {
    return { counts: [...this.counts], total: this.total, max: this.max, sum: this.sum }
  }

  /** @param {ReturnType<Histogram['toJSON']>} json */
  static from(json) {
    return new Histogram().merge(json)
  }
}
