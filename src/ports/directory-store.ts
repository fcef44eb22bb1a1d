// The store port of the directory: titles and tags of people, search by text, team and tag, personal
// contact lists, and bulk import. Durable; implemented by the same adapters as `PresenceStore`.
import type { WeeklyHours } from '../core/model/presence-model.js'

/** A tag (a skill, a language…): lower case, `[a-z0-9][a-z0-9._-]{0,47}`. */
export const tagPattern = /^[a-z0-9][a-z0-9._-]{0,47}$/

/** The largest page of a directory search. */
export const maxDirectoryPage = 500

/** One person as the directory shows them: no presence, no contact methods. */
export interface DirectoryEntry {
  readonly userId: string
  readonly address: string
  readonly displayName: string
  readonly title?: string
  readonly timeZone: string
  readonly workingHours?: WeeklyHours
  /** Sorted. */
  readonly tags: readonly string[]
  /** Ids of the groups (teams) the person belongs to, sorted. */
  readonly groupIds: readonly string[]
}

/** A search of one organization; every criterion given must hold (AND). */
export interface DirectoryQuery {
  readonly organizationId: string
  /** A case-insensitive substring of the address or the display name. */
  readonly text?: string
  /** Members of this group (team) only. */
  readonly groupId?: string
  /** People with this tag only (already normalized). */
  readonly tag?: string
  /** At most this many entries (1 to `maxDirectoryPage`). */
  readonly limit: number
  /** Only addresses after this one: the `next` of the previous page. */
  readonly after?: string
}

export interface DirectoryPage {
  /** By address. */
  readonly entries: readonly DirectoryEntry[]
  /** The address to pass as `after` for the next page; absent on the last page. */
  readonly next?: string
}

/** What `setDirectoryFields` changes: an absent key keeps its value, `title: null` clears it. */
export interface DirectoryFields {
  readonly title?: string | null
  /** Replaces every tag (already normalized). */
  readonly tags?: readonly string[]
}

export interface ContactList {
  readonly id: string
  readonly ownerId: string
  readonly name: string
  readonly createdAt: number
}

/** One person of a bulk import; an absent field keeps what an existing user has. */
export interface ImportedPerson {
  /** Normalized, in the import's organization. */
  readonly address: string
  readonly displayName?: string
  readonly title?: string
  /** Replaces the person's tags. */
  readonly tags?: readonly string[]
  /** Group (team) names the person is added to; missing groups are created. Never removes. */
  readonly teams?: readonly string[]
  readonly timeZone?: string
  readonly workingHours?: WeeklyHours
}

export interface DirectoryImport {
  readonly organizationId: string
  readonly people: readonly ImportedPerson[]
  /** Given to the users and groups the import creates. */
  readonly createdAt: number
  /** The password hash of the users it creates (a marker that can never verify). */
  readonly passwordHash: string
}

export interface DirectoryImportResult {
  /** User ids of the people created, in input order. */
  readonly created: readonly string[]
  /** User ids of the existing users updated, in input order. */
  readonly updated: readonly string[]
  /** Names of the groups created. */
  readonly createdGroups: readonly string[]
}

/**
 * Durable directory data. Errors as for `PresenceStore`: `NRV_STORE_UNAVAILABLE` when unreachable,
 * `NRV_CONFLICT` on a duplicate, `NRV_NOT_FOUND` for a reference to a missing row.
 */
export interface DirectoryStore {
  /** Changes a user's title and tags in one transaction; undefined for a missing user. */
  setDirectoryFields(userId: string, fields: DirectoryFields): Promise<DirectoryEntry | undefined>
  /** A user's tags, sorted. */
  listUserTags(userId: string): Promise<readonly string[]>
  searchDirectory(query: DirectoryQuery): Promise<DirectoryPage>
  /** The entries of the users of one organization with these ids or addresses, by address. */
  findDirectoryEntries(
    organizationId: string,
    keys: { readonly ids?: readonly string[]; readonly addresses?: readonly string[] },
  ): Promise<readonly DirectoryEntry[]>

  createContactList(input: Omit<ContactList, 'id'>): Promise<ContactList>
  /** The owner's lists, by name. */
  listContactLists(ownerId: string): Promise<readonly ContactList[]>
  getContactList(ownerId: string, name: string): Promise<ContactList | undefined>
  /** Removes the list and its memberships. */
  deleteContactList(listId: string): Promise<boolean>
  /** Replaces the members (user ids); a repeated id counts once. */
  setContactListMembers(listId: string, userIds: readonly string[]): Promise<void>
  /** Adds members; those already in the list stay once. */
  addContactListMembers(listId: string, userIds: readonly string[]): Promise<void>
  removeContactListMembers(listId: string, userIds: readonly string[]): Promise<void>
  /** Member user ids, sorted. */
  listContactListMembers(listId: string): Promise<readonly string[]>

  /** Creates and updates people and creates groups in one transaction (all or nothing). */
  importDirectory(input: DirectoryImport): Promise<DirectoryImportResult>
}
