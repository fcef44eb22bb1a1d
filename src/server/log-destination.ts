// Where log lines go: a file descriptor (stdout) written without ever blocking the event loop; lines
// are dropped, never waited for, when the reader is slow or gone (EPIPE); composition root.
import { write, writeSync } from 'node:fs'

/** Bytes of log lines kept while the reader is slow; beyond it, new lines are dropped. */
export const defaultLogBufferBytes = 4 * 1024 * 1024

const retryAfterMs = 10

/**
 * A pino destination on a file descriptor. pino's default (sonic-boom, synchronous) waits in
 * `Atomics.wait` for a full or broken pipe, so `narvaro serve | head -1` stopped the whole server:
 * here writes are asynchronous, the buffer is bounded, and a closed reader ends logging for good.
 */
export class LogDestination {
  private queue: Buffer[] = []
  private queuedBytes = 0
  private writing = false
  private closed = false
  /** Lines not written (a slow or closed reader); for the curious, not reported anywhere. */
  dropped = 0

  constructor(
    private readonly fd = 1,
    private readonly maxBytes = defaultLogBufferBytes,
  ) {}

  write(line: string): boolean {
    const chunk = Buffer.from(line)
    if (this.closed || this.queuedBytes + chunk.length > this.maxBytes) {
      this.dropped++
      return true
    }
    this.queue.push(chunk)
    this.queuedBytes += chunk.length
    if (!this.writing) this.next()
    return true
  }

  /** At exit: one attempt to write what is queued; never loops, never waits for the reader. */
  flushSync(): void {
    if (this.closed || this.writing || this.queue.length === 0) return
    try {
      writeSync(this.fd, Buffer.concat(this.queue))
    } catch {
      // the reader is gone or slow: the remaining lines are dropped
    }
    this.drop()
  }

  private next(): void {
    const chunk = this.queue.length > 1 ? Buffer.concat(this.queue) : this.queue[0]
    if (!chunk) return
    this.queue = []
    this.writing = true
    write(this.fd, chunk, 0, chunk.length, null, (error, count) =>
      this.written(chunk, error, count),
    )
  }

  private written(chunk: Buffer, error: NodeJS.ErrnoException | null, count: number): void {
    this.writing = false
    if (error?.code === 'EAGAIN') {
      this.queue.unshift(chunk)
      this.writing = true
      setTimeout(() => this.next(), retryAfterMs).unref()
      return
    }
    if (error) {
      // EPIPE (the reader went away) or a bad descriptor: logging ends, the server goes on.
      this.closed = true
      this.drop()
      return
    }
    this.queuedBytes -= count
    if (count < chunk.length) this.queue.unshift(chunk.subarray(count))
    if (this.queue.length > 0) this.next()
  }

  private drop(): void {
    this.dropped += this.queue.length
    this.queue = []
    this.queuedBytes = 0
  }
}
