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

/** What a refused caller is told to wait: about the time of one round of argon2 work. */
const busyRetryMs = 1000

export class PasswordHasher {
  private running = 0
  private readonly waiting: (() => void)[] = []

  constructor(private readonly limits: PasswordHasherLimits = defaultHasherLimits) {}

  hash(password: string): Promise<string> {
    return this.run(() => argon2.hash(password, { type: argon2.argon2id }))
  }

  /**
   * What the store keeps of a new password: its argon2 hash and its SCRAM keys, computed in one slot
   * of the pool (two slots at once could refuse a caller that one slot serves).
   */
  record(password: string): Promise<{ passwordHash: string; scram: ScramCredentials | null }> {
    return this.run(async () => {
      const [passwordHash, scram] = await Promise.all([
        argon2.hash(password, { type: argon2.argon2id }),
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
