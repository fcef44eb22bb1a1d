// The DirectoryStore contract for the bulk import of people and teams; contract tests, run from
// describeDirectoryStoreContract.
import { beforeEach, describe, expect, it } from 'vitest'
import type { DirectoryImport } from '../../src/ports/directory-store.js'
import type { DirectoryFixture } from './directory-store-contract.js'
import { expectCode, officeHours, t0 } from './presence-store-fixtures.js'

const marker = '!imported'

/** Registers its tests inside the caller's describe, after the caller's own beforeEach. */
export const describeImportContract = (fixture: () => DirectoryFixture): void => {
  let f: DirectoryFixture

  beforeEach(() => {
    f = fixture()
  })

  const importOf = (people: DirectoryImport['people']): DirectoryImport => ({
    organizationId: f.acme.id,
    people,
    createdAt: t0 + 5,
    passwordHash: marker,
  })

  describe('import', () => {
    it('creates new people with defaults and the marker hash, and teams that are missing', async () => {
      const { store, acme } = f
      const result = await store.importDirectory(
        importOf([
          {
            address: 'dan@acme.example',
            displayName: 'Dan Dahl',
            title: 'Engineer',
            tags: ['go', 'rust'],
            teams: ['platform', 'on-call'],
            timeZone: 'Europe/Berlin',
            workingHours: officeHours,
          },
          { address: 'eve@acme.example' },
        ]),
      )
      expect(result.created).toHaveLength(2)
      expect(result.updated).toStrictEqual([])
      expect([...result.createdGroups].sort()).toStrictEqual(['on-call', 'platform'])
      const dan = await store.getUserByAddress('dan@acme.example')
      expect(dan).toStrictEqual({
        id: result.created[0],
        organizationId: acme.id,
        address: 'dan@acme.example',
        displayName: 'Dan Dahl',
        title: 'Engineer',
        role: 'member',
        timeZone: 'Europe/Berlin',
        workingHours: officeHours,
        passwordHash: marker,
        createdAt: t0 + 5,
      })
      const eve = await store.getUserByAddress('eve@acme.example')
      expect(eve).toMatchObject({ displayName: 'eve', timeZone: 'UTC', role: 'member' })
      expect(eve && 'title' in eve).toBe(false)
      const groups = await store.listGroups(acme.id)
      expect(groups.map((g) => g.name)).toStrictEqual(['on-call', 'platform'])
      for (const group of groups)
        expect(await store.listGroupMembers(group.id)).toStrictEqual([dan!.id])
      expect(await store.listUserTags(dan!.id)).toStrictEqual(['go', 'rust'])
      const found = await store.searchDirectory({ organizationId: acme.id, text: 'dahl', limit: 5 })
      expect(found.entries.map((e) => e.address)).toStrictEqual(['dan@acme.example'])
    })

    it('updates only the given fields of existing users and adds them to teams', async () => {
      const { store, acme, alice, bob } = f
      const sales = await store.createGroup({
        organizationId: acme.id,
        name: 'sales',
        createdAt: t0,
      })
      await store.setGroupMembers(sales.id, [alice.id])
      await store.setDirectoryFields(bob.id, { title: 'Builder', tags: ['old'] })
      const result = await store.importDirectory(
        importOf([
          { address: alice.address, title: 'Seller', teams: ['sales', 'emea'] },
          { address: bob.address, displayName: 'Robert', tags: ['new'] },
        ]),
      )
      expect(result).toStrictEqual({
        created: [],
        updated: [alice.id, bob.id],
        createdGroups: ['emea'],
      })
      expect(await store.getUser(alice.id)).toStrictEqual({ ...alice, title: 'Seller' })
      expect(await store.getUser(bob.id)).toStrictEqual({
        ...bob,
        displayName: 'Robert',
        title: 'Builder',
      })
      expect(await store.listUserTags(bob.id)).toStrictEqual(['new'])
      expect(await store.listGroupMembers(sales.id)).toStrictEqual([alice.id])
      const [entry] = await store.findDirectoryEntries(acme.id, { ids: [alice.id] })
      expect(entry?.groupIds).toHaveLength(2)
    })

    it('rejects an address of another organization and writes nothing', async () => {
      const { store, acme, carol } = f
      const people = [{ address: 'new@acme.example', teams: ['x'] }, { address: carol.address }]
      await expectCode(store.importDirectory(importOf(people)), 'NRV_CONFLICT')
      expect(await store.getUserByAddress('new@acme.example')).toBeUndefined()
      expect(await store.listGroups(acme.id)).toStrictEqual([])
    })

    it('imports thousands of people in one call', async () => {
      const { store, acme } = f
      const people = Array.from({ length: 3_000 }, (_, i) => ({
        address: `p${i}@acme.example`,
        displayName: `Person ${i}`,
        tags: [`t${i % 7}`],
        teams: [`team-${i % 30}`],
      }))
      const result = await store.importDirectory(importOf(people))
      expect(result.created).toHaveLength(3_000)
      expect(result.createdGroups).toHaveLength(30)
      const page = await store.searchDirectory({ organizationId: acme.id, tag: 't3', limit: 500 })
      expect(page.entries).toHaveLength(429)
      expect(await store.countUsers()).toBe(3_004)
    })
  })
}
