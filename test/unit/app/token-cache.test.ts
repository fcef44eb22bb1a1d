// Unit (real SQLite store, real in-process bus): verified tokens are cached, and the cache never
// outlives what it caches: a token's expiry, its revocation or its account's change, made on this
// node or told by another through the change channel, and a lookup that overlapped such a change.
import { afterEach, describe, expect, it } from 'vitest'
import { InProcessChangeBus } from '../../../src/adapters/bus/in-process/in-process-bus.js'
import { FixedClock } from '../../../src/adapters/clock/fixed-clock.js'
import { openSqliteStore } from '../../../src/adapters/store/sqlite/sqlite-store.js'
import { AuthService } from '../../../src/app/accounts/auth-service.js'
import type { TokenCacheLimits } from '../../../src/app/accounts/token-cache.js'
import { noPasswordHash } from '../../../src/app/shared/no-password.js'
import type { ChangeBus } from '../../../src/ports/bus.js'
import { LaggingBus } from '../../support/lagging-bus.js'

const t0 = Date.UTC(2026, 11, 5, 9, 0, 0)

const stops: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop()
})

/** Amy of Acme, in a fresh store. */
const amyOf = async (store: Awaited<ReturnType<typeof openSqliteStore>>) => {
  const organization = await store.createOrganization({
    domain: 'acme.example',
    name: 'Acme',
    createdAt: t0,
  })
  return store.createUser({
    organizationId: organization.id,
    address: 'amy@acme.example',
    displayName: 'Amy',
    role: 'member',
    timeZone: 'UTC',
    passwordHash: noPasswordHash,
    createdAt: t0,
  })
}

const world = async (options: { limits?: TokenCacheLimits; bus?: ChangeBus } = {}) => {
  const store = await openSqliteStore({ file: ':memory:' })
  await store.migrate()
  const clock = new FixedClock(t0)
  const bus = options.bus ?? new InProcessChangeBus()
  /** The store's token lookups, counted; `gate`, when set, holds each lookup until it settles. */
  const reads = { count: 0, gate: undefined as Promise<void> | undefined }
  const counted = new Proxy(store, {
    get(target, key, receiver) {
      if (key !== 'findToken') return Reflect.get(target, key, receiver) as unknown
      return async (...args: Parameters<typeof store.findToken>) => {
        reads.count++
        const found = await target.findToken(...args)
        await reads.gate
        return found
      }
    },
  })
  const auth = new AuthService({
    store: counted,
    clock,
    bus,
    ...(options.limits ? { tokenCache: options.limits } : {}),
  })
  stops.push(
    () => auth.stop(),
    () => store.close(),
  )
  const user = await amyOf(store)
  return { store, clock, bus, reads, auth, user }
}

