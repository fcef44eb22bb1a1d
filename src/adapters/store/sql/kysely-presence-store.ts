// PresenceStore, PolicyStore and DirectoryStore on any Kysely dialect: the query layer shared by the SQLite and
// PostgreSQL adapters, which supply only the dialect, its error classifier and its configuration;
// adapter layer.
import type { ContactMethod, Publication } from '../../../core/model/presence-model.js'
import type { OrganizationPolicy, PersonalSettings } from '../../../core/policy/policy-model.js'
import type { Subscription } from '../../../core/subscriptions/subscription.js'
import type {
  ContactList,
  DirectoryEntry,
  DirectoryFields,
  DirectoryImport,
  DirectoryImportResult,
  DirectoryPage,
  DirectoryQuery,
  DirectoryStore,
} from '../../../ports/directory-store.js'
import type {
  AuditEvent,
  AuditQuery,
  Group,
  PolicyStore,
  StoredAuditEvent,
} from '../../../ports/policy-store.js'
import type {
  ApiToken,
  NewApiToken,
  NewSubscription,
  NewUser,
  Organization,
  PresenceStore,
  StoredPublication,
  User,
  UserPatch,
} from '../../../ports/store.js'
import { sql } from 'kysely'
import * as audit from './audit-queries.js'
import * as lists from './contact-list-queries.js'
import { replaceContactMethods, selectContactMethods } from './contact-method-queries.js'
import type { NarvaroDb } from './database-schema.js'
import { importDirectory } from './directory-import-queries.js'
import * as directory from './directory-queries.js'
import * as groups from './group-queries.js'
import { migrateToLatest } from './migrations/narvaro-migrations.js'
import * as organizations from './organization-queries.js'
import * as policies from './policy-queries.js'
import * as publications from './publication-queries.js'
import { storeClosedError, toStoreError } from './store-errors.js'
import type { DriverErrorClassifier } from './store-errors.js'
import * as subscriptions from './subscription-queries.js'
import * as tokens from './token-queries.js'
import * as users from './user-queries.js'
import { KyselyScheduleStore } from './kysely-schedule-store.js'

export interface KyselyPresenceStoreOptions {
  readonly db: NarvaroDb
  /** Tells duplicates and unreachable databases apart in the dialect's own errors. */
  readonly classifyError: DriverErrorClassifier
  /** When a policy is stored, kept as its `updated_at` (the port passes no time); `Date.now`. */
  readonly now?: () => number
}

