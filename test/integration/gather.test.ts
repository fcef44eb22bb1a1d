// Integration: the manager scenario end to end over the real server. Maja gathers a quick meeting
// of her team: only the colleagues free to join get an invitation at once; the busy one gets it the
// moment she is free; the one out of office is left alone until she is back; the one who
// polite-blocks Maja is never invited; answers reach Maja live; cancelling tells the invitees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import type { Harness, Message } from '../support/server-harness.js'
import { TestSocket, addUsers, api, domain, startHarness } from '../support/server-harness.js'
import { SseClient } from '../support/sse-client.js'

const clock = new FixedClock(Date.UTC(2026, 10, 24, 10, 0, 0))
let h: Harness
let t: Record<string, string>
const at = (name: string) => `${name}@${domain}`
const team = ['ada', 'bo', 'cy', 'di', 'ek']
const device = (name: string, body: Record<string, unknown>) =>
  api(h.url, { method: 'PUT', path: '/v1/me/presence/sources/desk', token: t[name]!, body })
const sync = async (ws: TestSocket) => {
  const id = `s${Math.random()}`
  ws.send({ type: 'ping', id })
  await ws.next((m) => m.type === 'pong' && m['id'] === id)
}

beforeAll(async () => {
  h = await startHarness({ clock })
  const users = await addUsers(h.url, ['maja', ...team])
  t = users.tokens
  await api(h.url, {
    path: '/v1/groups',
    token: users.admin,
    body: { name: 'ops', members: team.map(at) },
  })
  await api(h.url, {
    method: 'PUT',
    path: '/v1/me/privacy',
    token: t['ek']!,
    body: {
      rules: [
        {
          id: 'maja',
          conditions: { addresses: [at('maja')] },
          subscription: 'polite-block',
          grant: {},
        },
      ],
    },
  })
})
afterAll(() => h.stop())

