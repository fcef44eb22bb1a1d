// The policy-change channel contract: every public service method that changes what a watcher may
// see reaches a live WebSocket watcher with the new view (or its end) at once, without any presence
// change and without anything refreshed by hand; real server, services called directly; contract tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import type { NarvaroServices } from '../../src/app/services.js'
import type { PersonalRule } from '../../src/core/policy/policy-model.js'
import type { User } from '../../src/ports/store.js'
import { accessEndedCloseCode } from '../../src/transports/ws/ws-session.js'
import { addUsersDirectly } from '../support/direct-users.js'
import type { Harness, Message } from '../support/server-harness.js'
import { TestSocket, addUsers, domain, startHarness } from '../support/server-harness.js'

/** Tuesday 24 November 2026, 10:00 UTC. */
const clock = new FixedClock(Date.UTC(2026, 10, 24, 10, 0, 0))
let h: Harness
let s: NarvaroServices
let admin: User
let run = 0
beforeAll(async () => {
  h = await startHarness({ clock })
  await addUsers(h.url, [])
  s = h.server.services
  admin = (await s.store.getUserByAddress(`admin@${domain}`))!
})
afterAll(() => h.stop())

interface Scene {
  readonly amy: User
  readonly bob: User
  readonly bobToken: string
}

const rule = (
  id: string,
  conditions: PersonalRule['conditions'],
  extra: Partial<PersonalRule> = {},
): PersonalRule => ({
  id,
  conditions,
  subscription: 'allow',
  grant: { note: true },
  ...extra,
})
const forBob = (scene: Scene, extra: Partial<PersonalRule> = {}) =>
  rule('bob', { addresses: [scene.bob.address] }, extra)
/** Colleagues other than those an earlier rule matched: availability only. */
const others = rule('others', { ownOrganization: true }, { grant: {} })
const rules = (scene: Scene, ...list: PersonalRule[]) =>
  s.privacy.setPrivacy(scene.amy, { rules: list })
const office = (start: string, end: string) => [
  { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, start, end },
]
/** A group named for this scene, with the given members; Amy's first rule grants its members the note. */
const groupRule = async (scene: Scene, members: readonly User[]) => {
  const group = await s.groups.create(admin, {
    name: `team-${run}`,
    members: members.map((m) => m.address),
  })
  await rules(scene, rule('team', { groups: [group.id] }), others)
  return group.id
}

const withNote = { availability: 'available', note: { text: 'at my desk' } }
const withoutNote = (m: Message) => {
  expect(m['view']).toMatchObject({ availability: 'available' })
  expect(m['view']).not.toHaveProperty('note')
}
const offline = (m: Message) =>
  expect(m['view']).toEqual({
    address: expect.any(String),
    displayName: expect.any(String),
    availability: 'offline',
  })
const offWork = (m: Message) =>
  expect(m['view']).toMatchObject({ availability: 'away', activities: [{ kind: 'off-work' }] })

interface Case {
  readonly method: string
  /** Amy's policy (and profile) before Bob watches. */
  readonly arrange: (scene: Scene) => Promise<unknown>
  /** Bob's first view (snapshot). */
  readonly before: (m: Message) => void
  readonly act: (scene: Scene) => Promise<unknown>
  /** The next message about Amy on Bob's connection. */
  readonly after: (m: Message) => void
}

