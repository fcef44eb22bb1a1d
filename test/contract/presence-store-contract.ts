// The contract of the PresenceStore port: one suite that every store adapter runs; contract tests.
// Values must round-trip exactly: optional fields come back absent, never undefined or null.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Organization, PresenceStore, User } from '../../src/ports/store.js'
import {
  contactMethods,
  expectCode,
  fullPublication,
  hour,
  newUser,
  notePublication,
  officeHours,
  rejection,
  seedStore,
  t0,
} from './presence-store-fixtures.js'
import { describeUserDataContract } from './presence-store-user-data-contract.js'

/** Runs the PresenceStore contract against stores made by `makeStore` (one fresh store per test). */
export const describePresenceStoreContract = (
  name: string,
  makeStore: () => Promise<PresenceStore>,
): void => {
  describe(`${name} (PresenceStore contract)`, () => {
    let store: PresenceStore
    let acme: Organization
    let alice: User
    let bob: User

    beforeEach(async () => {
      ;({ store, acme, alice, bob } = await seedStore(await makeStore()))
    })

    afterEach(async () => {
      await store.close()
    })

    describe('lifecycle', () => {
      it('migrating again changes nothing and keeps the data', async () => {
        await store.migrate()
        expect(await store.getUser(alice.id)).toStrictEqual(alice)
        expect(await store.countUsers()).toBe(2)
      })

      it('answers a ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined()
      })

      it('rejects with NRV_STORE_UNAVAILABLE once closed, and closing twice is harmless', async () => {
        await store.close()
        await expectCode(store.getUser(alice.id), 'NRV_STORE_UNAVAILABLE')
        await expectCode(store.ping(), 'NRV_STORE_UNAVAILABLE')
        await store.close()
      })
    })

    describe('organizations', () => {
      it('reads an organization back by id and by domain', async () => {
        expect(acme).toStrictEqual({
          id: expect.any(String),
          domain: 'acme.example',
          name: 'Acme',
          createdAt: t0,
        })
        expect(await store.getOrganization(acme.id)).toStrictEqual(acme)
        expect(await store.getOrganizationByDomain('acme.example')).toStrictEqual(acme)
      })

      it('answers undefined for a missing organization', async () => {
        expect(await store.getOrganization('missing')).toBeUndefined()
        expect(await store.getOrganizationByDomain('other.example')).toBeUndefined()
      })

      it('rejects a second organization with the same domain with NRV_CONFLICT', async () => {
        const again = { domain: 'acme.example', name: 'Again', createdAt: t0 }
        await expectCode(store.createOrganization(again), 'NRV_CONFLICT')
      })

      it('lists every organization, each with its own id', async () => {
        const beta = await store.createOrganization({
          domain: 'beta.example',
          name: 'B',
          createdAt: t0,
        })
        expect(beta.id).not.toBe(acme.id)
        expect(await store.listOrganizations()).toStrictEqual([acme, beta])
      })
    })

    describe('users', () => {
      it('reads a new user back by id and by address, without absent optional fields', async () => {
        expect(alice).toStrictEqual({ ...newUser(acme, 'alice'), id: expect.any(String) })
        expect(alice).not.toHaveProperty('workingHours')
        expect(alice).not.toHaveProperty('lastSeen')
        expect(await store.getUser(alice.id)).toStrictEqual(alice)
        expect(await store.getUserByAddress('alice@acme.example')).toStrictEqual(alice)
      })

      it('finds a user only by the exact normalized address', async () => {
        expect(await store.getUserByAddress('Alice@acme.example')).toBeUndefined()
        expect(await store.getUserByAddress(' alice@acme.example')).toBeUndefined()
        expect(await store.getUserByAddress('alice@acme')).toBeUndefined()
        expect(await store.getUser('missing')).toBeUndefined()
      })

      it('rejects a second user with the same address with NRV_CONFLICT', async () => {
        await expectCode(store.createUser(newUser(acme, 'alice')), 'NRV_CONFLICT')
        const error = await rejection(store.createUser(newUser(acme, 'alice')))
        expect((error as Error).cause).toBeDefined()
      })

      it('rejects a user of a missing organization with NRV_NOT_FOUND', async () => {
        const ghost = { ...newUser(acme, 'carol'), organizationId: 'missing' }
        await expectCode(store.createUser(ghost), 'NRV_NOT_FOUND')
      })

      it('lists the users of one organization and counts those of all', async () => {
        const beta = await store.createOrganization({
          domain: 'beta.example',
          name: 'B',
          createdAt: t0,
        })
        const carol = await store.createUser(newUser(beta, 'carol'))
        expect(await store.listUsers(acme.id)).toStrictEqual([alice, bob])
        expect(await store.listUsers(beta.id)).toStrictEqual([carol])
        expect(await store.listUsers('missing')).toStrictEqual([])
        expect(await store.countUsers()).toBe(3)
      })

      it('changes only the patched fields of a user', async () => {
        const updated = await store.updateUser(alice.id, {
          displayName: 'Alice A.',
          workingHours: officeHours,
          lastSeen: t0 + hour,
        })
        const expected = {
          ...alice,
          displayName: 'Alice A.',
          workingHours: officeHours,
          lastSeen: t0 + hour,
        }
        expect(updated).toStrictEqual(expected)
        expect(await store.getUser(alice.id)).toStrictEqual(expected)
        const admin = await store.updateUser(alice.id, {
          role: 'admin',
          timeZone: 'UTC',
          passwordHash: 'h2',
        })
        expect(admin).toStrictEqual({
          ...expected,
          role: 'admin',
          timeZone: 'UTC',
          passwordHash: 'h2',
        })
        expect(await store.updateUser(alice.id, {})).toStrictEqual(admin)
        expect(await store.getUser(bob.id)).toStrictEqual(bob)
      })

      it('keeps SIP digest credentials apart from the password, and removes them', async () => {
        const sipDigest = {
          ...{ username: 'alice', realm: 'acme.example', setAt: t0 },
          ...{ md5: 'a'.repeat(32), sha256: 'b'.repeat(64) },
        }
        const withSip = await store.updateUser(alice.id, { sipDigest })
        expect(withSip).toStrictEqual({ ...alice, sipDigest })
        expect(await store.getUser(alice.id)).toStrictEqual({ ...alice, sipDigest })
        const without = await store.updateUser(alice.id, { sipDigest: null })
        expect(without).toStrictEqual(alice)
      })

      it('records many last seen at once, by address, only ever forward', async () => {
        await store.recordLastSeen(new Map())
        await store.recordLastSeen(
          new Map([
            [alice.address, t0 + hour],
            ['nobody@acme.example', t0 + hour],
            [bob.address, t0 + 2 * hour],
          ]),
        )
        expect((await store.getUser(alice.id))?.lastSeen).toBe(t0 + hour)
        expect((await store.getUser(bob.id))?.lastSeen).toBe(t0 + 2 * hour)
        // An older value (another node's, a late batch) never moves it back.
        await store.recordLastSeen(
          new Map([
            [alice.address, t0],
            [bob.address, t0 + 3 * hour],
          ]),
        )
        expect((await store.getUser(alice.id))?.lastSeen).toBe(t0 + hour)
        expect((await store.getUser(bob.id))?.lastSeen).toBe(t0 + 3 * hour)
      })

      it('answers undefined when updating a missing user', async () => {
        expect(await store.updateUser('missing', { displayName: 'X' })).toBeUndefined()
      })
    })

    describe('deleting a user', () => {
      it('removes their tokens, contact methods, subscriptions both ways and publications', async () => {
        const carol = await store.createUser(newUser(acme, 'carol'))
        await store.createToken({ userId: alice.id, name: 'cli', tokenHash: 'h-a', createdAt: t0 })
        await store.createToken({ userId: bob.id, name: 'cli', tokenHash: 'h-b', createdAt: t0 })
        await store.replaceContactMethods(alice.id, contactMethods)
        for (const [watcher, presentity] of [
          [alice, bob],
          [bob, alice],
          [bob, carol],
        ] as const) {
          const input = { watcherId: watcher.id, presentityId: presentity.id, createdAt: t0 }
          await store.putSubscription({ ...input, state: 'active' })
        }
        await store.putPublication(alice.id, fullPublication)
        await store.putPublication(bob.id, notePublication)

        expect(await store.deleteUser(alice.id)).toBe(true)

        expect(await store.getUser(alice.id)).toBeUndefined()
        expect(await store.getUserByAddress(alice.address)).toBeUndefined()
        expect(await store.findToken('h-a', t0)).toBeUndefined()
        expect(await store.listTokens(alice.id)).toStrictEqual([])
        expect(await store.listContactMethods(alice.id)).toStrictEqual([])
        expect(await store.listSubscriptionsOf(alice.id)).toStrictEqual([])
        expect(await store.listWatchersOf(alice.id)).toStrictEqual([])
        expect(await store.listSubscriptionsOf(bob.id)).toMatchObject([
          { watcherAddress: bob.address, presentityAddress: carol.address },
        ])
        expect(await store.listWatchersOf(bob.id)).toStrictEqual([])
        expect(await store.listPublications(t0)).toStrictEqual([
          { userId: bob.id, publication: notePublication },
        ])
        expect((await store.findToken('h-b', t0))?.user).toStrictEqual(bob)
        expect(await store.countUsers()).toBe(2)
      })

      it('answers false for a user that does not exist', async () => {
        expect(await store.deleteUser(alice.id)).toBe(true)
        expect(await store.deleteUser(alice.id)).toBe(false)
      })
    })

    describeUserDataContract(() => ({ store, acme, alice, bob }))
  })
}
