// Integration: access ends everywhere at once. A revoked or expired token's WebSocket and SSE
// sessions close with `access-ended`; a removed user is offline to every watcher at once, then
// nobody's, and every session of theirs closes; all through the one change channel.
import { describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import { accessEndedCloseCode } from '../../src/transports/ws/ws-session.js'
import { addUsersFast } from '../support/direct-users.js'
import { laptopAvailable, useServer, viewOf } from '../support/harness-fixture.js'
import { api, domain, login } from '../support/server-harness.js'
import { SseClient } from '../support/sse-client.js'

const address = (name: string) => `${name}@${domain}`
const clock = () => new FixedClock(Date.UTC(2026, 10, 24, 10, 0, 0))

describe('when access ends', () => {
  const server = useServer()

  const newToken = async (name: string, body: Record<string, unknown> = { name: 'second' }) => {
    const first = await login(server.harness.url, address(name), `${name}-password-long`)
    const reply = await api<{ token: string; tokenInfo: { id: string } }>(server.harness.url, {
      path: '/v1/auth/tokens',
      token: first,
      body,
    })
    expect(reply.status).toBe(201)
    return { secret: reply.body.token, id: reply.body.tokenInfo.id, other: first }
  }

  it("a revoked token's WebSocket, SSE stream and live who stream close at once, and only those", async () => {
    const h = await server.start({ clock: clock() })
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy', 'bo'], {
      passwords: true,
    })
    const bo = await server.open(tokens['bo']!)
    await bo.request({ type: 'subscribe', addresses: [address('amy')] })
    await bo.next((m) => m.type === 'snapshot')
    const revoked = await newToken('amy')
    const amy = await server.open(revoked.secret)
    await amy.request(laptopAvailable)
    expect(viewOf(await bo.next((m) => m.type === 'change')).availability).toBe('available')
    const events = await SseClient.open(h.url, revoked.secret)
    await events.next('welcome')
    const live = await SseClient.open(h.url, revoked.secret, { path: '/v1/availability/live' })
    await live.next('who')
    const kept = await server.open(revoked.other)

    const reply = await api(h.url, {
      method: 'DELETE',
      path: `/v1/auth/tokens/${revoked.id}`,
      token: revoked.other,
    })
    expect(reply.status).toBe(204)

    expect(await amy.next((m) => m.type === 'access-ended')).toMatchObject({
      reason: 'token-revoked',
    })
    expect(await amy.closed).toBe(accessEndedCloseCode)
    expect((await events.next('access-ended')).data).toEqual({
      type: 'access-ended',
      reason: 'token-revoked',
    })
    expect((await live.next('access-ended')).data).toMatchObject({ reason: 'token-revoked' })
    await Promise.all([events.ended, live.ended])
    // Its publication ended at once: the clock has not moved, so no grace period passed.
    expect(viewOf(await bo.next((m) => m.type === 'change')).availability).toBe('offline')
    expect((await api(h.url, { path: '/v1/me', token: revoked.secret })).status).toBe(401)
    const again = await SseClient.open(h.url, revoked.secret)
    expect(again.status).toBe(401)
    // The user's other token and its session are untouched.
    expect((await kept.request({ type: 'delivery', mode: 'live' })).type).toBe('ack')
    expect(kept.closeCode).toBeUndefined()
    expect(h.server.services.sessions.countOf(address('amy'))).toBe(1)
  })

  it('a password change that revokes the other tokens ends their sessions, and keeps its own', async () => {
    const h = await server.start({ clock: clock() })
    await addUsersFast(server.harness.server.services, ['amy'], { passwords: true })
    const other = await newToken('amy')
    const elsewhere = await server.open(other.secret)
    const here = await server.open(other.other)
    const changed = await api(h.url, {
      method: 'PUT',
      path: '/v1/me/password',
      token: other.other,
      body: {
        currentPassword: 'amy-password-long',
        newPassword: 'a fresh passphrase of Amy',
        revokeOtherTokens: true,
      },
    })
    expect(changed.status).toBe(200)
    expect(await elsewhere.next((m) => m.type === 'access-ended')).toMatchObject({
      reason: 'password-changed',
    })
    expect(await elsewhere.closed).toBe(accessEndedCloseCode)
    expect((await here.request({ type: 'delivery', mode: 'live' })).type).toBe('ack')
  })

  it("a token's sessions end when the token expires", async () => {
    const fixed = clock()
    const h = await server.start({ clock: fixed })
    await addUsersFast(server.harness.server.services, ['amy'], { passwords: true })
    const shortLived = await newToken('amy', { name: 'an hour', ttlSeconds: 3600 })
    const amy = await server.open(shortLived.secret)
    const events = await SseClient.open(h.url, shortLived.secret)
    await events.next('welcome')
    fixed.advance(3_599_000)
    expect((await amy.request({ type: 'delivery', mode: 'live' })).type).toBe('ack')
    fixed.advance(1000)
    expect(await amy.next((m) => m.type === 'access-ended')).toMatchObject({
      reason: 'token-expired',
    })
    expect(await amy.closed).toBe(accessEndedCloseCode)
    expect((await events.next('access-ended')).data).toMatchObject({ reason: 'token-expired' })
  })

  it('a removed user is offline to every watcher at once, then nobody, and every session of theirs closes', async () => {
    const h = await server.start({ clock: clock() })
    const { admin, tokens } = await addUsersFast(
      server.harness.server.services,
      ['amy', 'bo', 'cy'],
      { passwords: true },
    )
    const amy = await server.open(tokens['amy']!)
    await amy.request(laptopAvailable)
    await amy.request({ type: 'subscribe', addresses: [address('cy')] })
    const amyEvents = await SseClient.open(h.url, tokens['amy']!)
    await amyEvents.next('welcome')
    const bo = await server.open(tokens['bo']!)
    await bo.request({ type: 'subscribe', addresses: [address('amy')] })
    expect(viewOf(await bo.next((m) => m.type === 'snapshot')).availability).toBe('available')
    const cyEvents = await SseClient.open(h.url, tokens['cy']!, {
      query: `addresses=${address('amy')}`,
    })
    await cyEvents.next('snapshot')
    const watch = await api(h.url, {
      path: '/v1/me/notify-when-available',
      token: tokens['amy']!,
      body: { address: address('bo'), expiresInSeconds: 3600 },
    })
    expect(watch.status).toBe(201)
    // Amy keeps publishing right up to her removal.
    await amy.request({ ...laptopAvailable, availability: 'busy' })
    await bo.next((m) => m.type === 'change')
    await cyEvents.next('change')

    const removed = await api(h.url, {
      method: 'DELETE',
      path: `/v1/users/${address('amy')}`,
      token: admin,
    })
    expect(removed.status).toBe(204)

    expect(viewOf(await bo.next((m) => m.type === 'change')).availability).toBe('offline')
    expect(await bo.next((m) => m.type === 'unwatched')).toMatchObject({ address: address('amy') })
    expect((await cyEvents.next('change')).data).toMatchObject({
      view: { availability: 'offline' },
    })
    await cyEvents.next('unwatched')
    expect(await amy.next((m) => m.type === 'access-ended')).toMatchObject({
      reason: 'user-removed',
    })
    expect(await amy.closed).toBe(accessEndedCloseCode)
    expect((await amyEvents.next('access-ended')).data).toMatchObject({ reason: 'user-removed' })
    expect(h.server.services.sessions.countOf(address('amy'))).toBe(0)
    expect(h.server.services.hub.liveWatches).toBe(0)
    // Her address answers as nobody's, and nothing of hers comes back.
    const seen = await api(h.url, { path: `/v1/presence/${address('amy')}`, token: tokens['bo']! })
    const nobody = await api(h.url, {
      path: `/v1/presence/${address('nobody')}`,
      token: tokens['bo']!,
    })
    expect(seen.status).toBe(404)
    expect(seen.body).toEqual({ ...nobody.body, message: expect.any(String) })
    expect(
      (await bo.request({ type: 'subscribe', addresses: [address('amy')] }))['failed'],
    ).toMatchObject([{ address: address('amy'), code: 'NRV_NOT_FOUND' }])
    expect(h.server.services.engine.snapshot(address('amy'))).toBeUndefined()
    expect(h.server.services.notify.list(address('amy'))).toEqual([])
    const audit = await api<{ kind: string; data: { action: string } }[]>(h.url, {
      path: '/v1/organization/audit',
      token: admin,
    })
    expect(audit.body.some((e) => e.kind === 'account' && e.data.action === 'user.removed')).toBe(
      true,
    )
  })
})
