// A stand-in for the browser's `navigator.locks` (exclusive locks, granted in order of request, given
// up when the holder's callback settles or its request is aborted while waiting); test support.
import type { LocksLike } from '../../packages/sdk/src/browser/index.js'

interface Waiting {
  readonly signal: AbortSignal
  readonly callback: () => Promise<void>
  readonly done: (value: unknown) => void
}

export class FakeLocks implements LocksLike {
  private readonly waiting: Waiting[] = []
  private held = false

  request(
    _name: string,
    options: { signal: AbortSignal },
    callback: () => Promise<void>,
  ): Promise<unknown> {
    return new Promise((done) => {
      this.waiting.push({ signal: options.signal, callback, done })
      this.grant()
    })
  }

  private grant(): void {
    if (this.held) return
    const next = this.waiting.shift()
    if (!next) return
    if (next.signal.aborted) return this.grant()
    this.held = true
    void next.callback().finally(() => {
      this.held = false
      next.done(undefined)
      this.grant()
    })
  }
}
