// Unit: the sign-in back-off, the bounded argon2 pool and the password policy.
import { describe, expect, it } from 'vitest'
import { FixedClock } from '../../../src/adapters/clock/fixed-clock.js'
import { LoginThrottle } from '../../../src/app/accounts/login-throttle.js'
import { PasswordHasher, defaultHasherLimits } from '../../../src/app/accounts/password-hasher.js'
import { generatePassword } from '../../../src/app/accounts/auth-service.js'
import { passwordProblem } from '../../../src/app/accounts/password-policy.js'

const limits = { freeFailures: 2, baseDelayMs: 1000, maxDelayMs: 8000, maxKeys: 3 }

describe('LoginThrottle', () => {
  it('after the free failures each further one waits twice as long, up to the maximum', () => {
    const clock = new FixedClock(0)
    const throttle = new LoginThrottle(clock, limits)
    const waits = []
    for (let i = 0; i < 6; i++) {
      clock.advance(throttle.waitMs('a'))
      throttle.begin('a').failed()
      waits.push(throttle.waitMs('a'))
    }
    expect(waits).toEqual([0, 1000, 2000, 4000, 8000, 8000])
  })

  it('attempts in flight count, so parallel attempts get no more guesses', () => {
    const throttle = new LoginThrottle(new FixedClock(0), limits)
    throttle.begin('a')
    throttle.begin('a')
    expect(throttle.waitMs('a')).toBeGreaterThan(0)
  })

  it('keeps at most maxKeys keys', () => {
    const throttle = new LoginThrottle(new FixedClock(0), limits)
    for (const key of ['a', 'b', 'c', 'd', 'e']) throttle.begin(key).failed()
    expect(throttle.size).toBe(3)
  })
})

describe('PasswordHasher', () => {
  it('refuses at once with NRV_BUSY beyond its concurrency and waiting line', async () => {
    const hasher = new PasswordHasher({ concurrency: 1, maxWaiting: 1 })
    const first = hasher.hash('first password here')
    const second = hasher.hash('second password here')
    await expect(hasher.hash('third password here')).rejects.toMatchObject({ code: 'NRV_BUSY' })
    await Promise.all([first, second])
    expect(hasher.load).toEqual({ running: 0, waiting: 0 })
  })

  it('hashes at its cost, verifies hashes of any cost, and refuses a cost below the minimum', async () => {
    const floor = new PasswordHasher(defaultHasherLimits, { memoryMib: 19, passes: 2 })
    const production = new PasswordHasher()
    const cheap = await floor.hash('a long enough password')
    const dear = await production.hash('a long enough password')
    expect(cheap).toMatch(/^\$argon2id\$v=19\$m=19456,p=4,t=2\$/)
    expect(dear).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/)
    // A stored hash carries its own cost: changing the setting keeps every password working.
    expect(await floor.verify(dear, 'a long enough password')).toBe(true)
    expect(await production.verify(cheap, 'a long enough password')).toBe(true)
    expect(await production.verify(cheap, 'another password')).toBe(false)
    expect(() => new PasswordHasher(defaultHasherLimits, { memoryMib: 18, passes: 2 })).toThrow(
      RangeError,
    )
    expect(() => new PasswordHasher(defaultHasherLimits, { memoryMib: 19, passes: 1 })).toThrow(
      RangeError,
    )
  })
})

describe('password policy', () => {
  it('refuses short and common passwords, and accepts generated ones', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/)
    expect(passwordProblem('qwertyuiop123')).toMatch(/common/)
    expect(passwordProblem('Dragon2024!!!!')).toMatch(/common/)
    expect(passwordProblem('abcabcabcabc')).toMatch(/common/)
    expect(passwordProblem('correct horse battery staple')).toBeUndefined()
    for (let i = 0; i < 50; i++) expect(passwordProblem(generatePassword())).toBeUndefined()
  })
})
