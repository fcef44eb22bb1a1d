// argon2 work, bounded: a few hashes at a time and a short waiting line; beyond it a request is
// refused at once (`NRV_BUSY`) rather than queued, so a flood cannot starve the server; app layer.
import argon2 from 'argon2'
import { NarvaroError } from '../../core/errors.js'
import type { ScramCredentials } from '../../ports/store.js'
import { deriveScramKeys } from './scram-keys.js'

export interface PasswordHasherLimits {
  /** argon2 computations at once (each uses one thread of libuv's pool). */
  readonly concurrency: number
  /** Computations waiting for a free slot; more are refused. */
  readonly maxWaiting: number
}

export const defaultHasherLimits: PasswordHasherLimits = { concurrency: 2, maxWaiting: 16 }

/** The argon2id cost of new hashes; a stored hash carries its own, so older ones still verify. */
export interface PasswordHashCost {
  /** Memory per computation, MiB. */
  readonly memoryMib: number
  /** Passes over that memory (argon2's time cost). */
  readonly passes: number
}

/** argon2's own defaults (64 MiB, 3 passes), the cost of every hash made before it was a setting. */
export const defaultHashCost: PasswordHashCost = { memoryMib: 64, passes: 3 }

/** OWASP's minimum for argon2id (19 MiB, 2 passes): no setting goes below it. */
export const minimumHashCost: PasswordHashCost = { memoryMib: 19, passes: 2 }

/** What a refused caller is told to wait: about the time of one round of argon2 work. */
const busyRetryMs = 1000

export class PasswordHasher {
  private running = 0
  private readonly waiting: (() => void)[] = []

  private readonly options: { type: typeof argon2.argon2id; memoryCost: number; timeCost: number }

  constructor(
    private readonly limits: PasswordHasherLimits = defaultHasherLimits,
    cost: PasswordHashCost = defaultHashCost,
  ) {
    if (cost.memoryMib < minimumHashCost.memoryMib || cost.passes < minimumHashCost.passes)
      throw new RangeError(
        `argon2 cost below the minimum (${minimumHashCost.memoryMib} MiB, ${minimumHashCost.passes} passes)`,
      )
    this.options = {
      type: argon2.argon2id,
      memoryCost: cost.memoryMib * 1024,
      timeCost: cost.passes,
    }
  }

  hash(password: string): Promise<string> {
    return this.run(() => argon2.hash(password, this.options))
  }

  /**
   * What the store keeps of a new password: its argon2 hash and its SCRAM keys, computed in one slot
   * of the pool (two slots at once could refuse a caller that one slot serves).
   */
  record(password: string): Promise<{ passwordHash: string; scram: ScramCredentials | null }> {
    return this.run(async () => {
      const [passwordHash, scram] = await Promise.all([
        argon2.hash(password, this.options),
        deriveScramKeys(password),
      ])
      return { passwordHash, scram: scram ?? null }
    })
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.run(() => argon2.verify(hash, password))
  }

  /** Computations running and waiting now. */
  get load(): { readonly running: number; readonly waiting: number } {
    return { running: this.running, waiting: this.waiting.length }
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.concurrency) {
      if (this.waiting.length >= this.limits.maxWaiting) {
        throw new NarvaroError('NRV_BUSY', 'too many sign-ins at once; retry in a moment', {
          details: { retryAfterMs: busyRetryMs },
        })
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    } else {
      this.running += 1
    }
    try {
      return await work()
    } finally {
      // The slot passes straight to the next waiter, so `running` never exceeds the limit.
      const next = this.waiting.shift()
      if (next) next()
      else this.running -= 1
    }
  }
}