describe('the cache of verified tokens', () => {
  it('answers a token it verified without reading the store again, until its time is up', async () => {
    const { auth, user, reads, clock } = await world({
      limits: { maxEntries: 10, maxAgeMs: 5_000 },
    })
    const { secret } = await auth.issueToken(user, { name: 'a' })
    const first = await auth.authenticate(secret)
    expect((await auth.authenticate(secret)).user).toEqual(first.user)
    expect(reads.count).toBe(1)
    clock.advance(5_000)
    await auth.authenticate(secret)
    expect(reads.count).toBe(2)
  })

  it("holds a token's user without the account's secrets", async () => {
    const { auth, user, store } = await world()
    await store.updateUser(user.id, {
      passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g',
      sipDigest: { username: 'amy', realm: 'acme.example', md5: 'x', sha256: 'y', setAt: t0 },
    })
    const { secret } = await auth.issueToken(user, { name: 'a' })
    const found = await auth.authenticate(secret)
    expect(found.user).toMatchObject({ address: 'amy@acme.example', passwordHash: '!withheld' })
    expect(found.user.sipDigest).toBeUndefined()
    expect(JSON.stringify(await auth.authenticate(secret))).not.toMatch(/argon2|sha256/)
  })

  it('refuses a cached token from the moment it expires', async () => {
    const { auth, user, clock } = await world()
    const { secret } = await auth.issueToken(user, { name: 'short', ttlMs: 1_000 })
    await auth.authenticate(secret)
    clock.advance(999)
    await auth.authenticate(secret)
    clock.advance(1)
    await expect(auth.authenticate(secret)).rejects.toMatchObject({ code: 'NRV_UNAUTHENTICATED' })
  })

  it('obeys access and account events from other nodes', async () => {
    const { auth, user, store, bus, clock } = await world()
    const kept = await auth.issueToken(user, { name: 'kept' })
    const revoked = await auth.issueToken(user, { name: 'revoked' })
    await auth.authenticate(kept.secret)
    await auth.authenticate(revoked.secret)
    // Another node revoked one token and renamed Amy: the store says so, then its events arrive.
    await store.revokeToken(user.id, revoked.token.id, clock.now())
    await store.updateUser(user.id, { displayName: 'Amy Renamed' })
    expect((await auth.authenticate(kept.secret)).user.displayName).toBe('Amy')
    const at = { organizationId: user.organizationId, address: user.address }
    await bus.publish({
      type: 'access-ended',
      ...at,
      reason: 'token-revoked',
      tokenIds: [revoked.token.id],
    })
    await expect(auth.authenticate(revoked.secret)).rejects.toMatchObject({
      code: 'NRV_UNAUTHENTICATED',
    })
    expect((await auth.authenticate(kept.secret)).user.displayName).toBe('Amy')
    await bus.publish({ type: 'account-changed', ...at })
    expect((await auth.authenticate(kept.secret)).user.displayName).toBe('Amy Renamed')
    // A removed user: every token of theirs goes, whichever the event names.
    await store.deleteUser(user.id)
    await bus.publish({ type: 'access-ended', ...at, reason: 'user-removed', tokenIds: [] })
    await expect(auth.authenticate(kept.secret)).rejects.toMatchObject({
      code: 'NRV_UNAUTHENTICATED',
    })
  })

  it("forgets this node's own changes at once, before the change channel delivers them", async () => {
    const bus = new LaggingBus()
    const { auth, user } = await world({ bus })
    await auth.resetPassword(user, {
      actor: 'admin@acme.example',
      password: 'one time password here',
    })
    const { secret, token } = await auth.issueToken(user, { name: 'login' })
    await expect(auth.authenticate(secret)).rejects.toMatchObject({
      code: 'NRV_PASSWORD_CHANGE_REQUIRED',
    })
    const caller = await auth.authenticate(secret, { passwordChange: true })
    await auth.changeOwnPassword(caller, {
      currentPassword: 'one time password here',
      newPassword: 'a changed password here',
    })
    expect((await auth.authenticate(secret)).user.mustChangePassword).toBeFalsy()
    await auth.revokeToken(caller.user, token.id)
    await expect(auth.authenticate(secret)).rejects.toMatchObject({ code: 'NRV_UNAUTHENTICATED' })
    // Here the events are still held: what this node did, it forgot by itself.
    expect(bus.held.map((e) => e.type)).toEqual(['account-changed', 'account-changed'])
  })

  it('does not keep what a lookup read while the account changed', async () => {
    const { auth, user, store, bus, reads } = await world()
    const { secret } = await auth.issueToken(user, { name: 'a' })
    let open = () => {}
    reads.gate = new Promise((resolve) => (open = resolve))
    const during = auth.authenticate(secret)
    await new Promise((resolve) => setImmediate(resolve))
    await store.updateUser(user.id, { displayName: 'Amy Renamed' })
    await bus.publish({
      type: 'account-changed',
      organizationId: user.organizationId,
      address: user.address,
    })
    open()
    expect((await during).user.displayName).toBe('Amy')
    reads.gate = undefined
    expect((await auth.authenticate(secret)).user.displayName).toBe('Amy Renamed')
    expect(reads.count).toBe(2)
  })

  it('keeps at most maxEntries tokens, the oldest going first', async () => {
    const { auth, user, reads } = await world({ limits: { maxEntries: 2, maxAgeMs: 60_000 } })
    const secrets = []
    for (const name of ['a', 'b', 'c']) secrets.push((await auth.issueToken(user, { name })).secret)
    for (const secret of secrets) await auth.authenticate(secret)
    expect(reads.count).toBe(3)
    await auth.authenticate(secrets[2]!)
    await auth.authenticate(secrets[1]!)
    expect(reads.count).toBe(3)
    await auth.authenticate(secrets[0]!)
    expect(reads.count).toBe(4)
  })

  it('without a change channel, reads the store every time', async () => {
    const store = await openSqliteStore({ file: ':memory:' })
    await store.migrate()
    stops.push(() => store.close())
    const auth = new AuthService({ store, clock: new FixedClock(t0) })
    const user = await amyOf(store)
    const { secret, token } = await auth.issueToken(user, { name: 'a' })
    await auth.authenticate(secret)
    await store.revokeToken(user.id, token.id, t0)
    await expect(auth.authenticate(secret)).rejects.toMatchObject({ code: 'NRV_UNAUTHENTICATED' })
  })
})
