// Integration: the REST API over real HTTP — sign-in, tokens, users, presence, views, subscriptions,
// operations endpoints, and clear errors for bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Harness } from '../support/server-harness.js'
import { addUsers, api, domain, login, startHarness } from '../support/server-harness.js'

let h: Harness
let admin: string
let alice: string
let bob: string

beforeAll(async () => {
  h = await startHarness()
  const users = await addUsers(h.url, ['alice', 'bob'])
  admin = users.admin
  alice = users.tokens['alice']!
  bob = users.tokens['bob']!
})
afterAll(() => h.stop())

describe('authentication', () => {
  it('a wrong password gets 401 NRV_UNAUTHENTICATED, the same as an unknown address', async () => {
    const wrong = await api(h.url, {
      path: '/v1/auth/login',
      body: { address: `alice@${domain}`, password: 'nope' },
    })
    const unknown = await api(h.url, {
      path: '/v1/auth/login',
      body: { address: `zed@${domain}`, password: 'nope' },
    })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(wrong.body).toEqual(unknown.body)
    expect(wrong.body['code']).toBe('NRV_UNAUTHENTICATED')
  })

  it('every API call needs a valid token', async () => {
    for (const token of [undefined, 'nrv_forged', 'garbage']) {
      const reply = await api(h.url, { path: '/v1/me', ...(token ? { token } : {}) })
      expect(reply.status).toBe(401)
      expect(reply.body['code']).toBe('NRV_UNAUTHENTICATED')
    }
  })

  it('tokens can be listed and a revoked token stops working at once', async () => {
    const extra = await login(h.url, `bob@${domain}`, 'bob-password-long')
    const list = await api<{ id: string; name: string }[]>(h.url, {
      path: '/v1/auth/tokens',
      token: bob,
    })
    expect(list.body.length).toBeGreaterThanOrEqual(2)
    const me = await api<{ id: string }>(h.url, { path: '/v1/me', token: extra })
    expect(me.status).toBe(200)
    const mine = await api<{ tokenInfo: { id: string } }>(h.url, {
      path: '/v1/auth/tokens',
      token: extra,
      body: { name: 'script' },
    })
    expect(mine.status).toBe(201)
    const revoke = await api(h.url, {
      method: 'DELETE',
      path: `/v1/auth/tokens/${mine.body.tokenInfo.id}`,
      token: bob,
    })
    expect(revoke.status).toBe(204)
    const after = await api(h.url, {
      path: '/v1/me',
      token: (mine.body as unknown as { token: string }).token,
    })
    expect(after.status).toBe(401)
  })

  it('a token is stored hashed: the secret is not in the database file', async () => {
    const { readFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    const files = ['narvaro.db', 'narvaro.db-wal'].map((f) => {
      try {
        return readFileSync(join(h.dataDir, f)).toString('latin1')
      } catch {
        return ''
      }
    })
    expect(files.join('')).not.toContain(alice)
  })
})

describe('users', () => {
  it('only admins manage users; members get 403 NRV_FORBIDDEN', async () => {
    const reply = await api(h.url, { path: '/v1/users', token: alice, body: { address: 'carol' } })
    expect(reply.status).toBe(403)
    expect(reply.body['code']).toBe('NRV_FORBIDDEN')
  })

  it('an admin adds a user with a generated one-time password, and removes them', async () => {
    const added = await api<{ user: { address: string }; password: string }>(h.url, {
      path: '/v1/users',
      token: admin,
      body: { address: 'dave', displayName: 'Dave' },
    })
    expect(added.status).toBe(201)
    expect(added.body.user.address).toBe(`dave@${domain}`)
    expect(added.body.password.length).toBeGreaterThanOrEqual(16)
    const dave = await login(h.url, `dave@${domain}`, added.body.password)
    expect((await api(h.url, { path: '/v1/me', token: dave })).status).toBe(200)
    const duplicate = await api(h.url, {
      path: '/v1/users',
      token: admin,
      body: { address: 'dave' },
    })
    expect(duplicate.status).toBe(409)
    expect(duplicate.body['code']).toBe('NRV_CONFLICT')
    const removed = await api(h.url, {
      method: 'DELETE',
      path: `/v1/users/dave@${domain}`,
      token: admin,
    })
    expect(removed.status).toBe(204)
    expect((await api(h.url, { path: '/v1/me', token: dave })).status).toBe(401)
  })

  it('user replies never carry a password hash', async () => {
    const list = await api<unknown[]>(h.url, { path: '/v1/users', token: admin })
    expect(JSON.stringify(list.body)).not.toMatch(/argon2|passwordHash/)
  })

  it('users of another domain cannot be added', async () => {
    const reply = await api(h.url, {
      path: '/v1/users',
      token: admin,
      body: { address: 'eve@other.example' },
    })
    expect(reply.status).toBe(400)
    expect(reply.body['code']).toBe('NRV_VALIDATION')
  })
})

describe('presence', () => {
  it('a device publication makes me available and the owner sees why', async () => {
    const put = await api(h.url, {
      method: 'PUT',
      path: '/v1/me/presence/sources/laptop',
      token: alice,
      body: {
        availability: 'available',
        device: { capabilities: ['im', 'video'] },
        ttlSeconds: 600,
      },
    })
    expect(put.body).toEqual({ outcome: 'changed' })
    const again = await api(h.url, {
      method: 'PUT',
      path: '/v1/me/presence/sources/laptop',
      token: alice,
      body: {
        availability: 'available',
        device: { capabilities: ['im', 'video'] },
        ttlSeconds: 600,
      },
    })
    expect(again.body).toEqual({ outcome: 'unchanged' })
    const manual = await api(h.url, {
      method: 'PUT',
      path: '/v1/me/presence/manual',
      token: alice,
      body: { availability: 'busy', until: h.clock.now() + 3_600_000 },
    })
    expect(manual.body).toEqual({ outcome: 'changed' })
    const own = await api<{
      presence: {
        availability: string
        provenance: { availability: { rule: string; until: number } }
      }
    }>(h.url, { path: '/v1/me/presence', token: alice })
    expect(own.body.presence.availability).toBe('busy')
    expect(own.body.presence.provenance.availability.rule).toBe('manual')
    expect(own.body.presence.provenance.availability.until).toBe(h.clock.now() + 3_600_000)
  })

  it('a colleague sees work contact methods but never personal ones', async () => {
    await api(h.url, {
      method: 'PUT',
      path: '/v1/me/contact-methods',
      token: alice,
      body: [
        { kind: 'im', address: `alice@${domain}`, rank: 1, scope: 'work' },
        { kind: 'phone', address: '+46 70 000 00 00', rank: 2, scope: 'personal' },
      ],
    })
    const view = await api<{ view: { contactMethods: { kind: string; scope: string }[] } }>(h.url, {
      path: `/v1/presence/alice@${domain}`,
      token: bob,
    })
    expect(view.status).toBe(200)
    expect(view.body.view.contactMethods.map((m) => m.scope)).toEqual(['work'])
    expect(JSON.stringify(view.body)).not.toContain('+46')
  })

  it('a contact method that stays keeps its id when the list is saved again', async () => {
    type Method = { id: string; kind: string; address: string; rank: number }
    const save = (body: unknown[]) =>
      api<Method[]>(h.url, { method: 'PUT', path: '/v1/me/contact-methods', token: alice, body })
    const first = await save([
      { kind: 'im', address: `alice@${domain}`, rank: 1, scope: 'work' },
      { kind: 'phone', address: '+46 8 100 100', rank: 2, scope: 'work' },
    ])
    const again = await save([
      { kind: 'phone', address: '+46 8 100 100', rank: 1, scope: 'work', hours: [] },
      { kind: 'phone', address: '+46 8 200 200', rank: 2, scope: 'work' },
    ])
    const idOf = (list: Method[], address: string) => list.find((m) => m.address === address)?.id
    expect(idOf(again.body, '+46 8 100 100')).toBe(idOf(first.body, '+46 8 100 100'))
    expect(idOf(again.body, '+46 8 200 200')).not.toBe(idOf(first.body, `alice@${domain}`))
  })

  it('an unknown address and a malformed one get clear errors', async () => {
    const unknown = await api(h.url, { path: `/v1/presence/nobody@${domain}`, token: bob })
    expect(unknown.status).toBe(404)
    expect(unknown.body['code']).toBe('NRV_NOT_FOUND')
    const malformed = await api(h.url, { path: '/v1/presence/not-an-address', token: bob })
    expect(malformed.status).toBe(400)
  })

  it('a stale publication (lower version) is refused with 409', async () => {
    await api(h.url, {
      method: 'PUT',
      path: '/v1/me/presence/sources/phone',
      token: bob,
      body: { availability: 'available', version: 5 },
    })
    const stale = await api(h.url, {
      method: 'PUT',
      path: '/v1/me/presence/sources/phone',
      token: bob,
      body: { availability: 'busy', version: 4 },
    })
    expect(stale.status).toBe(409)
    expect(stale.body['code']).toBe('NRV_PUBLICATION_STALE')
  })

  it('a note with an expiry shows until it expires', async () => {
    const reply = await api(h.url, {
      method: 'PUT',
      path: '/v1/me/presence/note',
      token: bob,
      body: { text: 'back at 3', expiresAt: h.clock.now() + 60_000 },
    })
    expect(reply.body).toEqual({ outcome: 'changed' })
    const view = await api<{ view: { note?: { text: string } } }>(h.url, {
      path: `/v1/presence/bob@${domain}`,
      token: alice,
    })
    expect(view.body.view.note?.text).toBe('back at 3')
  })
})

describe('bad input', () => {
  it('malformed JSON gets 400 NRV_VALIDATION', async () => {
    const reply = await api(h.url, {
      method: 'PUT',
      path: '/v1/me/presence/manual',
      token: alice,
      rawBody: '{"availability": ',
    })
    expect(reply.status).toBe(400)
    expect(reply.body['code']).toBe('NRV_VALIDATION')
  })

  it('a body that fails its schema gets 400 NRV_VALIDATION and no stack', async () => {
    const reply = await api(h.url, {
      method: 'PUT',
      path: '/v1/me/presence/manual',
      token: alice,
      body: { availability: 'sleepy' },
    })
    expect(reply.status).toBe(400)
    expect(reply.body['code']).toBe('NRV_VALIDATION')
    expect(JSON.stringify(reply.body)).not.toMatch(/at .*\.js/)
  })

  it('a body over the size limit gets 413 NRV_PAYLOAD_TOO_LARGE', async () => {
    const reply = await api(h.url, {
      method: 'PUT',
      path: '/v1/me/presence/note',
      token: alice,
      rawBody: JSON.stringify({ text: 'x'.repeat(400_000) }),
    })
    expect(reply.status).toBe(413)
    expect(reply.body['code']).toBe('NRV_PAYLOAD_TOO_LARGE')
  })

  it('an unknown route gets 404 NRV_NOT_FOUND', async () => {
    const reply = await api(h.url, { path: '/v1/nothing-here', token: alice })
    expect(reply.status).toBe(404)
    expect(reply.body['code']).toBe('NRV_NOT_FOUND')
  })

  it('a source that publishes too fast gets 429 with Retry-After, and others go on', async () => {
    let limited: { status: number; body: Record<string, unknown>; headers: Headers } | undefined
    for (let i = 0; i < 40 && !limited; i++) {
      const reply = await api(h.url, {
        method: 'PUT',
        path: '/v1/me/presence/sources/flood',
        token: bob,
        body: { availability: i % 2 ? 'busy' : 'available' },
      })
      if (reply.status === 429) limited = reply
    }
    expect(limited?.body['code']).toBe('NRV_RATE_LIMITED')
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    const other = await api(h.url, {
      method: 'PUT',
      path: '/v1/me/presence/sources/desk',
      token: bob,
      body: { availability: 'available' },
    })
    expect(other.status).toBe(200)
  })
})

describe('subscriptions', () => {
  it('subscribe, list with views, unsubscribe', async () => {
    const created = await api<{ state: string; view: { address: string } }>(h.url, {
      path: '/v1/subscriptions',
      token: bob,
      body: { address: `alice@${domain}` },
    })
    expect(created.status).toBe(201)
    expect(created.body.state).toBe('active')
    const list = await api<{ presentityAddress: string; view: { availability: string } }[]>(h.url, {
      path: '/v1/subscriptions',
      token: bob,
    })
    expect(list.body.map((s) => s.presentityAddress)).toContain(`alice@${domain}`)
    const removed = await api(h.url, {
      method: 'DELETE',
      path: `/v1/subscriptions/alice@${domain}`,
      token: bob,
    })
    expect(removed.status).toBe(204)
    const again = await api(h.url, {
      method: 'DELETE',
      path: `/v1/subscriptions/alice@${domain}`,
      token: bob,
    })
    expect(again.status).toBe(404)
  })

  it('a presentity of another organization answers exactly like a missing one', async () => {
    await h.server.services.auth.initialize({
      domain: 'other.example',
      adminPassword: 'other admin password',
    })
    const hidden = await api(h.url, {
      path: '/v1/subscriptions',
      token: bob,
      body: { address: 'admin@other.example' },
    })
    const missing = await api(h.url, {
      path: '/v1/subscriptions',
      token: bob,
      body: { address: 'ghost@other.example' },
    })
    expect(hidden.status).toBe(404)
    expect({ ...hidden.body, message: '' }).toEqual({ ...missing.body, message: '' })
    expect(hidden.body['message']).toBe(String(missing.body['message']).replace('ghost', 'admin'))
  })
})

describe('operations', () => {
  it('serves /healthz, /readyz, /metrics and the OpenAPI document', async () => {
    expect((await api(h.url, { path: '/healthz' })).body).toEqual({ status: 'ok' })
    expect((await api(h.url, { path: '/readyz' })).body).toEqual({
      status: 'ready',
      dependencies: { store: 'ok', changeChannel: 'ok' },
    })
    const metrics = await fetch(`${h.url}/metrics`)
    const text = await metrics.text()
    expect(text).toContain('narvaro_notifications_sent_total')
    expect(text).toContain('narvaro_http_request_duration_seconds')
    expect(text).toContain('narvaro_connections')
    expect(text).toMatch(/narvaro_publish_duration_seconds_count [1-9]/)
    const openapi = await api<{ openapi: string; paths: Record<string, unknown> }>(h.url, {
      path: '/openapi.json',
    })
    expect(openapi.body.openapi).toMatch(/^3\./)
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/auth/login',
        '/v1/me/presence/manual',
        '/v1/subscriptions',
        '/v1/events',
      ]),
    )
    expect((await fetch(`${h.url}/docs/`)).status).toBe(200)
  })
})
