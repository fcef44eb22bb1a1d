// The throttle around every password check (sign-in, and the current password of a change): per
// address and per client address, the same for unknown and known addresses, with each outcome
// reported for the log and metrics; app layer.
import { NarvaroError, isNarvaroError } from '../../core/errors.js'
import type { Clock } from '../../ports/clock.js'
import type { User } from '../../ports/store.js'
import { LoginThrottle } from './login-throttle.js'
import type { LoginThrottleLimits } from './login-throttle.js'
import { PasswordHasher, defaultHashCost, defaultHasherLimits } from './password-hasher.js'

export type SignInOutcome = 'success' | 'failure' | 'throttled' | 'busy'

/** One sign-in attempt (or a current password given to change it), for the log and metrics. */
export interface SignInEvent {
  readonly address: string
  readonly clientIp: string
  readonly outcome: SignInOutcome
  /** Why it failed, for the operator's log only (never the password; never told the client). */
  readonly reason?: string
}

export const defaultLoginLimits: {
  readonly address: LoginThrottleLimits
  readonly client: LoginThrottleLimits
} = {
  address: { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 900_000, maxKeys: 50_000 },
  client: { freeFailures: 20, baseDelayMs: 1000, maxDelayMs: 900_000, maxKeys: 50_000 },
}

/** The limits and the argon2 pool and cost from settings (NARVARO_LOGIN_*, NARVARO_PASSWORD_HASH_*). */
export const loginLimitsOf = (settings: {
  readonly loginFreeFailures?: number
  readonly loginClientFreeFailures?: number
  readonly loginMaxDelayMs?: number
  readonly passwordHashConcurrency?: number
  readonly passwordHashQueue?: number
  readonly passwordHashMemoryMib?: number
  readonly passwordHashPasses?: number
}): { limits: typeof defaultLoginLimits; hasher: PasswordHasher } => {
  const { address, client } = defaultLoginLimits
  const maxDelayMs = settings.loginMaxDelayMs ?? address.maxDelayMs
  return {
    limits: {
      address: {
        ...address,
        maxDelayMs,
        freeFailures: settings.loginFreeFailures ?? address.freeFailures,
      },
      client: {
        ...client,
        maxDelayMs,
        freeFailures: settings.loginClientFreeFailures ?? client.freeFailures,
      },
    },
    hasher: new PasswordHasher(
      {
        concurrency: settings.passwordHashConcurrency ?? defaultHasherLimits.concurrency,
        maxWaiting: settings.passwordHashQueue ?? defaultHasherLimits.maxWaiting,
      },
      {
        memoryMib: settings.passwordHashMemoryMib ?? defaultHashCost.memoryMib,
        passes: settings.passwordHashPasses ?? defaultHashCost.passes,
      },
    ),
  }
}

/** What a password check found; `reason` says why it failed. */
export interface Verified {
  readonly user?: User
  readonly ok: boolean
  readonly reason?: string
}

export class SignInGuard {
  private readonly byAddress: LoginThrottle
  private readonly byClient: LoginThrottle

  constructor(
    clock: Clock,
    limits: { readonly address: LoginThrottleLimits; readonly client: LoginThrottleLimits },
    private readonly onSignIn?: (event: SignInEvent) => void,
  ) {
    this.byAddress = new LoginThrottle(clock, limits.address)
    this.byClient = new LoginThrottle(clock, limits.client)
  }

  /**
   * Runs `verify` unless the address or the client is waiting out its back-off (then
   * `NRV_RATE_LIMITED` at once, with no argon2 work); a wrong password counts against both.
   */
  async check(
    attempt: { readonly address: string; readonly clientIp?: string; readonly signIn: boolean },
    verify: () => Promise<Verified>,
  ): Promise<User> {
    const { address, clientIp = 'unknown' } = attempt
    const report = (outcome: SignInOutcome, reason?: string) =>
      this.onSignIn?.({ address, clientIp, outcome, ...(reason ? { reason } : {}) })
    const waitMs = Math.max(this.byAddress.waitMs(address), this.byClient.waitMs(clientIp))
    if (waitMs > 0) {
      report('throttled', 'waiting out the back-off')
      throw new NarvaroError('NRV_RATE_LIMITED', 'too many sign-in attempts; retry later', {
        details: { retryAfterMs: waitMs },
      })
    }
    const forAddress = this.byAddress.begin(address)
    const forClient = this.byClient.begin(clientIp)
    let verified: Verified
    try {
      verified = await verify()
    } catch (error) {
      forAddress.abandoned()
      forClient.abandoned()
      const busy = isNarvaroError(error) && error.code === 'NRV_BUSY'
      report(busy ? 'busy' : 'failure', busy ? 'argon2 queue full' : 'error')
      throw error
    }
    if (!verified.ok || !verified.user) {
      forAddress.failed()
      forClient.failed()
      report('failure', verified.reason)
      // A wrong current password is not a bad token: 403, so that clients keep their sign-in.
      if (!attempt.signIn) throw new NarvaroError('NRV_FORBIDDEN', 'the current password is wrong')
      throw new NarvaroError('NRV_UNAUTHENTICATED', 'wrong address or password')
    }
    forAddress.succeeded()
    // A success does not clear the client's count: one own account must not reset a spray.
    forClient.abandoned()
    report('success')
    return verified.user
  }
}
