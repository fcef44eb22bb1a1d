// The DirectoryStore contract for personal contact lists and their members; contract tests, run from
// describeDirectoryStoreContract.
import { beforeEach, describe, expect, it } from 'vitest'
import type { DirectoryFixture } from './directory-store-contract.js'
import { expectCode, newUser, t0 } from './presence-store-fixtures.js'

const sorted = (ids: readonly string[]): readonly string[] => [...ids].sort()

/** Registers its tests inside the caller's describe, after the caller's own beforeEach. */
export const describeContactListContract = (fixture: () => DirectoryFixture): void => {
  let f: DirectoryFixture

  beforeEach(() => {
    f = fixture()
  })

  const list = (ownerId: string, name: string) =>
    f.store.createContactList({ ownerId, name, createdAt: t0 })

  describe('contact lists', () => {
    it('creates lists per owner, lists them by name and finds one by name', async () => {
      const { store, alice, bob } = f
      const team = await list(alice.id, 'team')
      expect(team).toStrictEqual({
        id: expect.any(String),
        ownerId: alice.id,
        name: 'team',
        createdAt: t0,
      })
      const friends = await list(alice.id, 'Friends')
      const bobs = await list(bob.id, 'team')
      expect(await store.listContactLists(alice.id)).toStrictEqual([friends, team])
      expect(await store.listContactLists(bob.id)).toStrictEqual([bobs])
      expect(await store.getContactList(alice.id, 'team')).toStrictEqual(team)
      expect(await store.getContactList(bob.id, 'Friends')).toBeUndefined()
      expect(await store.listContactLists('missing')).toStrictEqual([])
    })

    it('rejects a second list of the same name of one owner with NRV_CONFLICT', async () => {
      await list(f.alice.id, 'team')
      await expectCode(list(f.alice.id, 'team'), 'NRV_CONFLICT')
    })

    it('rejects a list of a missing owner with NRV_NOT_FOUND', async () => {
      await expectCode(list('missing', 'team'), 'NRV_NOT_FOUND')
    })

    it('replaces, adds and removes members, each once', async () => {
      const { store, alice, bob, asa } = f
      const team = await list(alice.id, 'team')
      expect(await store.listContactListMembers(team.id)).toStrictEqual([])
      await store.setContactListMembers(team.id, [bob.id, bob.id, alice.id])
      expect(await store.listContactListMembers(team.id)).toStrictEqual(sorted([alice.id, bob.id]))
      await store.addContactListMembers(team.id, [asa.id, bob.id])
      expect(await store.listContactListMembers(team.id)).toStrictEqual(
        sorted([alice.id, bob.id, asa.id]),
      )
      await store.removeContactListMembers(team.id, [alice.id, 'missing'])
      expect(await store.listContactListMembers(team.id)).toStrictEqual(sorted([bob.id, asa.id]))
      await store.setContactListMembers(team.id, [])
      expect(await store.listContactListMembers(team.id)).toStrictEqual([])
    })

    it('rejects members who are missing or of another organization and changes nothing', async () => {
      const { store, alice, bob, carol } = f
      const team = await list(alice.id, 'team')
      await store.setContactListMembers(team.id, [bob.id])
      await expectCode(store.setContactListMembers(team.id, [alice.id, 'missing']), 'NRV_NOT_FOUND')
      await expectCode(store.addContactListMembers(team.id, [carol.id]), 'NRV_NOT_FOUND')
      expect(await store.listContactListMembers(team.id)).toStrictEqual([bob.id])
      await expectCode(store.setContactListMembers('missing', [bob.id]), 'NRV_NOT_FOUND')
      await expectCode(store.addContactListMembers('missing', [bob.id]), 'NRV_NOT_FOUND')
      await expectCode(store.removeContactListMembers('missing', [bob.id]), 'NRV_NOT_FOUND')
    })

    it('deletes a list once, with its memberships', async () => {
      const { store, alice, bob } = f
      const team = await list(alice.id, 'team')
      await store.setContactListMembers(team.id, [bob.id])
      expect(await store.deleteContactList(team.id)).toBe(true)
      expect(await store.deleteContactList(team.id)).toBe(false)
      expect(await store.listContactLists(alice.id)).toStrictEqual([])
      expect(await store.listContactListMembers(team.id)).toStrictEqual([])
      expect((await list(alice.id, 'team')).id).not.toBe(team.id)
    })

    it('deleting a user removes their lists and their place in the lists of others', async () => {
      const { store, alice, bob, asa } = f
      const alices = await list(alice.id, 'team')
      const bobs = await list(bob.id, 'team')
      await store.setContactListMembers(alices.id, [bob.id, asa.id])
      await store.setContactListMembers(bobs.id, [alice.id, asa.id])
      expect(await store.deleteUser(alice.id)).toBe(true)
      expect(await store.listContactLists(alice.id)).toStrictEqual([])
      expect(await store.listContactListMembers(alices.id)).toStrictEqual([])
      expect(await store.listContactListMembers(bobs.id)).toStrictEqual([asa.id])
    })

    it('holds a large membership', async () => {
      const { store, alice, acme } = f
      const big = await list(alice.id, 'everyone')
      const ids: string[] = []
      for (let i = 0; i < 1_100; i += 1)
        ids.push((await store.createUser(newUser(acme, `m${i}`))).id)
      await store.setContactListMembers(big.id, ids)
      expect(await store.listContactListMembers(big.id)).toStrictEqual(sorted(ids))
      await store.removeContactListMembers(big.id, ids.slice(0, 1_050))
      expect(await store.listContactListMembers(big.id)).toStrictEqual(sorted(ids.slice(1_050)))
    })
  })
}
