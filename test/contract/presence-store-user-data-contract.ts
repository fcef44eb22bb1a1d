// The PresenceStore contract for what belongs to a user: tokens, contact methods, subscriptions and
// durable publications; contract tests, run from describePresenceStoreContract.
import { beforeEach, describe, expect, it } from 'vitest'
import type { ContactMethod, Publication } from '../../src/core/model/presence-model.js'
import { subscriptionStates } from '../../src/core/subscriptions/subscription.js'
import type { Organization, PresenceStore, User } from '../../src/ports/store.js'
import {
  contactMethods,
  expectCode,
  fullPublication,
  hour,
  newUser,
  notePublication,
  t0,
} from './presence-store-fixtures.js'
import type { StoreFixture } from './presence-store-fixtures.js'

/** Registers its tests inside the caller's describe, after the caller's own beforeEach. */
export const describeUserDataContract = (fixture: () => StoreFixture): void => {
  let store: PresenceStore
  let acme: Organization
  let alice: User
  let bob: User

  beforeEach(() => {
    ;({ store, acme, alice, bob } = fixture())
  })

  describe('tokens', () => {
    const aliceToken = (name: string, tokenHash: string) =>
      store.createToken({ userId: alice.id, name, tokenHash, createdAt: t0 })

    it('creates a token without its hash and lists the tokens of its user', async () => {
      const cli = { userId: alice.id, name: 'cli', tokenHash: 'h-1', createdAt: t0 }
      const token = await store.createToken(cli)
      expect(token).toStrictEqual({
        id: expect.any(String),
        userId: alice.id,
        name: 'cli',
        createdAt: t0,
      })
      const later = { name: 'ci', createdAt: t0 + 1, expiresAt: t0 + hour }
      const ci = await store.createToken({ ...cli, ...later, tokenHash: 'h-2' })
      expect(ci).toStrictEqual({ ...token, ...later, id: ci.id })
      expect(await store.listTokens(alice.id)).toStrictEqual([token, ci])
      expect(await store.listTokens(bob.id)).toStrictEqual([])
    })

    it('rejects a second token with the same hash with NRV_CONFLICT', async () => {
      await store.createToken({ userId: alice.id, name: 'a', tokenHash: 'same', createdAt: t0 })
      const twin = { userId: bob.id, name: 'b', tokenHash: 'same', createdAt: t0 }
      await expectCode(store.createToken(twin), 'NRV_CONFLICT')
    })

    it('finds a live token with its user, and ignores revoked and expired ones', async () => {
      const input = { userId: alice.id, name: 'cli', createdAt: t0 }
      const live = await store.createToken({ ...input, tokenHash: 'live' })
      const expiring = await store.createToken({
        ...input,
        tokenHash: 'exp',
        expiresAt: t0 + hour,
      })
      const revoked = await store.createToken({ ...input, tokenHash: 'rev' })
      expect(await store.revokeToken(alice.id, revoked.id, t0 + 1)).toBe(true)

      expect(await store.findToken('live', t0 + 2)).toStrictEqual({ token: live, user: alice })
      expect(await store.findToken('exp', t0 + hour - 1)).toStrictEqual({
        token: expiring,
        user: alice,
      })
      expect(await store.findToken('exp', t0 + hour)).toBeUndefined()
      expect(await store.findToken('rev', t0 + 2)).toBeUndefined()
      expect(await store.findToken('unknown', t0)).toBeUndefined()
    })

    it('revokes only a token of the given user, and keeps the first revocation time', async () => {
      const token = await aliceToken('c', 'h')
      expect(await store.revokeToken(bob.id, token.id, t0 + 1)).toBe(false)
      expect(await store.revokeToken(alice.id, 'missing', t0 + 1)).toBe(false)
      expect(await store.findToken('h', t0 + 1)).toBeDefined()
      expect(await store.revokeToken(alice.id, token.id, t0 + 2)).toBe(true)
      expect(await store.revokeToken(alice.id, token.id, t0 + 3)).toBe(true)
      expect(await store.listTokens(alice.id)).toStrictEqual([{ ...token, revokedAt: t0 + 2 }])
    })

    it('records when a token was last used', async () => {
      const token = await aliceToken('c', 'h')
      await store.touchTokens(new Map([[token.id, t0 + 5]]))
      await store.touchTokens(new Map([['missing', t0 + 5]]))
      expect(await store.findToken('h', t0 + 6)).toStrictEqual({
        token: { ...token, lastUsedAt: t0 + 5 },
        user: alice,
      })
    })

    it('records the last use of many tokens at once', async () => {
      const first = await aliceToken('d', 'h1')
      const second = await aliceToken('e', 'h2')
      await store.touchTokens(new Map())
      await store.touchTokens(
        new Map([
          [first.id, t0 + 7],
          ['missing', t0 + 7],
          [second.id, t0 + 8],
        ]),
      )
      expect((await store.findToken('h1', t0 + 9))?.token.lastUsedAt).toBe(t0 + 7)
      expect((await store.findToken('h2', t0 + 9))?.token.lastUsedAt).toBe(t0 + 8)
    })
  })

  describe('contact methods', () => {
    it('replaces all contact methods, keeping order, rank, scope and hours', async () => {
      expect(await store.listContactMethods(alice.id)).toStrictEqual([])
      await store.replaceContactMethods(alice.id, contactMethods)
      expect(await store.listContactMethods(alice.id)).toStrictEqual(contactMethods)
      const email: ContactMethod = {
        id: 'cm-9',
        kind: 'email',
        address: 'a@x.example',
        rank: 0,
        scope: 'work',
      }
      await store.replaceContactMethods(alice.id, [email])
      expect(await store.listContactMethods(alice.id)).toStrictEqual([email])
      await store.replaceContactMethods(alice.id, [])
      expect(await store.listContactMethods(alice.id)).toStrictEqual([])
    })

    it("keeps each user's contact methods apart", async () => {
      await store.replaceContactMethods(alice.id, contactMethods)
      const phone: ContactMethod = {
        id: 'cm-b',
        kind: 'phone',
        address: '+1 555',
        rank: 1,
        scope: 'work',
      }
      await store.replaceContactMethods(bob.id, [phone])
      expect(await store.listContactMethods(alice.id)).toStrictEqual(contactMethods)
      expect(await store.listContactMethods(bob.id)).toStrictEqual([phone])
    })

    it('rejects duplicate ids with NRV_CONFLICT and keeps the previous contact methods', async () => {
      await store.replaceContactMethods(alice.id, contactMethods)
      const twice = [contactMethods[1]!, contactMethods[1]!]
      await expectCode(store.replaceContactMethods(alice.id, twice), 'NRV_CONFLICT')
      expect(await store.listContactMethods(alice.id)).toStrictEqual(contactMethods)
    })
  })

  describe('subscriptions', () => {
    it('stores a subscription and names both parties by address', async () => {
      const input = { watcherId: alice.id, presentityId: bob.id, createdAt: t0 }
      const subscription = await store.putSubscription({ ...input, state: 'pending' })
      const expected = {
        watcherAddress: alice.address,
        presentityAddress: bob.address,
        state: 'pending',
        createdAt: t0,
      }
      expect(subscription).toStrictEqual(expected)
      expect(await store.listSubscriptionsOf(alice.id)).toStrictEqual([expected])
      expect(await store.listWatchersOf(bob.id)).toStrictEqual([expected])
      expect(await store.listSubscriptionsOf(bob.id)).toStrictEqual([])
      expect(await store.listWatchersOf(alice.id)).toStrictEqual([])
    })

    it('updates the one subscription of a watcher to a presentity, keeping when it began', async () => {
      const input = { watcherId: alice.id, presentityId: bob.id }
      await store.putSubscription({ ...input, state: 'pending', createdAt: t0 })
      const active = await store.putSubscription({
        ...input,
        state: 'active',
        createdAt: t0 + hour,
      })
      expect(active).toMatchObject({ state: 'active', createdAt: t0 })
      expect(await store.listSubscriptionsOf(alice.id)).toStrictEqual([active])
    })

    it('stores every subscription state, denied included', async () => {
      const input = { watcherId: alice.id, presentityId: bob.id, createdAt: t0 }
      for (const state of subscriptionStates) {
        expect(await store.putSubscription({ ...input, state })).toMatchObject({ state })
        expect(await store.listWatchersOf(bob.id)).toMatchObject([{ state }])
      }
      expect(subscriptionStates).toContain('denied')
    })

    it('lists subscriptions of and watchers of several users', async () => {
      const carol = await store.createUser(newUser(acme, 'carol'))
      const put = (watcher: User, presentity: User) =>
        store.putSubscription({
          watcherId: watcher.id,
          presentityId: presentity.id,
          state: 'active',
          createdAt: t0,
        })
      const toBob = await put(alice, bob)
      const toCarol = await put(alice, carol)
      const carolToBob = await put(carol, bob)
      expect(await store.listSubscriptionsOf(alice.id)).toStrictEqual([toBob, toCarol])
      expect(await store.listWatchersOf(bob.id)).toStrictEqual([toBob, carolToBob])
    })

    it('puts many subscriptions of one watcher in one transaction, all or none', async () => {
      const carol = await store.createUser(newUser(acme, 'carol'))
      await store.putSubscription({
        watcherId: alice.id,
        presentityId: bob.id,
        state: 'pending',
        createdAt: t0,
      })
      const many = await store.putSubscriptions([
        { watcherId: alice.id, presentityId: carol.id, state: 'active', createdAt: t0 + hour },
        { watcherId: alice.id, presentityId: bob.id, state: 'active', createdAt: t0 + hour },
      ])
      expect(many).toStrictEqual([
        {
          watcherAddress: alice.address,
          presentityAddress: carol.address,
          state: 'active',
          createdAt: t0 + hour,
        },
        {
          watcherAddress: alice.address,
          presentityAddress: bob.address,
          state: 'active',
          createdAt: t0,
        },
      ])
      expect(await store.putSubscriptions([])).toStrictEqual([])
      // A missing presentity fails the whole batch: nothing of it is stored.
      await expect(
        store.putSubscriptions([
          { watcherId: bob.id, presentityId: carol.id, state: 'active', createdAt: t0 },
          { watcherId: bob.id, presentityId: 'no-such-user', state: 'active', createdAt: t0 },
        ]),
      ).rejects.toThrow()
      expect(await store.listSubscriptionsOf(bob.id)).toStrictEqual([])
    })

    it('deletes a subscription once', async () => {
      const input = { watcherId: alice.id, presentityId: bob.id, createdAt: t0 }
      await store.putSubscription({ ...input, state: 'active' })
      expect(await store.deleteSubscription(alice.id, bob.id)).toBe(true)
      expect(await store.deleteSubscription(alice.id, bob.id)).toBe(false)
      expect(await store.listWatchersOf(bob.id)).toStrictEqual([])
    })
  })

  describe('publications', () => {
    it('round-trips publications exactly, with and without optional fields', async () => {
      await store.putPublication(alice.id, fullPublication)
      await store.putPublication(alice.id, notePublication)
      const listed = await store.listPublications(t0)
      const bySource = (id: string) => listed.find((p) => p.publication.source.id === id)
      expect(listed).toHaveLength(2)
      expect(bySource('manual')).toStrictEqual({ userId: alice.id, publication: fullPublication })
      expect(bySource('note')).toStrictEqual({ userId: alice.id, publication: notePublication })
      expect(bySource('note')?.publication).not.toHaveProperty('version')
    })

    it('skips publications expired at now', async () => {
      await store.putPublication(alice.id, fullPublication)
      expect(await store.listPublications(fullPublication.expiresAt - 1)).toHaveLength(1)
      expect(await store.listPublications(fullPublication.expiresAt)).toStrictEqual([])
    })

    it('replaces the publication of the same source, per user', async () => {
      await store.putPublication(alice.id, fullPublication)
      await store.putPublication(bob.id, fullPublication)
      const newer: Publication = {
        source: { id: 'manual', kind: 'manual' },
        state: { availability: 'available' },
        publishedAt: t0 + 1,
        expiresAt: t0 + 2 * hour,
        idle: true,
      }
      await store.putPublication(alice.id, newer)
      const listed = await store.listPublications(t0)
      expect(listed).toHaveLength(2)
      expect(listed).toContainEqual({ userId: alice.id, publication: newer })
      expect(listed).toContainEqual({ userId: bob.id, publication: fullPublication })
    })

    it('deletes a publication once', async () => {
      await store.putPublication(alice.id, notePublication)
      expect(await store.deletePublication(bob.id, 'note')).toBe(false)
      expect(await store.deletePublication(alice.id, 'note')).toBe(true)
      expect(await store.deletePublication(alice.id, 'note')).toBe(false)
      expect(await store.listPublications(t0)).toStrictEqual([])
    })
  })
}
