// The parent's side of the integrations scenario's watchers: forks watch-worker.js processes (pinned
// to the load core), gives each a share of the watchers, and sends commands over IPC; bench support.
import { join } from 'node:path'
import { setTimeout } from 'node:timers'
import { Histogram } from './histogram.js'
import { callWorker, spawnWorker } from './worker-ipc.js'
import { repoRoot } from './targets.js'

const workerScript = join(repoRoot, 'bench', 'lib', 'watch-worker.js')

const spawn = (cpu) => spawnWorker(workerScript, cpu, 'watch worker')
const call = callWorker

export class WatchPool {
  /**
   * @param {object} options
   * @param {number} options.workers
   * @param {string | undefined} options.cpu core of the workers (taskset); undefined: not pinned
   * @param {{ kind: 'narvaro', url: string }} options.target
   * @param {{ user: { index: number, address: string, token: string }, watch: string[] }[]} options.watchers
   */
  static async start({ workers, cpu, target, watchers }) {
    const pool = new WatchPool()
    const count = Math.max(1, Math.min(workers, watchers.length))
    const per = Math.ceil(watchers.length / count)
    pool.workers = Array.from({ length: count }, () => spawn(cpu))
    await Promise.all(
      pool.workers.map((w, i) =>
        call(w, 'init', { target, watchers: watchers.slice(i * per, (i + 1) * per) }, 60_000),
      ),
    )
    return pool
  }

  /** The same command to every worker; all replies, in order. */
  all(command, args, timeoutMs = 600_000) {
    return Promise.all(this.workers.map((w) => call(w, command, args, timeoutMs)))
  }

  async close() {
    await this.all('close', {}, 10_000).catch(() => undefined)
    for (const w of this.workers) if (!w.exited) setTimeout(() => w.child.kill(), 3000).unref()
  }
}

/** Sums the workers' `settle` reports: counts, one histogram, the first and last receipt. */
export const mergeSettled = (reports) => {
  const sum = (get) => reports.reduce((n, r) => n + get(r), 0)
  const hist = new Histogram()
  for (const r of reports) hist.merge(r.hist)
  const firsts = reports.map((r) => r.first).filter((t) => t !== undefined)
  return {
    received: sum((r) => r.received),
    expected: sum((r) => r.expected),
    bytes: sum((r) => r.bytes),
    complete: reports.every((r) => r.complete),
    first: firsts.length > 0 ? Math.min(...firsts) : undefined,
    last: Math.max(0, ...reports.map((r) => r.last)),
    hist,
    pairs: sum((r) => r.check.pairs),
    exact: sum((r) => r.check.exact),
    short: sum((r) => r.check.short),
    extra: sum((r) => r.check.extra),
    wrongFinal: sum((r) => r.check.wrongFinal),
    samples: reports.flatMap((r) => r.check.samples).slice(0, 10),
  }
}
