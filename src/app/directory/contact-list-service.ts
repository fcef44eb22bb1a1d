// Personal contact lists: each user keeps named lists of colleagues, seen by nobody else; app layer.
// Members are users of the owner's organization; any other address is `presentityNotFound`.
import { NarvaroError } from '../../core/errors.js'
import { qualifyAddress } from '../../core/model/address.js'
import { presentityNotFound } from '../../core/subscriptions/hidden-presentity.js'
import type { Clock } from '../../ports/clock.js'
import type { ContactList, DirectoryEntry } from '../../ports/directory-store.js'
import type { User } from '../../ports/store.js'
import type { NarvaroStore } from '../../ports/narvaro-store.js'

export const maxListsPerUser = 200
export const maxListMembers = 5_000
/** Printable, no slash (names go into URLs), at most 100 characters. */
export const listNamePattern = /^[^/\\\p{Cc}]{1,100}$/u

export interface ContactListMember {
  readonly address: string
  readonly displayName: string
}

export interface ContactListView {
  readonly name: string
  readonly createdAt: number
  /** By address. */
  readonly members: readonly ContactListMember[]
}

const notFound = (name: string): NarvaroError =>
  new NarvaroError('NRV_NOT_FOUND', `you have no contact list ${JSON.stringify(name)}`)

export class ContactListService {
  constructor(private readonly deps: { readonly store: NarvaroStore; readonly clock: Clock }) {}

  /** The users behind addresses (or local parts) of the owner's organization; all or NRV_NOT_FOUND. */
  private async resolve(owner: User, raw: readonly string[]): Promise<readonly DirectoryEntry[]> {
    if (raw.length > maxListMembers) {
      throw new NarvaroError(
        'NRV_VALIDATION',
        `a contact list has at most ${maxListMembers} members`,
      )
    }
    const domain = owner.address.slice(owner.address.lastIndexOf('@') + 1)
    const addresses = raw.map((a) => {
      const parsed = qualifyAddress(a, domain)
      if (!parsed)
        throw new NarvaroError(
          'NRV_ADDRESS_INVALID',
          `not a valid address: ${JSON.stringify(a.slice(0, 100))}`,
        )
      return parsed.address
    })
    const entries = await this.deps.store.findDirectoryEntries(owner.organizationId, { addresses })
    const found = new Set(entries.map((e) => e.address))
    const missing = [...new Set(addresses)].filter((a) => !found.has(a))
    if (missing.length > 0) {
      // Another organization's person is answered exactly as one that nobody is.
      throw presentityNotFound(missing.join(', '), { details: { addresses: missing.slice(0, 20) } })
    }
    return entries
  }

  private async require(owner: User, name: string): Promise<ContactList> {
    const list = await this.deps.store.getContactList(owner.id, name)
    if (!list) throw notFound(name)
    return list
  }

  private async view(owner: User, list: ContactList): Promise<ContactListView> {
    const ids = await this.deps.store.listContactListMembers(list.id)
    const entries = await this.deps.store.findDirectoryEntries(owner.organizationId, { ids })
    const members = entries.map((e) => ({ address: e.address, displayName: e.displayName }))
    return { name: list.name, createdAt: list.createdAt, members }
  }

  /** The members of one of the owner's lists, as directory entries (for who-is-available). */
  async entries(owner: User, name: string): Promise<readonly DirectoryEntry[]> {
    const ids = await this.deps.store.listContactListMembers((await this.require(owner, name)).id)
    return this.deps.store.findDirectoryEntries(owner.organizationId, { ids })
  }

  async list(owner: User): Promise<readonly ContactListView[]> {
    const lists = await this.deps.store.listContactLists(owner.id)
    return Promise.all(lists.map((list) => this.view(owner, list)))
  }

  async get(owner: User, name: string): Promise<ContactListView> {
    return this.view(owner, await this.require(owner, name))
  }

  async create(owner: User, name: string, members: readonly string[]): Promise<ContactListView> {
    if (!listNamePattern.test(name)) {
      throw new NarvaroError('NRV_VALIDATION', 'a list name has 1 to 100 characters and no slash')
    }
    if ((await this.deps.store.listContactLists(owner.id)).length >= maxListsPerUser) {
      throw new NarvaroError('NRV_VALIDATION', `at most ${maxListsPerUser} contact lists each`)
    }
    const entries = await this.resolve(owner, members)
    if (await this.deps.store.getContactList(owner.id, name)) {
      throw new NarvaroError(
        'NRV_CONFLICT',
        `you have a contact list ${JSON.stringify(name)} already`,
      )
    }
    const list = await this.deps.store.createContactList({
      ownerId: owner.id,
      name,
      createdAt: this.deps.clock.now(),
    })
    await this.deps.store.setContactListMembers(
      list.id,
      entries.map((e) => e.userId),
    )
    return this.view(owner, list)
  }

  async replace(owner: User, name: string, members: readonly string[]): Promise<ContactListView> {
    const list = await this.require(owner, name)
    const entries = await this.resolve(owner, members)
    await this.deps.store.setContactListMembers(
      list.id,
      entries.map((e) => e.userId),
    )
    return this.view(owner, list)
  }

  async add(owner: User, name: string, members: readonly string[]): Promise<ContactListView> {
    const list = await this.require(owner, name)
    const entries = await this.resolve(owner, members)
    const count = new Set([
      ...(await this.deps.store.listContactListMembers(list.id)),
      ...entries.map((e) => e.userId),
    ]).size
    if (count > maxListMembers) {
      throw new NarvaroError(
        'NRV_VALIDATION',
        `a contact list has at most ${maxListMembers} members`,
      )
    }
    await this.deps.store.addContactListMembers(
      list.id,
      entries.map((e) => e.userId),
    )
    return this.view(owner, list)
  }

  /** Removes members; an address that is not in the list is NRV_NOT_FOUND, like an unknown one. */
  async remove(owner: User, name: string, members: readonly string[]): Promise<ContactListView> {
    const list = await this.require(owner, name)
    const entries = await this.resolve(owner, members)
    const current = new Set(await this.deps.store.listContactListMembers(list.id))
    const absent = entries.filter((e) => !current.has(e.userId)).map((e) => e.address)
    if (absent.length > 0) {
      throw new NarvaroError(
        'NRV_NOT_FOUND',
        `not in the list ${JSON.stringify(name)}: ${absent.join(', ')}`,
      )
    }
    await this.deps.store.removeContactListMembers(
      list.id,
      entries.map((e) => e.userId),
    )
    return this.view(owner, list)
  }

  async delete(owner: User, name: string): Promise<void> {
    const list = await this.require(owner, name)
    await this.deps.store.deleteContactList(list.id)
  }
}
