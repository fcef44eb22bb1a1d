// Expands calendars in a worker thread (one, started on first use, restarted after a failure), so a
// large or hostile file costs a worker's time, never the event loop that serves everyone; app layer.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { ErrorCode } from '../../core/errors.js'
import { NarvaroError, errorTable } from '../../core/errors.js'
import type { CalendarExpansion } from './calendar-occurrence.js'
import type { CalendarExpansionOptions } from './expand-calendar.js'
import { expandCalendar } from './expand-calendar.js'

/** Expands an iCalendar text for a window, however it does it. */
export type CalendarExpander = (
  ics: string,
  options: CalendarExpansionOptions,
) => Promise<CalendarExpansion>

/** In the calling thread: for tests run from the TypeScript sources, where no worker script exists. */
export const inThreadExpander: CalendarExpander = (ics, options) =>
  new Promise((resolve) => resolve(expandCalendar(ics, options)))

interface Reply {
  readonly id: number
  readonly ok: boolean
  readonly expansion?: CalendarExpansion
  readonly code?: string
  readonly message?: string
}

interface Pending {
  readonly resolve: (expansion: CalendarExpansion) => void
  readonly reject: (error: Error) => void
  readonly timer: NodeJS.Timeout
}

export class WorkerExpander {
  private worker: Worker | undefined
  private readonly pending = new Map<number, Pending>()
  private next = 0

  /** `timeoutMs`: a file that takes longer is refused and the worker replaced. */
  constructor(
    private readonly script: URL,
    private readonly timeoutMs = 30_000,
  ) {}

  readonly expand: CalendarExpander = (ics, options) =>
    new Promise((resolve, reject) => {
      const id = this.next++
      const timer = setTimeout(() => this.timedOut(id), this.timeoutMs)
      this.pending.set(id, { resolve, reject, timer })
      this.started().postMessage({ id, ics, options })
    })

  async close(): Promise<void> {
    const worker = this.worker
    this.worker = undefined
    this.failAll(new NarvaroError('NRV_SHUTTING_DOWN', 'the server is shutting down'))
    await worker?.terminate()
  }

  private started(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(this.script)
    worker.unref()
    worker.on('message', (reply: Reply) => this.settle(reply))
    worker.on('error', (error) => this.lost(worker, error))
    worker.on('exit', (code) => this.lost(worker, new Error(`calendar worker exited (${code})`)))
    this.worker = worker
    return worker
  }

  private settle(reply: Reply): void {
    const pending = this.pending.get(reply.id)
    if (!pending) return
    this.pending.delete(reply.id)
    clearTimeout(pending.timer)
    if (reply.ok && reply.expansion) return pending.resolve(reply.expansion)
    const known = reply.code !== undefined && Object.hasOwn(errorTable, reply.code)
    const code: ErrorCode = known ? (reply.code as ErrorCode) : 'NRV_INTERNAL'
    pending.reject(new NarvaroError(code, reply.message ?? 'the calendar could not be read'))
  }

  private timedOut(id: number): void {
    const pending = this.pending.get(id)
    if (!pending) return
    this.pending.delete(id)
    const message = `reading the calendar took longer than ${this.timeoutMs / 1000} s`
    pending.reject(new NarvaroError('NRV_VALIDATION', message))
    // The worker is stuck in that file: replace it (what else it held fails and may be tried again).
    const worker = this.worker
    this.worker = undefined
    this.failAll(new NarvaroError('NRV_INTERNAL', 'the calendar worker was restarted'))
    void worker?.terminate()
  }

  private lost(worker: Worker, error: Error): void {
    if (this.worker !== worker) return
    this.worker = undefined
    this.failAll(new NarvaroError('NRV_INTERNAL', 'the calendar worker stopped', { cause: error }))
  }

  private failAll(error: Error): void {
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer)
      reject(error)
    }
    this.pending.clear()
  }
}

/**
 * The worker when the built worker script is there (the server runs from dist/), else in-thread
 * (tests that run the TypeScript sources). The caller closes what it gets.
 */
export const defaultExpander = (): { expand: CalendarExpander; close: () => Promise<void> } => {
  const script = new URL('./expansion-worker.js', import.meta.url)
  if (!existsSync(fileURLToPath(script))) return { expand: inThreadExpander, close: async () => {} }
  const expander = new WorkerExpander(script)
  return { expand: expander.expand, close: () => expander.close() }
}