/** The stores of every SQL dialect; driver errors come out as NarvaroErrors. */
export class KyselyPresenceStore
  extends KyselyScheduleStore
  implements PresenceStore, PolicyStore, DirectoryStore
{
  private readonly db: NarvaroDb
  private readonly classifyError: DriverErrorClassifier
  private readonly now: () => number
  private closed = false

  constructor(options: KyselyPresenceStoreOptions) {
    super()
    this.db = options.db
    this.classifyError = options.classifyError
    this.now = options.now ?? Date.now
  }

  /** Runs one operation, turning what the driver throws into a NarvaroError. */
  protected override async run<T>(
    operation: string,
    work: (db: NarvaroDb) => Promise<T>,
  ): Promise<T> {
    if (this.closed) throw storeClosedError(operation)
    try {
      return await work(this.db)
    } catch (error) {
      throw toStoreError(error, operation, this.classifyError)
    }
  }

  migrate(): Promise<void> {
    return this.run('migrate', (db) => migrateToLatest(db))
  }

  async ping(): Promise<void> {
    await this.run('ping', (db) => sql`select 1`.execute(db))
  }

  /** Closes the database; closing twice is harmless, and every later call rejects. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    try {
      await this.db.destroy()
    } catch (error) {
      throw toStoreError(error, 'close', this.classifyError)
    }
  }

  createOrganization(input: Omit<Organization, 'id'>): Promise<Organization> {
    return this.run('createOrganization', (db) => organizations.insertOrganization(db, input))
  }

  getOrganization(id: string): Promise<Organization | undefined> {
    return this.run('getOrganization', (db) => organizations.selectOrganization(db, { id }))
  }

  getOrganizationByDomain(domain: string): Promise<Organization | undefined> {
    return this.run('getOrganizationByDomain', (db) =>
      organizations.selectOrganization(db, { domain }),
    )
  }

  listOrganizations(): Promise<readonly Organization[]> {
    return this.run('listOrganizations', (db) => organizations.selectOrganizations(db))
  }

  createUser(input: NewUser): Promise<User> {
    return this.run('createUser', (db) => users.insertUser(db, input))
  }

  getUser(id: string): Promise<User | undefined> {
    return this.run('getUser', (db) => users.selectUser(db, { id }))
  }

  getUserByAddress(address: string): Promise<User | undefined> {
    return this.run('getUserByAddress', (db) => users.selectUser(db, { address }))
  }

  listUsers(organizationId: string): Promise<readonly User[]> {
    return this.run('listUsers', (db) => users.selectUsers(db, organizationId))
  }

  countUsers(): Promise<number> {
    return this.run('countUsers', (db) => users.countUsers(db))
  }

  updateUser(id: string, patch: UserPatch): Promise<User | undefined> {
    return this.run('updateUser', (db) => users.updateUser(db, id, patch))
  }

  deleteUser(id: string): Promise<boolean> {
    return this.run('deleteUser', (db) => users.deleteUser(db, id))
  }

  createToken(input: NewApiToken): Promise<ApiToken> {
    return this.run('createToken', (db) => tokens.insertToken(db, input))
  }

  findToken(tokenHash: string, now: number): Promise<{ token: ApiToken; user: User } | undefined> {
    return this.run('findToken', (db) => tokens.selectLiveToken(db, tokenHash, now))
  }

  listTokens(userId: string): Promise<readonly ApiToken[]> {
    return this.run('listTokens', (db) => tokens.selectTokens(db, userId))
  }

  revokeToken(userId: string, tokenId: string, now: number): Promise<boolean> {
    return this.run('revokeToken', (db) => tokens.revokeToken(db, userId, tokenId, now))
  }

  recordLastSeen(seen: ReadonlyMap<string, number>): Promise<void> {
    return this.run('recordLastSeen', (db) => users.recordLastSeen(db, seen))
  }

  claimOneTimePassword(id: string, now: number): Promise<boolean> {
    return this.run('claimOneTimePassword', (db) => users.claimOneTimePassword(db, id, now))
  }

  revokeOtherTokens(
    userId: string,
    exceptTokenId: string | undefined,
    now: number,
  ): Promise<readonly string[]> {
    return this.run('revokeOtherTokens', (db) =>
      tokens.revokeOtherTokens(db, userId, exceptTokenId, now),
    )
  }

  touchTokens(touches: ReadonlyMap<string, number>): Promise<void> {
    return this.run('touchTokens', (db) => tokens.touchTokens(db, touches))
  }

  listContactMethods(userId: string): Promise<readonly ContactMethod[]> {
    return this.run('listContactMethods', (db) => selectContactMethods(db, userId))
  }

  replaceContactMethods(userId: string, methods: readonly ContactMethod[]): Promise<void> {
    return this.run('replaceContactMethods', (db) => replaceContactMethods(db, userId, methods))
  }

  putSubscription(input: NewSubscription): Promise<Subscription> {
    return this.run('putSubscription', (db) => subscriptions.upsertSubscription(db, input))
  }

  putSubscriptions(inputs: readonly NewSubscription[]): Promise<readonly Subscription[]> {
    return this.run('putSubscriptions', (db) => subscriptions.upsertSubscriptions(db, inputs))
  }

  deleteSubscription(watcherId: string, presentityId: string): Promise<boolean> {
    return this.run('deleteSubscription', (db) =>
      subscriptions.deleteSubscription(db, watcherId, presentityId),
    )
  }

  listSubscriptionsOf(watcherId: string): Promise<readonly Subscription[]> {
    return this.run('listSubscriptionsOf', (db) =>
      subscriptions.selectSubscriptionsOf(db, watcherId),
    )
  }

  listWatchersOf(presentityId: string): Promise<readonly Subscription[]> {
    return this.run('listWatchersOf', (db) => subscriptions.selectWatchersOf(db, presentityId))
  }

  putPublication(userId: string, publication: Publication): Promise<void> {
    return this.run('putPublication', (db) =>
      publications.upsertPublication(db, userId, publication),
    )
  }

  deletePublication(userId: string, sourceId: string): Promise<boolean> {
    return this.run('deletePublication', (db) =>
      publications.deletePublication(db, userId, sourceId),
    )
  }

  listPublications(now: number): Promise<readonly StoredPublication[]> {
    return this.run('listPublications', (db) => publications.selectLivePublications(db, now))
  }

  getOrganizationPolicy(organizationId: string): Promise<OrganizationPolicy | undefined> {
    return this.run('getOrganizationPolicy', (db) =>
      policies.selectOrganizationPolicy(db, organizationId),
    )
  }

  putOrganizationPolicy(organizationId: string, policy: OrganizationPolicy): Promise<void> {
    return this.run('putOrganizationPolicy', (db) =>
      policies.upsertOrganizationPolicy(db, organizationId, { policy, now: this.now() }),
    )
  }

  getPersonalSettings(userId: string): Promise<PersonalSettings | undefined> {
    return this.run('getPersonalSettings', (db) => policies.selectPersonalSettings(db, userId))
  }

  putPersonalSettings(userId: string, settings: PersonalSettings): Promise<void> {
    return this.run('putPersonalSettings', (db) =>
      policies.upsertPersonalSettings(db, userId, settings),
    )
  }

  listPersonalSettings(organizationId: string): Promise<ReadonlyMap<string, PersonalSettings>> {
    return this.run('listPersonalSettings', (db) =>
      policies.selectPersonalSettingsOf(db, organizationId),
    )
  }

  createGroup(input: Omit<Group, 'id'>): Promise<Group> {
    return this.run('createGroup', (db) => groups.insertGroup(db, input))
  }

  deleteGroup(groupId: string): Promise<boolean> {
    return this.run('deleteGroup', (db) => groups.deleteGroup(db, groupId))
  }

  listGroups(organizationId: string): Promise<readonly Group[]> {
    return this.run('listGroups', (db) => groups.selectGroups(db, organizationId))
  }

  setGroupMembers(groupId: string, userIds: readonly string[]): Promise<void> {
    return this.run('setGroupMembers', (db) => groups.replaceGroupMembers(db, groupId, userIds))
  }

  listGroupMembers(groupId: string): Promise<readonly string[]> {
    return this.run('listGroupMembers', (db) => groups.selectGroupMembers(db, groupId))
  }

  listGroupsOf(userId: string): Promise<readonly string[]> {
    return this.run('listGroupsOf', (db) => groups.selectGroupsOf(db, userId))
  }

  appendAudit(events: readonly AuditEvent[]): Promise<void> {
    return this.run('appendAudit', (db) => audit.insertAuditEvents(db, events))
  }

  listAudit(query: AuditQuery): Promise<readonly StoredAuditEvent[]> {
    return this.run('listAudit', (db) => audit.selectAuditEvents(db, query))
  }

  pruneAudit(before: number): Promise<number> {
    return this.run('pruneAudit', (db) => audit.deleteAuditEventsBefore(db, before))
  }

  setDirectoryFields(userId: string, fields: DirectoryFields): Promise<DirectoryEntry | undefined> {
    return this.run('setDirectoryFields', (db) =>
      directory.updateDirectoryFields(db, userId, fields),
    )
  }

  listUserTags(userId: string): Promise<readonly string[]> {
    return this.run('listUserTags', (db) => directory.selectUserTags(db, userId))
  }

  searchDirectory(query: DirectoryQuery): Promise<DirectoryPage> {
    return this.run('searchDirectory', (db) => directory.searchDirectory(db, query))
  }

  findDirectoryEntries(
    organizationId: string,
    keys: { readonly ids?: readonly string[]; readonly addresses?: readonly string[] },
  ): Promise<readonly DirectoryEntry[]> {
    return this.run('findDirectoryEntries', (db) =>
      directory.findDirectoryEntries(db, organizationId, keys),
    )
  }

  createContactList(input: Omit<ContactList, 'id'>): Promise<ContactList> {
    return this.run('createContactList', (db) => lists.insertContactList(db, input))
  }

  listContactLists(ownerId: string): Promise<readonly ContactList[]> {
    return this.run('listContactLists', (db) => lists.selectContactLists(db, ownerId))
  }

  getContactList(ownerId: string, name: string): Promise<ContactList | undefined> {
    return this.run('getContactList', (db) => lists.selectContactList(db, ownerId, name))
  }

  deleteContactList(listId: string): Promise<boolean> {
    return this.run('deleteContactList', (db) => lists.deleteContactList(db, listId))
  }

  setContactListMembers(listId: string, userIds: readonly string[]): Promise<void> {
    return this.run('setContactListMembers', (db) =>
      lists.replaceContactListMembers(db, listId, userIds),
    )
  }

  addContactListMembers(listId: string, userIds: readonly string[]): Promise<void> {
    return this.run('addContactListMembers', (db) =>
      lists.addContactListMembers(db, listId, userIds),
    )
  }

  removeContactListMembers(listId: string, userIds: readonly string[]): Promise<void> {
    return this.run('removeContactListMembers', (db) =>
      lists.removeContactListMembers(db, listId, userIds),
    )
  }

  listContactListMembers(listId: string): Promise<readonly string[]> {
    return this.run('listContactListMembers', (db) => lists.selectContactListMembers(db, listId))
  }

  importDirectory(input: DirectoryImport): Promise<DirectoryImportResult> {
    return this.run('importDirectory', (db) => importDirectory(db, input))
  }
}
