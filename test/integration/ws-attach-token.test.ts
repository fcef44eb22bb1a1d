// Integration: `attach-token` watches another token of the same user on a WebSocket connection
// (a browser tab sharing it): its end is told with `token-ended`, and the connection goes on.
import { describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import { accessEndedCloseCode } from '../../src/transports/ws/ws-session.js'
import { addUsersFast } from '../support/direct-users.js'
import { useServer } from '../support/harness-fixture.js'
import { api, domain } from '../support/server-harness.js'

const address = (name: string) => `${name}@${domain}`
const clock = () => new FixedClock(Date.UTC(2026, 10, 24, 10, 0, 0))

describe('a token attached to a WebSocket connection', () => {
  const server = useServer()

  const signIn = async (name: string) => {
    const reply = await api<{ token: string; tokenInfo: { id: string } }>(server.harness.url, {
      path: '/v1/auth/login',
      body: { address: address(name), password: `${name}-password-long` },
    })
    expect(reply.status).toBe(200)
    return { token: reply.body.token, id: reply.body.tokenInfo.id }
  }

  it('ends with token-ended, while the connection goes on with its own token', async () => {
    const h = await server.start({ clock: clock() })
    await addUsersFast(server.harness.server.services, ['amy'], { passwords: true })
    const leader = await signIn('amy')
    const follower = await signIn('amy')
    const ws = await server.open(leader.token)
    const ack = await ws.request({ type: 'attach-token', token: follower.token })
    expect(ack).toMatchObject({ type: 'ack', token: follower.id })

    const revoked = await api(h.url, {
      method: 'DELETE',
      path: `/v1/auth/tokens/${follower.id}`,
      token: leader.token,
    })
    expect(revoked.status).toBe(204)
    expect(await ws.next((m) => m.type === 'token-ended')).toEqual({
      type: 'token-ended',
      token: follower.id,
      reason: 'token-revoked',
    })
    expect((await ws.request({ type: 'delivery', mode: 'live' })).type).toBe('ack')
    expect(ws.closeCode).toBeUndefined()
    const again = await ws.request({ type: 'attach-token', token: follower.token })
    expect(again).toMatchObject({ type: 'error', code: 'NRV_UNAUTHENTICATED' })
  })

  it("refuses another user's token", async () => {
    await server.start({ clock: clock() })
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy', 'bo'], {
      passwords: true,
    })
    const ws = await server.open(tokens['amy']!)
    const reply = await ws.request({ type: 'attach-token', token: tokens['bo']! })
    expect(reply).toMatchObject({ type: 'error', code: 'NRV_VALIDATION' })
  })

  it('is told ended before the connection, when one event ends both', async () => {
    const h = await server.start({ clock: clock() })
    await addUsersFast(server.harness.server.services, ['amy'], { passwords: true })
    const leader = await signIn('amy')
    const follower = await signIn('amy')
    const changer = await signIn('amy')
    const ws = await server.open(leader.token)
    await ws.request({ type: 'attach-token', token: follower.token })
    const changed = await api(h.url, {
      method: 'PUT',
      path: '/v1/me/password',
      token: changer.token,
      body: {
        currentPassword: 'amy-password-long',
        newPassword: 'a fresh passphrase of Amy',
        revokeOtherTokens: true,
      },
    })
    expect(changed.status).toBe(200)
    expect(await ws.closed).toBe(accessEndedCloseCode)
    const ends = ws.messages.filter((m) => m.type === 'token-ended' || m.type === 'access-ended')
    expect(ends).toEqual([
      { type: 'token-ended', token: follower.id, reason: 'password-changed' },
      { type: 'access-ended', reason: 'password-changed' },
    ])
  })
})
