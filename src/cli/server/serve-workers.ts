// `narvaro serve --workers N`: a primary process holds the data directory and runs N node processes
// of one cluster (they share Redis and PostgreSQL) behind one listening port, starts one again when
// it dies, and stops them all in order on SIGTERM or SIGINT; CLI layer.
import cluster, { type Worker } from 'node:cluster'
import { setTimeout as sleep } from 'node:timers/promises'
import type { NarvaroConfig } from '../../server/config.js'
import { serverExecArgv } from '../../server/heap-flags.js'
import type { Started } from './serve-command.js'
import { CliError, exitCodes } from '../shared/cli-error.js'
import type { CliIo } from '../shared/cli-io.js'
import { waitForSignal } from '../shared/cli-io.js'
import { writeLine } from '../shared/output.js'

/** What a worker tells the primary once it listens. */
export interface WorkerListening {
  readonly type: 'listening'
  readonly started: Started
}

/** Several workers need the shared parts: every node must see the same data and changes. */
export const checkWorkers = (config: NarvaroConfig, count: number): void => {
  if (count > 1 && (config.redisUrl === undefined || config.databaseUrl === undefined)) {
    throw new CliError(
      exitCodes.usage,
      `--workers ${count} needs NARVARO_REDIS_URL and NARVARO_DATABASE_URL (the nodes share them)`,
    )
  }
}

/** How many workers: the flag or NARVARO_WORKERS, else one per core with a Redis URL, else one. */
export const workerCount = (config: NarvaroConfig, cores: number): number =>
  config.workers ?? (config.redisUrl !== undefined ? cores : 1)

/** Forks one worker and resolves once it listens; rejects when it exits first. */
const forkWorker = (): Promise<{ worker: Worker; listening: WorkerListening }> =>
  new Promise((resolve, reject) => {
    const worker = cluster.fork()
    const onExit = (code: number | null) => reject(new Error(`a worker exited with ${code}`))
    worker.once('exit', onExit)
    worker.on('message', (message: WorkerListening) => {
      if (message?.type !== 'listening') return
      worker.off('exit', onExit)
      resolve({ worker, listening: message })
    })
  })

/**
 * The primary: starts the first worker alone (a first start creates the organization once), then the
 * others; a worker that dies is started again after a second; a signal stops them all.
 */
export const runPrimary = async (
  io: CliIo,
  count: number,
  started: (started: Started) => void,
): Promise<void> => {
  const signal = waitForSignal(io.signals)
  // The workers run with the server's heap setting, whether or not the primary was given it.
  cluster.setupPrimary({ execArgv: serverExecArgv(process.execArgv, process.env['NODE_OPTIONS']) })
  const workers = new Set<Worker>()
  let stopping = false
  const keep = (worker: Worker) => {
    workers.add(worker)
    worker.once('exit', (code, name) => {
      workers.delete(worker)
      if (stopping) return
      writeLine(io.stderr, `a worker stopped (${name ?? code}); starting another`)
      void sleep(1000).then(() =>
        stopping ? undefined : forkWorker().then(({ worker: w }) => keep(w)),
      )
    })
  }
  try {
    const first = await forkWorker()
    keep(first.worker)
    for (let i = 1; i < count; i++) keep((await forkWorker()).worker)
    started(first.listening.started)
  } catch (error) {
    signal.stop()
    for (const worker of workers) worker.kill('SIGTERM')
    throw new CliError(exitCodes.api, (error as Error).message)
  }
  writeLine(io.stderr, `${count} workers share the port`)
  const name = await signal.received
  stopping = true
  writeLine(io.stderr, `${name}: stopping ${workers.size} workers`)
  await stopAll(workers)
}

/** Each worker stops in order (it leaves the cluster, its clients go elsewhere). */
const stopAll = (workers: Iterable<Worker>): Promise<void[]> =>
  Promise.all(
    [...workers].map(
      (worker) =>
        new Promise<void>((resolve) => {
          worker.once('exit', () => resolve())
          worker.kill('SIGTERM')
        }),
    ),
  )

export const isWorker = (): boolean => cluster.isWorker
