// The PolicyStore contract for groups and their members; contract tests, run from
// describePolicyStoreContract.
import { beforeEach, describe, expect, it } from 'vitest'
import type { Organization, User } from '../../src/ports/store.js'
import type { FullStore, PolicyFixture } from './policy-store-fixtures.js'
import { expectCode, newUser, t0 } from './presence-store-fixtures.js'

const sorted = (ids: readonly string[]): readonly string[] => [...ids].sort()

/** Registers its tests inside the caller's describe, after the caller's own beforeEach. */
export const describeGroupContract = (fixture: () => PolicyFixture): void => {
  let store: FullStore
  let acme: Organization
  let beta: Organization
  let alice: User
  let bob: User
  let carol: User

  beforeEach(() => {
    ;({ store, acme, beta, alice, bob, carol } = fixture())
  })

  const group = (organization: Organization, name: string) =>
    store.createGroup({ organizationId: organization.id, name, createdAt: t0 })

  describe('groups', () => {
    it('creates groups and lists those of one organization by name', async () => {
      const sales = await group(acme, 'sales')
      expect(sales).toStrictEqual({
        id: expect.any(String),
        organizationId: acme.id,
        name: 'sales',
        createdAt: t0,
      })
      const dev = await group(acme, 'dev')
      const other = await group(beta, 'sales')
      expect(new Set([sales.id, dev.id, other.id]).size).toBe(3)
      expect(await store.listGroups(acme.id)).toStrictEqual([dev, sales])
      expect(await store.listGroups(beta.id)).toStrictEqual([other])
      expect(await store.listGroups('missing')).toStrictEqual([])
    })

    it('rejects a second group with the same name in one organization with NRV_CONFLICT', async () => {
      const sales = await group(acme, 'sales')
      await expectCode(group(acme, 'sales'), 'NRV_CONFLICT')
      expect(await store.listGroups(acme.id)).toStrictEqual([sales])
    })

    it('rejects a group of a missing organization with NRV_NOT_FOUND', async () => {
      const ghost = { organizationId: 'missing', name: 'g', createdAt: t0 }
      await expectCode(store.createGroup(ghost), 'NRV_NOT_FOUND')
    })

    it('deletes a group once, with its memberships', async () => {
      const sales = await group(acme, 'sales')
      const dev = await group(acme, 'dev')
      await store.setGroupMembers(sales.id, [alice.id])
      await store.setGroupMembers(dev.id, [alice.id])
      expect(await store.deleteGroup(sales.id)).toBe(true)
      expect(await store.deleteGroup(sales.id)).toBe(false)
      expect(await store.listGroups(acme.id)).toStrictEqual([dev])
      expect(await store.listGroupMembers(sales.id)).toStrictEqual([])
      expect(await store.listGroupsOf(alice.id)).toStrictEqual([dev.id])
      expect((await group(acme, 'sales')).id).not.toBe(sales.id)
    })
  })

  describe('group members', () => {
    it('replaces the members of a group and lists the groups of a user', async () => {
      const sales = await group(acme, 'sales')
      const dev = await group(acme, 'dev')
      expect(await store.listGroupMembers(sales.id)).toStrictEqual([])
      await store.setGroupMembers(sales.id, [alice.id, bob.id])
      await store.setGroupMembers(dev.id, [bob.id])
      expect(await store.listGroupMembers(sales.id)).toStrictEqual(sorted([alice.id, bob.id]))
      expect(await store.listGroupsOf(bob.id)).toStrictEqual(sorted([sales.id, dev.id]))
      await store.setGroupMembers(sales.id, [alice.id])
      expect(await store.listGroupMembers(sales.id)).toStrictEqual([alice.id])
      expect(await store.listGroupsOf(bob.id)).toStrictEqual([dev.id])
      expect(await store.listGroupsOf(carol.id)).toStrictEqual([])
    })

    it('counts a repeated member once, and an empty list empties the group', async () => {
      const sales = await group(acme, 'sales')
      await store.setGroupMembers(sales.id, [bob.id, alice.id, bob.id])
      expect(await store.listGroupMembers(sales.id)).toStrictEqual(sorted([alice.id, bob.id]))
      await store.setGroupMembers(sales.id, [])
      expect(await store.listGroupMembers(sales.id)).toStrictEqual([])
      expect(await store.listGroupsOf(alice.id)).toStrictEqual([])
    })

    it('rejects members of a missing group with NRV_NOT_FOUND', async () => {
      await expectCode(store.setGroupMembers('missing', [alice.id]), 'NRV_NOT_FOUND')
      await expectCode(store.setGroupMembers('missing', []), 'NRV_NOT_FOUND')
    })

    it('rejects a missing user or one of another organization and keeps the members', async () => {
      const sales = await group(acme, 'sales')
      await store.setGroupMembers(sales.id, [alice.id])
      await expectCode(store.setGroupMembers(sales.id, [bob.id, 'missing']), 'NRV_NOT_FOUND')
      await expectCode(store.setGroupMembers(sales.id, [bob.id, carol.id]), 'NRV_NOT_FOUND')
      expect(await store.listGroupMembers(sales.id)).toStrictEqual([alice.id])
      expect(await store.listGroupsOf(carol.id)).toStrictEqual([])
    })

    it('replaces a large membership in one call', async () => {
      const sales = await group(acme, 'sales')
      const users = [alice, bob]
      for (let i = 0; i < 1_200; i += 1) users.push(await store.createUser(newUser(acme, `u${i}`)))
      const ids = users.map((user) => user.id)
      await store.setGroupMembers(sales.id, ids)
      expect(await store.listGroupMembers(sales.id)).toStrictEqual(sorted(ids))
      await store.setGroupMembers(sales.id, ids.slice(0, 3))
      expect(await store.listGroupMembers(sales.id)).toStrictEqual(sorted(ids.slice(0, 3)))
    })
  })
}
