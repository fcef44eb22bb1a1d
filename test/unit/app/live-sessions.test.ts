// LiveSessions: every live session obeys the access events of the change channel.
import { describe, expect, it } from 'vitest'
import { InProcessChangeBus } from '../../../src/adapters/bus/in-process/in-process-bus.js'
import { FixedClock } from '../../../src/adapters/clock/fixed-clock.js'
import type { LiveSession } from '../../../src/app/accounts/live-sessions.js'
import { LiveSessions } from '../../../src/app/accounts/live-sessions.js'
import type { AccessEndReason } from '../../../src/ports/bus.js'
import type { User } from '../../../src/ports/store.js'

const user = (name: string) =>
  ({ id: name, address: `${name}@acme.example`, organizationId: 'acme' }) as User

const session = (name: string, tokenId: string, expiresAt?: number) => {
  const ended: AccessEndReason[] = []
  const s: LiveSession & { ended: AccessEndReason[] } = {
    watcher: { address: `${name}@acme.example`, organizationId: 'acme' },
    token: { id: tokenId, ...(expiresAt === undefined ? {} : { expiresAt }) },
    endAccess: (reason) => ended.push(reason),
    ended,
  }
  return s
}

const setup = () => {
  const clock = new FixedClock()
  const bus = new InProcessChangeBus()
  const sessions = new LiveSessions({
    bus,
    clock,
    onError: (error) => {
      throw error
    },
  })
  return { clock, bus, sessions }
}

describe('live sessions', () => {
  it('a revoked token ends exactly the sessions opened with it', async () => {
    const { sessions } = setup()
    const a1 = session('amy', 't1')
    const a2 = session('amy', 't2')
    const b1 = session('bo', 't1-of-bo')
    for (const s of [a1, a2, b1]) sessions.open(s)
    await sessions.tokensRevoked(user('amy'), ['t1'])
    expect(a1.ended).toEqual(['token-revoked'])
    expect(a2.ended).toEqual([])
    expect(b1.ended).toEqual([])
    expect(sessions.countOf('amy@acme.example')).toBe(1)
  })

  it("a removed user's sessions all end, whatever their token", async () => {
    const { sessions } = setup()
    const a1 = session('amy', 't1')
    const a2 = session('amy', 'made-during-removal')
    sessions.open(a1)
    sessions.open(a2)
    await sessions.userRemoved(user('amy'), ['t1'])
    expect([a1.ended, a2.ended]).toEqual([['user-removed'], ['user-removed']])
    expect(sessions.countOf('amy@acme.example')).toBe(0)
  })

  it('a session opened with a token revoked just before ends as soon as it is set up', async () => {
    const { sessions } = setup()
    await sessions.tokensRevoked(user('amy'), ['t1'], 'password-changed')
    const late = session('amy', 't1')
    sessions.open(late)
    expect(late.ended).toEqual([])
    await Promise.resolve()
    expect(late.ended).toEqual(['password-changed'])
  })

  it('a session ends when its token expires, and a closed session is forgotten', () => {
    const { clock, sessions } = setup()
    const expiring = session('amy', 't1', clock.now() + 60_000)
    const closing = session('amy', 't2', clock.now() + 60_000)
    sessions.open(expiring)
    const close = sessions.open(closing)
    close()
    clock.advance(59_999)
    expect(expiring.ended).toEqual([])
    clock.advance(1)
    expect(expiring.ended).toEqual(['token-expired'])
    expect(closing.ended).toEqual([])
    expect(sessions.countOf('amy@acme.example')).toBe(0)
  })

  it('a session that throws while ending does not keep the others open', async () => {
    const errors: unknown[] = []
    const bus = new InProcessChangeBus()
    const sessions = new LiveSessions({
      bus,
      clock: new FixedClock(),
      onError: (error) => errors.push(error),
    })
    const broken = {
      ...session('amy', 't1'),
      endAccess: () => {
        throw new Error('socket gone')
      },
    }
    const fine = session('amy', 't1')
    sessions.open(broken)
    sessions.open(fine)
    await sessions.tokensRevoked(user('amy'), ['t1'])
    expect(fine.ended).toEqual(['token-revoked'])
    expect(errors).toHaveLength(1)
  })
})