// Not in the table, each for its reason: GroupService.create cannot change a view by itself (a rule
// names a group by its id, which exists only after the create; creating with members is covered by
// setMembers and by the import); DirectoryService.setFields changes titles and tags, which no policy
// condition reads; PrivacyService.deny of a pending watcher leaves the pending view (offline) as it is.
const cases: readonly Case[] = [
  {
    method: 'PrivacyService.setPrivacy (a grant widened)',
    arrange: (x) => rules(x, forBob(x, { grant: {} })),
    before: withoutNote,
    act: (x) => rules(x, forBob(x)),
    after: (m) => expect(m['view']).toMatchObject(withNote),
  },
  {
    method: 'PrivacyService.setPrivacy (a block)',
    arrange: (x) => rules(x, forBob(x)),
    before: (m) => expect(m['view']).toMatchObject(withNote),
    act: (x) => rules(x, forBob(x, { subscription: 'block' })),
    // A colleague's block reads as polite-block: an ordinary offline.
    after: offline,
  },
  {
    method: 'PrivacyService.setPrivacy (an unblock)',
    arrange: (x) => rules(x, forBob(x, { subscription: 'polite-block' })),
    before: offline,
    act: (x) => rules(x, forBob(x)),
    after: (m) => expect(m['view']).toMatchObject(withNote),
  },
  {
    method: 'PrivacyService.setPrivacy (appearOfflineTo)',
    arrange: (x) => rules(x, forBob(x)),
    before: (m) => expect(m['view']).toMatchObject(withNote),
    act: (x) =>
      s.privacy.setPrivacy(x.amy, { rules: [forBob(x)], appearOfflineTo: [x.bob.address] }),
    after: offline,
  },
  {
    method: 'GroupService.setMembers (the watcher added)',
    arrange: (x) => groupRule(x, []),
    before: withoutNote,
    act: async (x) =>
      s.groups.setMembers(
        admin,
        (await s.groups.list(admin)).find((g) => g.name === `team-${run}`)!.id,
        [x.bob.address],
      ),
    after: (m) => expect(m['view']).toMatchObject(withNote),
  },
  {
    method: 'GroupService.setMembers (the watcher removed)',
    arrange: (x) => groupRule(x, [x.bob]),
    before: (m) => expect(m['view']).toMatchObject(withNote),
    act: async () =>
      s.groups.setMembers(
        admin,
        (await s.groups.list(admin)).find((g) => g.name === `team-${run}`)!.id,
        [],
      ),
    after: withoutNote,
  },
  {
    method: 'GroupService.remove',
    arrange: (x) => groupRule(x, [x.bob]),
    before: (m) => expect(m['view']).toMatchObject(withNote),
    act: async () =>
      s.groups.remove(
        admin,
        (await s.groups.list(admin)).find((g) => g.name === `team-${run}`)!.id,
      ),
    after: withoutNote,
  },
  {
    method: 'DirectoryService.import (the watcher joins a team)',
    arrange: (x) => groupRule(x, []),
    before: withoutNote,
    act: (x) =>
      s.directory.import(
        admin,
        { rows: [{ address: x.bob.address, teams: [`team-${run}`] }] },
        { dryRun: false },
      ),
    after: (m) => expect(m['view']).toMatchObject(withNote),
  },
  {
    method: 'PrivacyService.approve',
    arrange: (x) => rules(x, forBob(x, { subscription: 'confirm' })),
    before: offline,
    act: (x) => s.privacy.approve(x.amy, x.bob.address),
    after: (m) => expect(m['view']).toMatchObject(withNote),
  },
  {
    method: 'PrivacyService.deny (an approved watcher)',
    arrange: async (x) => {
      await rules(x, forBob(x, { subscription: 'confirm' }))
      await s.subscriptions.subscribe(x.bob, x.amy.address)
      await s.privacy.approve(x.amy, x.bob.address)
    },
    before: (m) => expect(m['view']).toMatchObject(withNote),
    act: (x) => s.privacy.deny(x.amy, x.bob.address),
    after: offline,
  },
  {
    method: 'PrivacyService.revoke',
    arrange: (x) => rules(x, forBob(x)),
    before: (m) => expect(m['view']).toMatchObject(withNote),
    act: (x) => s.privacy.revoke(x.amy, x.bob.address),
    after: (m) => expect(m.type).toBe('unwatched'),
  },
  {
    method: 'PrivacyService.setOrganizationPolicy (a lower colleague ceiling)',
    arrange: (x) => rules(x, forBob(x)),
    before: (m) => expect(m['view']).toMatchObject(withNote),
    act: async () => {
      const policy = s.privacy.organizationPolicy(admin)
      await s.privacy.setOrganizationPolicy(admin, {
        ...policy,
        colleagueCeiling: { subscription: 'allow', grant: {} },
      })
    },
    after: withoutNote,
  },
  {
    method: 'UserService.updateProfile (working hours)',
    arrange: (x) => rules(x, forBob(x)),
    before: (m) => expect(m['view']).toMatchObject(withNote),
    act: (x) => s.users.updateProfile(x.amy, { workingHours: office('13:00', '17:00') }),
    after: offWork,
  },
  {
    method: 'UserService.updateProfile (time zone)',
    arrange: async (x) => {
      await rules(x, forBob(x))
      await s.users.updateProfile(x.amy, { workingHours: office('08:00', '17:00') })
    },
    before: (m) => expect(m['view']).toMatchObject(withNote),
    // 10:00 UTC is 19:00 in Tokyo: after her working hours.
    act: async (x) =>
      s.users.updateProfile((await s.store.getUser(x.amy.id))!, { timeZone: 'Asia/Tokyo' }),
    after: offWork,
  },
  {
    method: 'UserService.replaceContactMethods',
    arrange: (x) => rules(x, forBob(x, { grant: { note: true, contactScopes: ['work'] } })),
    before: (m) => expect(m['view']).not.toHaveProperty('contactMethods'),
    act: (x) =>
      s.users.replaceContactMethods(x.amy, [
        { kind: 'im', address: x.amy.address, rank: 1, scope: 'work' },
      ]),
    after: (m) =>
      expect(m['view']).toMatchObject({ contactMethods: [{ kind: 'im', scope: 'work' }] }),
  },
  {
    method: 'UserService.remove (the presentity)',
    arrange: (x) => rules(x, forBob(x)),
    before: (m) => expect(m['view']).toMatchObject(withNote),
    act: (x) => s.users.remove(admin, x.amy.address),
    after: offline,
  },
]

