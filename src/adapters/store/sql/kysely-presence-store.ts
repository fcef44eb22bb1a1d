// PresenceStore on any Kysely dialect: the query layer shared by the SQLite and PostgreSQL
// adapters, which supply only the dialect, its error classifier and its configuration; adapter layer.
import type { ContactMethod, Publication } from '../../../core/model/presence-model.js'
import type { Subscription } from '../../../core/subscriptions/subscription.js'
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
import { replaceContactMethods, selectContactMethods } from './contact-method-queries.js'
import type { NarvaroDb } from './database-schema.js'
import { migrateToLatest } from './migrations/narvaro-migrations.js'
import * as organizations from './organization-queries.js'
import * as publications from './publication-queries.js'
import { storeClosedError, toStoreError } from './store-errors.js'
import type { DriverErrorClassifier } from './store-errors.js'
import * as subscriptions from './subscription-queries.js'
import * as tokens from './token-queries.js'
import * as users from './user-queries.js'

export interface KyselyPresenceStoreOptions {
  readonly db: NarvaroDb
  /** Tells duplicates and unreachable databases apart in the dialect's own errors. */
  readonly classifyError: DriverErrorClassifier
}

/** The PresenceStore of every SQL dialect; driver errors come out as NarvaroErrors. */
export class KyselyPresenceStore implements PresenceStore {
  private readonly db: NarvaroDb
  private readonly classifyError: DriverErrorClassifier
  private closed = false

  constructor(options: KyselyPresenceStoreOptions) {
    this.db = options.db
    this.classifyError = options.classifyError
  }

  /** Runs one operation, turning what the driver throws into a NarvaroError. */
  protected async run<T>(operation: string, work: (db: NarvaroDb) => Promise<T>): Promise<T> {
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

  touchToken(tokenId: string, now: number): Promise<void> {
    return this.run('touchToken', (db) => tokens.touchToken(db, tokenId, now))
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
}
