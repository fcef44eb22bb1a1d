// Unit (real SQLite store): a token's last use is written behind the requests that use it, at most
// once a minute, gathered for a second into one transaction; no request waits for it, a failing
// write is reported and never fails a request, a revoked token's pending use is not written, and
// what is still gathering is written when the service stops.
import { afterEach, describe, expect, it } from 'vitest'
import { FixedClock } from '../../../src/adapters/clock/fixed-clock.js'
import { openSqliteStore } from '../../../src/adapters/store/sqlite/sqlite-store.js'
import { AuthService } from '../../../src/app/accounts/auth-service.js'
import { touchEveryMs, touchWriteAfterMs } from '../../../src/app/accounts/token-touches.js'
import { acmeIn } from '../../support/services-fixture.js'

const t0 = Date.UTC(2026, 11, 7, 9, 0, 0)

const stops: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop()
})

const world = async (options: { failWrites?: boolean } = {}) => {
  const store = await openSqliteStore({ file: ':memory:' })
  await store.migrate()
  const clock = new FixedClock(t0)
  const writes: number[] = []
  const errors: unknown[] = []
  const counted = new Proxy(store, {
    get(target, key, receiver) {
      if (key !== 'touchTokens') return Reflect.get(target, key, receiver) as unknown
      return async (touches: ReadonlyMap<string, number>) => {
        writes.push(touches.size)
        if (options.failWrites) throw new Error('disk full')
        return target.touchTokens(touches)
      }
    },
  })
  const auth = new AuthService({ store: counted, clock, onError: (e) => errors.push(e) })
  stops.push(() => store.close())
  const user = await (await acmeIn(store, { refresh: async () => undefined })).person('amy')
  const lastUsed = async (tokenId: string) =>
    (await store.listTokens(user.id)).find((t) => t.id === tokenId)?.lastUsedAt
  return { store, clock, auth, user, writes, errors, lastUsed }
}

describe("a token's last use", () => {
  it('is written a second after the first use, for many tokens in one write', async () => {
    const { auth, user, clock, writes, lastUsed } = await world()
    const tokens = await Promise.all(['a', 'b', 'c'].map((name) => auth.issueToken(user, { name })))
    for (const { secret } of tokens) await auth.authenticate(secret)
    expect(writes).toEqual([])
    expect(await lastUsed(tokens[0]!.token.id)).toBeUndefined()
    clock.advance(touchWriteAfterMs)
    await auth.stop() // waits for the write the timer began, and writes nothing more
    expect(writes).toEqual([3])
    for (const { token } of tokens) expect(await lastUsed(token.id)).toBe(t0)
  })

  it('is written again only once a minute has passed', async () => {
    const { auth, user, clock, writes, lastUsed } = await world()
    const { secret, token } = await auth.issueToken(user, { name: 'a' })
    await auth.authenticate(secret)
    clock.advance(touchWriteAfterMs)
    await auth.authenticate(secret)
    clock.advance(touchEveryMs - touchWriteAfterMs)
    await auth.authenticate(secret)
    clock.advance(1)
    await auth.authenticate(secret)
    await auth.stop()
    expect(writes).toEqual([1, 1])
    expect(await lastUsed(token.id)).toBe(t0 + touchEveryMs + 1)
  })

  it('of a revoked token is not written, and what still gathers is written at the stop', async () => {
    const { auth, user, writes, lastUsed } = await world()
    const kept = await auth.issueToken(user, { name: 'kept' })
    const revoked = await auth.issueToken(user, { name: 'revoked' })
    await auth.authenticate(kept.secret)
    await auth.authenticate(revoked.secret)
    await auth.revokeToken(user, revoked.token.id)
    await auth.stop()
    expect(writes).toEqual([1])
    expect(await lastUsed(kept.token.id)).toBe(t0)
    expect(await lastUsed(revoked.token.id)).toBeUndefined()
  })

  it('that fails to be written is reported, and the requests went through', async () => {
    const { auth, user, writes, errors } = await world({ failWrites: true })
    const { secret } = await auth.issueToken(user, { name: 'a' })
    expect((await auth.authenticate(secret)).user.address).toBe('amy@acme.example')
    await auth.stop()
    expect(writes).toEqual([1])
    expect(errors).toEqual([new Error('disk full')])
  })
})