const scene = async (): Promise<Scene> => {
  run += 1
  const tokens = await addUsersDirectly(s, [`amy${run}`, `bob${run}`])
  const user = async (name: string) => (await s.store.getUserByAddress(`${name}${run}@${domain}`))!
  return { amy: await user('amy'), bob: await user('bob'), bobToken: tokens[`bob${run}`]! }
}

/** Amy online with a note, her policy arranged, and Bob watching her over a WebSocket. */
const watching = async (arrange: Case['arrange']) => {
  const x = await scene()
  await s.presence.publishSource(
    x.amy,
    { id: 'laptop', kind: 'device' },
    { availability: 'available', note: withNote.note, device: { capabilities: ['im'] } },
  )
  await arrange(x)
  const bob = await TestSocket.open(h.url, x.bobToken)
  await bob.request({ type: 'subscribe', addresses: [x.amy.address] })
  const snapshot = await bob.next((m) => m.type === 'snapshot')
  return { x, bob, snapshot }
}

const presenceTypes = new Set(['snapshot', 'change', 'unwatched'])

describe('the policy-change channel reaches a live watcher', () => {
  for (const c of cases) {
    it(`${c.method}: the watcher gets the new view at once, with no presence change`, async () => {
      const policy = s.privacy.organizationPolicy(admin)
      try {
        const { x, bob, snapshot } = await watching(c.arrange)
        c.before(snapshot)
        // Nothing is published from here on: the service call alone must bring the message.
        await c.act(x)
        c.after(
          await bob.next((m) => presenceTypes.has(m.type) && m['address'] === x.amy.address, 2000),
        )
        await bob.close()
      } finally {
        await s.privacy.setOrganizationPolicy(admin, policy)
      }
    })
  }
})

describe('the end of access reaches a live watcher', () => {
  it('UserService.remove (the watcher): their connection ends at once', async () => {
    const { x, bob } = await watching((y) => rules(y, forBob(y)))
    await s.users.remove(admin, x.bob.address)
    expect(await bob.next((m) => m.type === 'access-ended')).toMatchObject({
      reason: 'user-removed',
    })
    expect(await bob.closed).toBe(accessEndedCloseCode)
  })

  it("AuthService.revokeToken: the token's connection ends at once", async () => {
    const { x, bob } = await watching((y) => rules(y, forBob(y)))
    const [token] = await s.store.listTokens(x.bob.id)
    await s.auth.revokeToken(x.bob, token!.id)
    expect(await bob.next((m) => m.type === 'access-ended')).toMatchObject({
      reason: 'token-revoked',
    })
    expect(await bob.closed).toBe(accessEndedCloseCode)
  })

  it("AuthService.revokeTokens: the other tokens' connections end at once", async () => {
    const { x, bob } = await watching((y) => rules(y, forBob(y)))
    await s.auth.revokeTokens(x.bob, {})
    expect(await bob.next((m) => m.type === 'access-ended')).toMatchObject({
      reason: 'password-changed',
    })
    expect(await bob.closed).toBe(accessEndedCloseCode)
  })
})
