// The parent's side of the load: forks bench/load-worker.js processes (pinned to the load core),
// splits the ring of users between them, sends commands over IPC and merges what they report.
import { join } from 'node:path'
import { setTimeout } from 'node:timers'
import { Histogram } from './histogram.js'
import { callWorker, spawnWorker } from './worker-ipc.js'
import { repoRoot } from './targets.js'

const workerScript = join(repoRoot, 'bench', 'load-worker.js')

export class LoadPool {
  /**
   * @param {object} options
   * @param {number} options.workers
   * @param {string | undefined} options.cpu core for the workers (taskset), undefined: not pinned
   * @param {{ index: number, address: string, token: string }[]} options.users the ring, in order
   * @param {{ kind: 'narvaro' | 'relay', url: string }} options.target
   * @param {number} options.k presentities each connection watches (ring neighbours i±1..i±k/2)
   * @param {number} [options.sessionsPerUser]
   * @param {string[]} [options.localAddresses]
   */
  static async start(options) {
    const pool = new LoadPool()
    const count = Math.max(1, Math.min(options.workers, options.users.length))
    const per = Math.ceil(options.users.length / count)
    pool.workers = Array.from({ length: count }, () => pool.spawn(options.cpu))
    pool.slices = pool.workers.map((_, w) => options.users.slice(w * per, (w + 1) * per))
    await pool.each((w) => ({
      command: 'init',
      args: {
        users: pool.slices[w],
        n: options.users.length,
        k: options.k,
        sessionsPerUser: options.sessionsPerUser ?? 1,
        target: options.target,
        localAddresses: options.localAddresses ?? [undefined],
        slot: w,
        slots: count,
      },
    }))
    return pool
  }

  spawn(cpu) {
    return spawnWorker(workerScript, cpu, 'load worker')
  }

  call(worker, command, args, timeoutMs = 600_000) {
    return callWorker(worker, command, args, timeoutMs)
  }

  /** Sends each worker its own command (from `build(workerIndex)`) at once; all replies, in order. */
  each(build, timeoutMs) {
    return Promise.all(
      this.workers.map((worker, w) => {
        const { command, args } = build(w)
        return this.call(worker, command, args, timeoutMs)
      }),
    )
  }

  /** The same command to every worker. */
  all(command, args, timeoutMs) {
    return this.each(() => ({ command, args }), timeoutMs)
  }

  usersOf(w) {
    return this.slices[w].length
  }

  async close() {
    await this.all('close', {}, 10_000).catch(() => undefined)
    await Promise.all(
      this.workers.map(
        (w) =>
          w.exited ||
          new Promise(
            (resolve) => (
              w.child.once('exit', resolve),
              setTimeout(() => (w.child.kill(), resolve()), 3000)
            ),
          ),
      ),
    )
  }
}

/** Sums the workers' phase reports: counts, one histogram, the span from first send to last receipt. */
export const mergePhase = (reports) => {
  const hist = new Histogram()
  for (const r of reports) hist.merge(r.hist)
  const sum = (key) => reports.reduce((total, r) => total + r[key], 0)
  const start = Math.min(...reports.map((r) => r.start))
  const lastRecv = Math.max(...reports.map((r) => r.lastRecv))
  const end = Math.max(...reports.map((r) => r.end))
  return {
    sent: sum('sent'),
    total: sum('total'),
    received: sum('received'),
    expected: sum('expected'),
    complete: reports.every((r) => r.complete),
    missing: reports.flatMap((r) => r.missing).slice(0, 20),
    bytes: sum('bytes'),
    hist,
    start,
    spanMs: lastRecv - start,
    wallMs: end - start,
    loadCpuMs: sum('cpuMs'),
  }
}
