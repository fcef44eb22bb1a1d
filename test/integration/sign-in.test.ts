// Integration: sign-in that resists guessing — back-off per address and per client address, a
// bounded argon2 pool, the log-free counts in /metrics — over the real server.
import { describe, expect, it } from 'vitest'
import { useServer } from '../support/harness-fixture.js'
import { addUsersFast } from '../support/direct-users.js'
import { loginFrom } from '../support/login-from.js'
import {
  addUsers,
  api,
  domain,
  passwordOf,
  productionPasswordCost,
} from '../support/server-harness.js'

// argon2 at its production cost: the pool and the throttle are tested against the real work.
const server = useServer(productionPasswordCost)
const at = (name: string) => `${name}@${domain}`
const wrong = (name: string) => ({ address: at(name), password: 'not the password at all' })

const count = (statuses: readonly number[], status: number) =>
  statuses.filter((s) => s === status).length

describe('sign-in throttling', () => {
  it('100 parallel wrong logins leave a correct login fast and end in 429', async () => {
    const h = await server.start()
    await addUsersFast(h.server.services, ['amy', 'bo'], { passwords: true })
    const flood = Array.from({ length: 100 }, () => loginFrom(h.url, '127.0.0.1', wrong('amy')))
    // Bo signs in from another client while the flood is under way.
    const bo = await loginFrom(h.url, '127.0.0.2', {
      address: at('bo'),
      password: passwordOf('bo'),
    })
    const statuses = (await Promise.all(flood)).map((r) => r.status)
    expect(bo.status).toBe(200)
    // Attempts in flight count: the flood got at most the 5 free guesses of argon2 work (within the
    // pool of 2 + 16), so Bo's check was never queued behind more than those, nor refused.
    expect(count(statuses, 401)).toBeLessThanOrEqual(5)
    expect(count(statuses, 401) + count(statuses, 429)).toBe(100)
    expect(count(statuses, 503)).toBe(0)
    const after = await loginFrom(h.url, '127.0.0.3', wrong('amy'))
    expect(after.status).toBe(429)
    expect(after.body['code']).toBe('NRV_RATE_LIMITED')
    expect(Number(after.retryAfter)).toBeGreaterThanOrEqual(1)
    expect((after.body['details'] as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0)
    // Even the right password waits out the back-off of the address.
    const right = await loginFrom(h.url, '127.0.0.4', {
      address: at('amy'),
      password: passwordOf('amy'),
    })
    expect(right.status).toBe(429)
  })

  it('an unknown address is limited exactly like a known one', async () => {
    const h = await server.start()
    await addUsersFast(h.server.services, ['amy'], { passwords: true })
    const replies = async (name: string) => {
      const out = []
      for (let i = 0; i < 6; i++) out.push(await loginFrom(h.url, '127.0.0.5', wrong(name)))
      return out.map((r) => [r.status, r.body['code'], r.body['message']])
    }
    expect(await replies('amy')).toEqual(await replies('zed'))
    expect((await replies('nobody'))[5]?.[0]).toBe(429)
  })

  it('a successful sign-in clears the failures of its address', async () => {
    const h = await server.start()
    await addUsersFast(h.server.services, ['amy'], { passwords: true })
    for (let i = 0; i < 4; i++)
      expect((await loginFrom(h.url, '127.0.0.6', wrong('amy'))).status).toBe(401)
    const ok = await loginFrom(h.url, '127.0.0.6', {
      address: at('amy'),
      password: passwordOf('amy'),
    })
    expect(ok.status).toBe(200)
    for (let i = 0; i < 5; i++)
      expect((await loginFrom(h.url, '127.0.0.6', wrong('amy'))).status).toBe(401)
    expect((await loginFrom(h.url, '127.0.0.6', wrong('amy'))).status).toBe(429)
  })

  it('one client address guessing many addresses is limited too', async () => {
    const h = await server.start({ env: { NARVARO_LOGIN_CLIENT_FREE_FAILURES: '3' } })
    for (const name of ['a1', 'a2', 'a3']) {
      expect((await loginFrom(h.url, '127.0.0.7', wrong(name))).status).toBe(401)
    }
    expect((await loginFrom(h.url, '127.0.0.7', wrong('a4'))).status).toBe(429)
    // Another client is not affected.
    expect((await loginFrom(h.url, '127.0.0.8', wrong('a4'))).status).toBe(401)
  })

  it('beyond the argon2 pool and its waiting line a sign-in is refused at once with 503 NRV_BUSY', async () => {
    const h = await server.start({
      env: { NARVARO_PASSWORD_HASH_CONCURRENCY: '1', NARVARO_PASSWORD_HASH_QUEUE: '0' },
    })
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => loginFrom(h.url, `127.0.1.${i + 1}`, wrong(`p${i}`))),
    )
    const busy = replies.filter((r) => r.status === 503)
    expect(busy.length).toBeGreaterThan(0)
    expect(busy[0]!.body['code']).toBe('NRV_BUSY')
    expect(Number(busy[0]!.retryAfter)).toBeGreaterThanOrEqual(1)
    expect(replies.every((r) => r.status === 503 || r.status === 401)).toBe(true)
  })

  it('sign-ins are counted by outcome in /metrics', async () => {
    const h = await server.start()
    await addUsers(h.url, ['amy'])
    await loginFrom(h.url, '127.0.0.9', wrong('amy'))
    const metrics = await fetch(`${h.url}/metrics`).then((r) => r.text())
    expect(metrics).toMatch(/narvaro_logins_total\{outcome="success"\} [1-9]/)
    expect(metrics).toMatch(/narvaro_logins_total\{outcome="failure"\} 1\b/)
    expect(metrics).not.toContain('not the password at all')
  })
})

