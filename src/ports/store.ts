// The store port: durable data (organizations, users, tokens, contact methods, subscriptions and the
// person's own durable publications). Device publications are soft state and never stored here.
import type { ContactMethod, Publication, WeeklyHours } from '../core/model/presence-model.js'
import type { Subscription, SubscriptionState } from '../core/subscriptions/subscription.js'

export interface Organization {
  readonly id: string
  readonly domain: string
  readonly name: string
  readonly createdAt: number
}

export const userRoles = ['admin', 'member'] as const
export type UserRole = (typeof userRoles)[number]

/** The SCRAM keys of one hash function (RFC 5802 §3), base64: enough to verify, not to sign in. */
export interface ScramKeys {
  readonly salt: string
  readonly iterations: number
  readonly storedKey: string
  readonly serverKey: string
}

/** SCRAM keys of a password, by hash function. */
export interface ScramCredentials {
  readonly 'SHA-1': ScramKeys
  readonly 'SHA-256': ScramKeys
}

/**
 * A user's SIP credentials for digest authentication (RFC 8760): H(username:realm:password) in each
 * algorithm, never the password. Set apart from the password; `setAt` tells one setting from the next.
 */
export interface SipDigestCredentials {
  readonly username: string
  readonly realm: string
  readonly md5: string
  readonly sha256: string
  readonly setAt: number
}

export interface User {
  readonly id: string
  readonly organizationId: string
  readonly address: string
  readonly displayName: string
  /** The person's job title, shown in the directory. */
  readonly title?: string
  readonly role: UserRole
  readonly timeZone: string
  readonly workingHours?: WeeklyHours
  readonly passwordHash: string
  /** The SCRAM keys of the same password (XMPP sign-in), absent for one set before they existed. */
  readonly scram?: ScramCredentials
  /** Digest credentials for SIP phones, when the person or an admin set them. */
  readonly sipDigest?: SipDigestCredentials
  /**
   * The password was set by an admin (or generated): it is one-time and must be changed; until
   * then the user's tokens may only change the password.
   */
  readonly mustChangePassword?: true
  /** When the one-time password signed in: it never signs in again. */
  readonly oneTimeUsedAt?: number
  readonly createdAt: number
  /** When the person was last seen online (kept across restarts). */
  readonly lastSeen?: number
}

export interface NewUser {
  readonly organizationId: string
  readonly address: string
  readonly displayName: string
  readonly role: UserRole
  readonly timeZone: string
  readonly passwordHash: string
  readonly scram?: ScramCredentials | null
  /** A one-time password (set by an admin or generated): it must be changed at first sign-in. */
  readonly mustChangePassword?: boolean
  readonly createdAt: number
}

export type UserPatch = Partial<
  Pick<User, 'displayName' | 'role' | 'timeZone' | 'workingHours' | 'passwordHash' | 'lastSeen'>
> & {
  readonly mustChangePassword?: boolean
  /** `null` clears it (a new password). */
  readonly oneTimeUsedAt?: number | null
  /** The SCRAM keys of a new password; `null` when SASLprep refuses it (SCRAM then fails). */
  readonly scram?: ScramCredentials | null
  /** New SIP credentials; `null` removes them. */
  readonly sipDigest?: SipDigestCredentials | null
}

export interface ApiToken {
  readonly id: string
  readonly userId: string
  readonly name: string
  readonly createdAt: number
  readonly expiresAt?: number
  readonly revokedAt?: number
  readonly lastUsedAt?: number
}

export interface NewApiToken {
  readonly userId: string
  readonly name: string
  /** SHA-256 of the secret, hex; the secret itself is never stored. */
  readonly tokenHash: string
  readonly createdAt: number
  readonly expiresAt?: number
}

/** A durable publication of the person: the manual choice and the note, each with its expiry. */
export interface StoredPublication {
  readonly userId: string
  readonly publication: Publication
}

export interface NewSubscription {
  readonly watcherId: string
  readonly presentityId: string
  readonly state: SubscriptionState
  readonly createdAt: number
}

/**
 * Durable data of Närvaro. Every method rejects with `NRV_STORE_UNAVAILABLE` when the database
 * cannot be reached, `NRV_CONFLICT` on a duplicate, and returns `undefined` for what is missing.
 */
export interface PresenceStore {
  /** Brings the schema up to date; run at start. */
  migrate(): Promise<void>
  /** A cheap round trip, for readiness. */
  ping(): Promise<void>
  close(): Promise<void>

  createOrganization(input: Omit<Organization, 'id'>): Promise<Organization>
  getOrganization(id: string): Promise<Organization | undefined>
  getOrganizationByDomain(domain: string): Promise<Organization | undefined>
  listOrganizations(): Promise<readonly Organization[]>

  createUser(input: NewUser): Promise<User>
  getUser(id: string): Promise<User | undefined>
  getUserByAddress(address: string): Promise<User | undefined>
  listUsers(organizationId: string): Promise<readonly User[]>
  countUsers(): Promise<number>
  updateUser(id: string, patch: UserPatch): Promise<User | undefined>
  /**
   * Records when each address was last seen, all in one transaction: a user's last seen only moves
   * forward, and addresses of no user are passed over.
   */
  recordLastSeen(seen: ReadonlyMap<string, number>): Promise<void>
  /**
   * Marks the user's one-time password used, unless it was already: whether this call did it, so
   * that of two sign-ins racing with one one-time password only one succeeds.
   */
  claimOneTimePassword(id: string, now: number): Promise<boolean>
  /** Removes the user with their tokens, contact methods, subscriptions and publications. */
  deleteUser(id: string): Promise<boolean>

  createToken(input: NewApiToken): Promise<ApiToken>
  /** The live (not revoked, not expired at `now`) token with this hash, and its user. */
  findToken(tokenHash: string, now: number): Promise<{ token: ApiToken; user: User } | undefined>
  listTokens(userId: string): Promise<readonly ApiToken[]>
  revokeToken(userId: string, tokenId: string, now: number): Promise<boolean>
  /** Revokes every live token of the user but `exceptTokenId`; returns the ids it revoked. */
  revokeOtherTokens(
    userId: string,
    exceptTokenId: string | undefined,
    now: number,
  ): Promise<readonly string[]>
  /** Records when each token was last used, all in one transaction (ids unknown are passed over). */
  touchTokens(touches: ReadonlyMap<string, number>): Promise<void>

  listContactMethods(userId: string): Promise<readonly ContactMethod[]>
  /** Replaces all contact methods of a user at once. */
  replaceContactMethods(userId: string, methods: readonly ContactMethod[]): Promise<void>

  putSubscription(input: NewSubscription): Promise<Subscription>
  /** Many `putSubscription`s of one watcher in one transaction (all or none); in input order. */
  putSubscriptions(inputs: readonly NewSubscription[]): Promise<readonly Subscription[]>
  deleteSubscription(watcherId: string, presentityId: string): Promise<boolean>
  listSubscriptionsOf(watcherId: string): Promise<readonly Subscription[]>
  listWatchersOf(presentityId: string): Promise<readonly Subscription[]>

  /** Stores (or replaces, by source id) a durable publication. */
  putPublication(userId: string, publication: Publication): Promise<void>
  deletePublication(userId: string, sourceId: string): Promise<boolean>
  /** Every durable publication not expired at `now`, for the start. */
  listPublications(now: number): Promise<readonly StoredPublication[]>
}