describe('gather a quick meeting', () => {
  it('invites only who is free now, the others once free, and shows every answer live', async () => {
    await device('ada', { availability: 'available' })
    await device('bo', { availability: 'available' })
    await device('cy', { availability: 'busy', activities: [{ kind: 'in-a-call' }] })
    await device('di', { availability: 'away', activities: [{ kind: 'out-of-office' }] })
    await device('ek', { availability: 'available' })
    const maja = await TestSocket.open(h.url, t['maja'])
    const sockets = Object.fromEntries(
      await Promise.all(team.map(async (n) => [n, await TestSocket.open(h.url, t[n])] as const)),
    )
    const boSse = await SseClient.open(h.url, t['bo']!)

    const started = await api<{ id: string; invitees: { address: string; state: string }[] }>(
      h.url,
      {
        path: '/v1/gatherings',
        token: t['maja']!,
        body: { team: 'ops', topic: 'Incident review', inviteLater: true },
      },
    )
    expect(started.status).toBe(201)
    const id = started.body.id
    const states = () => Object.fromEntries(started.body.invitees.map((i) => [i.address, i.state]))
    expect(states()).toEqual({
      [at('ada')]: 'invited',
      [at('bo')]: 'invited',
      [at('cy')]: 'waiting',
      [at('di')]: 'waiting',
      [at('ek')]: 'waiting',
    })
    const invitation = await sockets['ada']!.next((m) => m.type === 'invitation')
    expect(invitation).toMatchObject({
      gathering: id,
      organizer: at('maja'),
      topic: 'Incident review',
    })
    expect((await boSse.next('invitation')).data['gathering']).toBe(id)
    for (const n of ['cy', 'di', 'ek']) {
      await sync(sockets[n]!)
      expect(sockets[n]!.all('invitation'), n).toEqual([])
    }

    // Answers reach Maja at once.
    const accepted = await api(h.url, {
      path: `/v1/me/invitations/${id}`,
      token: t['ada']!,
      body: { answer: 'accept' },
    })
    expect(accepted.body).toEqual({ gathering: id, state: 'accepted' })
    await maja.next(
      (m) => m.type === 'gathering' && m['address'] === at('ada') && m['state'] === 'accepted',
    )
    await api(h.url, {
      path: `/v1/me/invitations/${id}`,
      token: t['bo']!,
      body: { answer: 'decline' },
    })
    await maja.next(
      (m) => m.type === 'gathering' && m['address'] === at('bo') && m['state'] === 'declined',
    )

    // Cy's call ends: she is invited the moment she is free, and Maja sees it.
    await device('cy', { availability: 'available' })
    expect((await sockets['cy']!.next((m) => m.type === 'invitation'))['gathering']).toBe(id)
    await maja.next(
      (m) => m.type === 'gathering' && m['address'] === at('cy') && m['state'] === 'invited',
    )
    // Ek (polite-blocks Maja) and Di (still out of office) hear nothing; nor can they answer.
    await device('ek', { availability: 'available', note: { text: 'free' } })
    await sync(sockets['ek']!)
    expect(sockets['ek']!.all('invitation')).toEqual([])
    expect(
      (
        await api(h.url, {
          path: `/v1/me/invitations/${id}`,
          token: t['di']!,
          body: { answer: 'accept' },
        })
      ).body['code'],
    ).toBe('NRV_NOT_FOUND')
    const now = await api<{ invitees: { address: string; state: string }[] }>(h.url, {
      path: `/v1/gatherings/${id}`,
      token: t['maja']!,
    })
    expect(Object.fromEntries(now.body.invitees.map((i) => [i.address, i.state]))).toEqual({
      [at('ada')]: 'accepted',
      [at('bo')]: 'declined',
      [at('cy')]: 'invited',
      [at('di')]: 'waiting',
      [at('ek')]: 'waiting',
    })
    // Only the organizer may look at the gathering; an invitee sees only their invitation.
    expect(
      (await api(h.url, { path: `/v1/gatherings/${id}`, token: t['ada']! })).body['code'],
    ).toBe('NRV_NOT_FOUND')
    expect(
      (await api<unknown[]>(h.url, { path: '/v1/me/invitations', token: t['cy']! })).body,
    ).toMatchObject([{ gathering: id, state: 'invited' }])

    // Cancelling tells those who were invited.
    expect(
      (await api(h.url, { method: 'DELETE', path: `/v1/gatherings/${id}`, token: t['maja']! }))
        .status,
    ).toBe(204)
    await sockets['cy']!.next((m) => m.type === 'invitation-ended' && m['reason'] === 'cancelled')
    await maja.next((m) => m.type === 'gathering-ended')
    await sync(sockets['di']!)
    expect(sockets['di']!.all('invitation-ended')).toEqual([])
    for (const s of [maja, ...Object.values(sockets)]) {
      expect(s.invalid as Message[]).toEqual([])
      await s.close()
    }
    boSse.close()
  })

  it('without inviteLater the busy ones are left alone; bad input is refused with a code', async () => {
    await device('cy', { availability: 'busy' })
    const cy = await TestSocket.open(h.url, t['cy'])
    const started = await api<{ invitees: { address: string; state: string }[] }>(h.url, {
      path: '/v1/gatherings',
      token: t['maja']!,
      body: { team: 'ops', topic: 'Coffee', inviteLater: false, expiresInSeconds: 600 },
    })
    expect(started.body.invitees.map((i) => i.address)).not.toContain(at('cy'))
    await device('cy', { availability: 'available' })
    await sync(cy)
    expect(cy.all('invitation')).toEqual([])
    const bad = await api(h.url, {
      path: '/v1/gatherings',
      token: t['maja']!,
      body: { team: 'ops', topic: '', inviteLater: false },
    })
    expect(bad.body['code']).toBe('NRV_VALIDATION')
    const nobody = await api(h.url, {
      path: '/v1/gatherings',
      token: t['maja']!,
      body: { team: 'nope', topic: 'x', inviteLater: false },
    })
    expect(nobody.body['code']).toBe('NRV_NOT_FOUND')
    await cy.close()
  })
})