describe('one-time passwords', () => {
  it('a password set by an admin signs in once, and the token can only change it', async () => {
    const h = await server.start()
    const { admin } = await addUsersFast(h.server.services, [])
    const added = await api<{ password: string }>(h.url, {
      path: '/v1/users',
      token: admin,
      body: { address: 'dave' },
    })
    const oneTime = added.body.password
    const first = await api<{ token: string; mustChangePassword: boolean }>(h.url, {
      path: '/v1/auth/login',
      body: { address: at('dave'), password: oneTime },
    })
    expect(first.body.mustChangePassword).toBe(true)
    const token = first.body.token
    const me = await api(h.url, { path: '/v1/me', token })
    expect([me.status, me.body['code']]).toEqual([403, 'NRV_PASSWORD_CHANGE_REQUIRED'])
    const again = await api(h.url, {
      path: '/v1/auth/login',
      body: { address: at('dave'), password: oneTime },
    })
    expect(again.status).toBe(401)
    const change = (newPassword: string) =>
      api(h.url, {
        method: 'PUT',
        path: '/v1/me/password',
        token,
        body: { currentPassword: oneTime, newPassword },
      })
    for (const weak of ['Password1234!', 'short', 'qwertyuiop123']) {
      const refused = await change(weak)
      expect([refused.status, refused.body['code']]).toEqual([400, 'NRV_PASSWORD_WEAK'])
      expect(JSON.stringify(refused.body)).not.toContain(weak)
    }
    expect((await change('dave owns this one now')).status).toBe(200)
    expect((await api(h.url, { path: '/v1/me', token })).status).toBe(200)
    const own = await api(h.url, {
      path: '/v1/auth/login',
      body: { address: at('dave'), password: 'dave owns this one now' },
    })
    expect([own.status, own.body['mustChangePassword']]).toEqual([200, false])
  })

  it("the first admin's generated password is one-time; NARVARO_ADMIN_PASSWORD is not", async () => {
    const h = await server.start()
    const own = await api(h.url, {
      path: '/v1/auth/login',
      body: { address: `admin@${domain}`, password: 'correct horse battery staple' },
    })
    expect(own.body['mustChangePassword']).toBe(false)
    const other = await h.server.services.auth.initialize({ domain: 'other.example' })
    const generated = await api(h.url, {
      path: '/v1/auth/login',
      body: { address: 'admin@other.example', password: other.generatedPassword },
    })
    expect(generated.body['mustChangePassword']).toBe(true)
  })

  it("an admin's reset revokes the user's tokens and gives a one-time password", async () => {
    const h = await server.start()
    const { admin, tokens } = await addUsersFast(h.server.services, ['amy'], { passwords: true })
    const reset = await api<{ password: string }>(h.url, {
      method: 'PUT',
      path: `/v1/users/${at('amy')}/password`,
      token: admin,
      body: {},
    })
    expect(reset.status).toBe(200)
    expect((await api(h.url, { path: '/v1/me', token: tokens['amy']! })).status).toBe(401)
    const signIn = await api(h.url, {
      path: '/v1/auth/login',
      body: { address: at('amy'), password: reset.body.password },
    })
    expect(signIn.body['mustChangePassword']).toBe(true)
  })
})

describe('changing my password', () => {
  it('needs the current password, and may revoke my other tokens', async () => {
    const h = await server.start()
    const { tokens } = await addUsersFast(h.server.services, ['amy'], { passwords: true })
    const other = tokens['amy']!
    const second = await api<{ token: string }>(h.url, {
      path: '/v1/auth/login',
      body: { address: at('amy'), password: passwordOf('amy') },
    })
    const mine = second.body.token
    const put = (body: Record<string, unknown>) =>
      api(h.url, { method: 'PUT', path: '/v1/me/password', token: mine, body })
    const wrongCurrent = await put({
      currentPassword: 'not my password',
      newPassword: 'amy has a new secret',
    })
    expect([wrongCurrent.status, wrongCurrent.body['code']]).toEqual([403, 'NRV_FORBIDDEN'])
    const changed = await put({
      currentPassword: passwordOf('amy'),
      newPassword: 'amy has a new secret',
      revokeOtherTokens: true,
    })
    expect(changed.body).toEqual({ address: at('amy'), revokedTokens: 1 })
    expect((await api(h.url, { path: '/v1/me', token: other })).status).toBe(401)
    expect((await api(h.url, { path: '/v1/me', token: mine })).status).toBe(200)
  })

  it('a wrong current password counts as a failed sign-in', async () => {
    const h = await server.start()
    const { tokens } = await addUsersFast(h.server.services, ['amy'], { passwords: true })
    const put = () =>
      api(h.url, {
        method: 'PUT',
        path: '/v1/me/password',
        token: tokens['amy']!,
        body: { currentPassword: 'not my password', newPassword: 'amy has a new secret' },
      })
    for (let i = 0; i < 5; i++) expect((await put()).status).toBe(403)
    expect((await put()).status).toBe(429)
    const signIn = await api(h.url, {
      path: '/v1/auth/login',
      body: { address: at('amy'), password: passwordOf('amy') },
    })
    expect(signIn.status).toBe(429)
  })

  it('PATCH /v1/me no longer changes a password without the current one', async () => {
    const h = await server.start()
    const { tokens } = await addUsersFast(h.server.services, ['amy'], { passwords: true })
    const patch = await api(h.url, {
      method: 'PATCH',
      path: '/v1/me',
      token: tokens['amy']!,
      body: { password: 'a brand new password' },
    })
    expect(patch.status).toBe(400)
  })
})
