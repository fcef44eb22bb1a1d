// The contract of the DirectoryStore port: one suite that every store adapter runs; contract tests.
// Titles and tags round-trip; search combines text, team and tag and pages by address.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DirectoryStore } from '../../src/ports/directory-store.js'
import type { Organization, User } from '../../src/ports/store.js'
import type { FullStore } from './policy-store-fixtures.js'
import { describeContactListContract } from './directory-store-list-contract.js'
import { describeImportContract } from './directory-store-import-contract.js'
import { expectCode, newUser, officeHours, t0 } from './presence-store-fixtures.js'

export type DirectoryTestStore = FullStore & DirectoryStore

/** A migrated store with Acme (Alice, Bob, Åsa) and Beta (Carol). */
export interface DirectoryFixture {
  readonly store: DirectoryTestStore
  readonly acme: Organization
  readonly beta: Organization
  readonly alice: User
  readonly bob: User
  readonly asa: User
  readonly carol: User
}

/** Runs the DirectoryStore contract against stores made by `makeStore` (one fresh store per test). */
export const describeDirectoryStoreContract = (
  name: string,
  makeStore: () => Promise<DirectoryTestStore>,
): void => {
  describe(`${name} (DirectoryStore contract)`, () => {
    let f: DirectoryFixture

    beforeEach(async () => {
      const store = await makeStore()
      await store.migrate()
      const acme = await store.createOrganization({
        domain: 'acme.example',
        name: 'A',
        createdAt: t0,
      })
      const beta = await store.createOrganization({
        domain: 'beta.example',
        name: 'B',
        createdAt: t0,
      })
      const alice = await store.createUser(newUser(acme, 'alice'))
      const bob = await store.createUser({ ...newUser(acme, 'bob'), displayName: 'Bob Builder' })
      const asa = await store.createUser({ ...newUser(acme, 'asa'), displayName: 'ÅSA Öberg' })
      const carol = await store.createUser(newUser(beta, 'carol'))
      f = { store, acme, beta, alice, bob, asa, carol }
    })

    afterEach(async () => {
      await f.store.close()
    })

    it('rejects with NRV_STORE_UNAVAILABLE once closed', async () => {
      await f.store.close()
      await expectCode(f.store.listUserTags(f.alice.id), 'NRV_STORE_UNAVAILABLE')
    })

    describe('titles and tags', () => {
      it('sets a title and tags, reads them back sorted, and keeps what is not given', async () => {
        const { store, alice } = f
        const entry = await store.setDirectoryFields(alice.id, {
          title: 'Head of Sales',
          tags: ['swedish', 'emea', 'crm'],
        })
        expect(entry).toStrictEqual({
          userId: alice.id,
          address: alice.address,
          displayName: 'Alice',
          title: 'Head of Sales',
          timeZone: 'Europe/Stockholm',
          tags: ['crm', 'emea', 'swedish'],
          groupIds: [],
        })
        expect(await store.listUserTags(alice.id)).toStrictEqual(['crm', 'emea', 'swedish'])
        expect((await store.getUser(alice.id))?.title).toBe('Head of Sales')
        const kept = await store.setDirectoryFields(alice.id, { tags: ['crm'] })
        expect(kept).toMatchObject({ title: 'Head of Sales', tags: ['crm'] })
        const cleared = await store.setDirectoryFields(alice.id, { title: null, tags: [] })
        expect(cleared).toStrictEqual({
          userId: alice.id,
          address: alice.address,
          displayName: 'Alice',
          timeZone: 'Europe/Stockholm',
          tags: [],
          groupIds: [],
        })
        expect('title' in (await store.getUser(alice.id))!).toBe(false)
      })

      it('answers undefined for a missing user and keeps tags apart per user', async () => {
        const { store, alice, bob } = f
        expect(await store.setDirectoryFields('missing', { title: 'x' })).toBeUndefined()
        await store.setDirectoryFields(alice.id, { tags: ['a', 'b'] })
        await store.setDirectoryFields(bob.id, { tags: ['b', 'c', 'c'] })
        expect(await store.listUserTags(alice.id)).toStrictEqual(['a', 'b'])
        expect(await store.listUserTags(bob.id)).toStrictEqual(['b', 'c'])
        expect(await store.listUserTags('missing')).toStrictEqual([])
      })

      it('removes the tags of a deleted user', async () => {
        const { store, alice, acme } = f
        await store.setDirectoryFields(alice.id, { tags: ['a'] })
        expect(await store.deleteUser(alice.id)).toBe(true)
        const page = await store.searchDirectory({ organizationId: acme.id, tag: 'a', limit: 10 })
        expect(page.entries).toStrictEqual([])
      })
    })

    describe('search', () => {
      const addresses = (page: { entries: readonly { address: string }[] }) =>
        page.entries.map((e) => e.address)

      it('lists the whole organization by address, never another one', async () => {
        const { store, acme, beta } = f
        const page = await store.searchDirectory({ organizationId: acme.id, limit: 10 })
        expect(addresses(page)).toStrictEqual([
          'alice@acme.example',
          'asa@acme.example',
          'bob@acme.example',
        ])
        expect(page.next).toBeUndefined()
        const other = await store.searchDirectory({ organizationId: beta.id, limit: 10 })
        expect(addresses(other)).toStrictEqual(['carol@beta.example'])
      })

      it('matches text case-insensitively in the address or the display name', async () => {
        const { store, acme, bob } = f
        const search = (text: string) =>
          store.searchDirectory({ organizationId: acme.id, text, limit: 10 })
        expect(addresses(await search('BUILD'))).toStrictEqual(['bob@acme.example'])
        expect(addresses(await search('åsa ö'))).toStrictEqual(['asa@acme.example'])
        expect(addresses(await search('ALI'))).toStrictEqual(['alice@acme.example'])
        expect(addresses(await search('e.exam'))).toHaveLength(3)
        expect(addresses(await search('%'))).toStrictEqual([])
        expect(addresses(await search('_'))).toStrictEqual([])
        await store.updateUser(bob.id, { displayName: 'Robert 100%_sure' })
        expect(addresses(await search('0%_s'))).toStrictEqual(['bob@acme.example'])
        expect(addresses(await search('builder'))).toStrictEqual([])
      })

      it('filters by team and by tag, combined with the text (AND)', async () => {
        const { store, acme, alice, bob, asa } = f
        const sales = await store.createGroup({
          organizationId: acme.id,
          name: 'sales',
          createdAt: t0,
        })
        await store.setGroupMembers(sales.id, [alice.id, bob.id])
        await store.setDirectoryFields(bob.id, { tags: ['swedish'] })
        await store.setDirectoryFields(asa.id, { tags: ['swedish', 'german'] })
        const search = (query: { text?: string; groupId?: string; tag?: string }) =>
          store.searchDirectory({ organizationId: acme.id, limit: 10, ...query })
        expect(addresses(await search({ groupId: sales.id }))).toStrictEqual([
          'alice@acme.example',
          'bob@acme.example',
        ])
        expect(addresses(await search({ tag: 'swedish' }))).toStrictEqual([
          'asa@acme.example',
          'bob@acme.example',
        ])
        expect(addresses(await search({ groupId: sales.id, tag: 'swedish' }))).toStrictEqual([
          'bob@acme.example',
        ])
        expect(
          addresses(await search({ groupId: sales.id, tag: 'swedish', text: 'ali' })),
        ).toStrictEqual([])
        expect(addresses(await search({ groupId: 'missing' }))).toStrictEqual([])
        const [entry] = (await search({ text: 'bob' })).entries
        expect(entry).toMatchObject({ tags: ['swedish'], groupIds: [sales.id] })
      })

      it('pages by address with a cursor, no entry twice or missed', async () => {
        const { store, acme } = f
        for (let i = 0; i < 25; i += 1) {
          await store.createUser(newUser(acme, `u${String(i).padStart(2, '0')}`))
        }
        const seen: string[] = []
        let after: string | undefined
        let pages = 0
        do {
          const page = await store.searchDirectory({
            organizationId: acme.id,
            limit: 7,
            ...(after === undefined ? {} : { after }),
          })
          seen.push(...addresses(page))
          after = page.next
          pages += 1
        } while (after !== undefined)
        expect(pages).toBe(4)
        expect(seen).toHaveLength(28)
        expect(seen).toStrictEqual([...seen].sort())
        expect(new Set(seen).size).toBe(28)
      })
    })

    describe('bulk lookup', () => {
      it('finds entries by ids and addresses in one organization, by address', async () => {
        const { store, acme, alice, bob, asa, carol } = f
        await store.updateUser(bob.id, { workingHours: officeHours })
        const found = await store.findDirectoryEntries(acme.id, {
          ids: [bob.id, carol.id, 'missing', bob.id],
          addresses: ['alice@acme.example', 'nobody@acme.example', 'carol@beta.example'],
        })
        expect(found.map((e) => e.userId)).toStrictEqual([alice.id, bob.id])
        expect(found[1]).toStrictEqual({
          userId: bob.id,
          address: bob.address,
          displayName: 'Bob Builder',
          timeZone: 'Europe/Stockholm',
          workingHours: officeHours,
          tags: [],
          groupIds: [],
        })
        expect(await store.findDirectoryEntries(acme.id, {})).toStrictEqual([])
        const many = await store.findDirectoryEntries(acme.id, {
          ids: Array.from({ length: 1_200 }, (_, i) => (i === 600 ? asa.id : `x${i}`)),
        })
        expect(many.map((e) => e.address)).toStrictEqual([asa.address])
      })
    })

    describeContactListContract(() => f)
    describeImportContract(() => f)
  })
}
