// Authentication: sign-in (throttled, with bounded argon2 work), one-time passwords, password
// changes, bearer tokens stored as SHA-256 hashes, and first-start initialization; app layer.
import { createHash, randomBytes } from 'node:crypto'
import { NarvaroError } from '../../core/errors.js'
import { isValidDomain, normalizeAddress } from '../../core/model/address.js'
import type { AccessEnded, AccountChanged, ChangeBus } from '../../ports/bus.js'
import type { Clock } from '../../ports/clock.js'
import type { ApiToken, Organization, PresenceStore, User } from '../../ports/store.js'
import type { AuditLog } from '../policy/index.js'
import { onAccountEvent } from '../shared/index.js'
import type { LoginThrottleLimits } from './login-throttle.js'
import { PasswordHasher } from './password-hasher.js'
import { checkPassword } from './password-policy.js'
import { deriveScramKeys } from './scram-keys.js'
import { SignInGuard, defaultLoginLimits } from './sign-in-guard.js'
import type { SignInEvent, Verified } from './sign-in-guard.js'
import { TokenTouches } from './token-touches.js'
import { TokenCache } from './token-cache.js'
import type { TokenCacheLimits } from './token-cache.js'

export const tokenPrefix = 'nrv_'

export const hashToken = (secret: string): string =>
  createHash('sha256').update(secret).digest('hex')

/** A readable random password: 20 characters of base64url (120 bits); it passes the policy. */
export const generatePassword = (): string => randomBytes(15).toString('base64url')

const isArgon2Hash = (hash: string): boolean => hash.startsWith('$argon2')

export interface IssuedToken {
  readonly secret: string
  readonly token: ApiToken
}

export interface Authenticated {
  readonly user: User
  readonly token: ApiToken
}

export interface AuthServiceDeps {
  readonly store: PresenceStore
  readonly clock: Clock
  readonly hasher?: PasswordHasher
  readonly limits?: { readonly address: LoginThrottleLimits; readonly client: LoginThrottleLimits }
  readonly audit?: AuditLog
  readonly onSignIn?: (event: SignInEvent) => void
  /**
   * The change channel: with it, verified tokens are cached (`tokenCache` bounds them) and dropped
   * by its access and account events; without it, every call reads the store.
   */
  readonly bus?: ChangeBus
  readonly tokenCache?: TokenCacheLimits
  /**
   * After tokens of a user were revoked here: it puts the access event on the change channel, so
   * their live sessions end on every node before the revoking call answers.
   */
  readonly onTokensRevoked?: (
    user: User,
    tokenIds: readonly string[],
    reason: 'token-revoked' | 'password-changed',
  ) => Promise<void>
  /** A failure of a background write (a token's last use). */
  readonly onError?: (error: unknown) => void
}

export interface LoginInput {
  readonly address: string
  readonly password: string
  readonly tokenName?: string
  /** The client's network address (REST: `request.ip`). */
  readonly clientIp?: string
}

export interface PasswordChange {
  readonly currentPassword: string
  readonly newPassword: string
  readonly revokeOtherTokens?: boolean
  readonly clientIp?: string
}

export class AuthService {
  readonly hasher: PasswordHasher
  /** Tokens' last use, written behind the requests (token-touches.ts). */
  private readonly touches: TokenTouches
  private readonly guard: SignInGuard
  /** Verified against when the address is unknown, so timing does not tell which addresses exist. */
  private decoyHash: Promise<string> | undefined
  private readonly cache: TokenCache | undefined
  /** Counts the cache's invalidations: a lookup that overlapped one does not cache what it read. */
  private epoch = 0
  private readonly unsubscribe: () => void

  constructor(private readonly deps: AuthServiceDeps) {
    this.hasher = deps.hasher ?? new PasswordHasher()
    this.guard = new SignInGuard(deps.clock, deps.limits ?? defaultLoginLimits, deps.onSignIn)
    this.touches = new TokenTouches(deps)
    this.cache = deps.bus ? new TokenCache(deps.tokenCache) : undefined
    this.unsubscribe = deps.bus ? onAccountEvent(deps.bus, (e) => this.forget(e)) : () => {}
  }

  /** Stops listening and writes the tokens' last use that is still gathering. */
  async stop(): Promise<void> {
    this.unsubscribe()
    this.cache?.clear()
    await this.touches.write()
  }

  /** Signs in; a one-time password signs in once and the reply says it must be changed. */
  async login(
    input: LoginInput,
  ): Promise<IssuedToken & { user: User; mustChangePassword: boolean }> {
    const address = this.tryNormalize(input.address) ?? input.address.trim().toLowerCase()
    const user = await this.guard.check({ address, clientIp: input.clientIp, signIn: true }, () =>
      this.verify(address, input.password, true),
    )
    const issued = await this.issueToken(user, { name: input.tokenName ?? 'login' })
    return { ...issued, user, mustChangePassword: user.mustChangePassword === true }
  }

  /**
   * Changes the caller's own password: the current one is checked (a wrong one counts as a failed
   * sign-in), the new one against the policy; optionally every other token is revoked.
   */
  async changeOwnPassword(
    auth: Authenticated,
    change: PasswordChange,
  ): Promise<{ user: User; revoked: readonly string[] }> {
    const { user } = auth
    await this.guard.check(
      { address: user.address, clientIp: change.clientIp, signIn: false },
      () => this.verify(user.address, change.currentPassword, false),
    )
    if (change.newPassword === change.currentPassword) {
      throw new NarvaroError(
        'NRV_PASSWORD_WEAK',
        'the new password must differ from the current one',
      )
    }
    checkPassword(change.newPassword, { address: user.address })
    const updated = (await this.deps.store.updateUser(user.id, {
      ...(await this.hasher.record(change.newPassword)),
      mustChangePassword: false,
      oneTimeUsedAt: null,
    }))!
    await this.accountChanged(updated)
    const revoked = change.revokeOtherTokens
      ? await this.revokeTokens(updated, { except: auth.token.id })
      : []
    this.recordPasswordAction(updated, user.address, 'password.changed')
    return { user: updated, revoked }
  }

  /**
   * Gives `user` a one-time password (the one given, else a generated one returned once) and
   * revokes all their tokens: whoever held one must sign in again. `actor` is recorded.
   */
  async resetPassword(
    user: User,
    options: { actor: string; password?: string },
  ): Promise<{ user: User; generatedPassword?: string }> {
    if (options.password !== undefined) checkPassword(options.password, { address: user.address })
    const secret = options.password ?? generatePassword()
    const updated = (await this.deps.store.updateUser(user.id, {
      ...(await this.hasher.record(secret)),
      mustChangePassword: true,
      oneTimeUsedAt: null,
    }))!
    await this.accountChanged(updated)
    await this.revokeTokens(updated, {})
    this.recordPasswordAction(updated, options.actor, 'password.reset')
    return options.password === undefined
      ? { user: updated, generatedPassword: secret }
      : { user: updated }
  }

  /**
   * Revokes the user's live tokens (all, or all but one) after a password change or reset, and
   * reports them to `onTokensRevoked`.
   */
  async revokeTokens(user: User, options: { except?: string }): Promise<readonly string[]> {
    const ids = await this.deps.store.revokeOtherTokens(
      user.id,
      options.except,
      this.deps.clock.now(),
    )
    await this.revoked(user, ids, 'password-changed')
    return ids
  }

  /** The tokens of `user`, revoked and expired ones included. */
  async listTokens(user: User): Promise<readonly ApiToken[]> {
    return this.deps.store.listTokens(user.id)
  }

  /** Revokes one token of `user` (theirs to revoke): REST refuses it and its live sessions end. */
  async revokeToken(user: User, tokenId: string): Promise<void> {
    const found = await this.deps.store.revokeToken(user.id, tokenId, this.deps.clock.now())
    if (!found) throw new NarvaroError('NRV_NOT_FOUND', 'no such token of yours')
    await this.revoked(user, [tokenId], 'token-revoked')
    this.deps.audit?.action('account', {
      organizationId: user.organizationId,
      actor: user.address,
      action: 'token.revoked',
      subject: user.address,
      data: { tokenId },
    })
  }

  /**
   * Retires the token of a live session that ended by itself (an XMPP stream's sign-in token), so
   * such tokens do not pile up; nothing else used it, so no access event and no audit entry.
   */
  async retireSessionToken(user: User, tokenId: string): Promise<void> {
    this.epoch++
    this.cache?.forgetTokens([tokenId])
    await this.deps.store.revokeToken(user.id, tokenId, this.deps.clock.now())
  }

  private async revoked(
    user: User,
    ids: readonly string[],
    reason: 'token-revoked' | 'password-changed',
  ): Promise<void> {
    this.touches.forget(ids)
    this.epoch++
    this.cache?.forgetTokens(ids)
    if (ids.length > 0) await this.deps.onTokensRevoked?.(user, ids, reason)
  }

  private recordPasswordAction(user: User, actor: string, action: string): void {
    this.deps.audit?.action('account', {
      organizationId: user.organizationId,
      actor,
      action,
      subject: user.address,
    })
  }

  /**
   * Signs in through a SASL exchange (the XMPP gateway): `check` says whether the client proved the
   * password of `user` (undefined: no such address; it should take the same time). The same
   * throttle as every sign-in; a one-time password must first be changed elsewhere and is not used
   * up here. Issues a token for the session, so that it ends like every other live session.
   */
  async saslSignIn(
    input: { readonly address: string; readonly clientIp?: string; readonly tokenName: string },
    check: (user: User | undefined) => Promise<boolean>,
  ): Promise<IssuedToken & { user: User }> {
    const address = this.tryNormalize(input.address) ?? input.address.trim().toLowerCase()
    const attempt = {
      address,
      signIn: true,
      ...(input.clientIp ? { clientIp: input.clientIp } : {}),
    }
    const user = await this.guard.check(attempt, async (): Promise<Verified> => {
      const found = await this.deps.store.getUserByAddress(address)
      const valid = await check(found)
      if (!found) return { ok: false, reason: 'unknown address' }
      if (!valid) return { ok: false, reason: 'wrong password' }
      if (found.mustChangePassword) return { ok: false, reason: 'one-time password not changed' }
      return { ok: true, user: found }
    })
    return { ...(await this.issueToken(user, { name: input.tokenName })), user }
  }

  /** Derives the SCRAM keys of a password set before they existed, at a sign-in that proved it. */
  async addScramKeys(user: User, password: string): Promise<void> {
    if (user.scram) return
    const scram = await deriveScramKeys(password)
    if (!scram) return
    await this.deps.store.updateUser(user.id, { scram })
    await this.accountChanged(user)
  }

  /** Whether an organization of this domain is hosted here (an XMPP stream's `to`). */
  async hostsDomain(domain: string): Promise<boolean> {
    return (
      isValidDomain(domain) && (await this.deps.store.getOrganizationByDomain(domain)) !== undefined
    )
  }

  /** The user of an address, if any (a SASL exchange needs their keys before the proof). */
  async userByAddress(address: string): Promise<User | undefined> {
    const normalized = this.tryNormalize(address)
    return normalized === undefined ? undefined : this.deps.store.getUserByAddress(normalized)
  }

  /** Whether `password` is the user's (argon2); an unknown user takes the same time. */
  async passwordMatches(user: User | undefined, password: string): Promise<boolean> {
    this.decoyHash ??= this.hasher.hash(generatePassword())
    // A user without a password is checked against the decoy too: the same time, and no error.
    const usable = user !== undefined && isArgon2Hash(user.passwordHash)
    const valid = await this.hasher.verify(
      usable ? user.passwordHash : await this.decoyHash,
      password,
    )
    return usable && valid
  }

  private async verify(address: string, password: string, signIn: boolean): Promise<Verified> {
    const user = await this.deps.store.getUserByAddress(address)
    const valid = await this.passwordMatches(user, password)
    const usable = user !== undefined && isArgon2Hash(user.passwordHash)
    if (!user) return { ok: false, reason: 'unknown address' }
    if (!usable) return { ok: false, reason: 'no password set' }
    if (!valid) return { ok: false, reason: 'wrong password' }
    if (!signIn || !user.mustChangePassword) return { ok: true, user }
    // Claimed atomically: of two sign-ins racing with one one-time password, one wins.
    const claimed = await this.deps.store.claimOneTimePassword(user.id, this.deps.clock.now())
    return claimed ? { ok: true, user } : { ok: false, reason: 'one-time password already used' }
  }

  private tryNormalize(address: string): string | undefined {
    try {
      return normalizeAddress(address)
    } catch {
      return undefined
    }
  }

  async issueToken(user: User, options: { name: string; ttlMs?: number }): Promise<IssuedToken> {
    const secret = tokenPrefix + randomBytes(32).toString('base64url')
    const now = this.deps.clock.now()
    const token = await this.deps.store.createToken({
      userId: user.id,
      name: options.name,
      tokenHash: hashToken(secret),
      createdAt: now,
      ...(options.ttlMs ? { expiresAt: now + options.ttlMs } : {}),
    })
    return { secret, token }
  }

  /**
   * Resolves a bearer token to its user, or throws `NRV_UNAUTHENTICATED`; a user whose password is
   * one-time gets `NRV_PASSWORD_CHANGE_REQUIRED` unless `passwordChange` says the call changes it.
   */
  async authenticate(
    secret: string | undefined,
    options: { passwordChange?: boolean } = {},
  ): Promise<Authenticated> {
    if (!secret?.startsWith(tokenPrefix) || secret.length > 200) {
      throw new NarvaroError('NRV_UNAUTHENTICATED', 'a valid bearer token is required')
    }
    const now = this.deps.clock.now()
    const hash = hashToken(secret)
    const found = this.cache?.get(hash, now) ?? (await this.lookUp(hash, now))
    if (!found)
      throw new NarvaroError('NRV_UNAUTHENTICATED', 'the token is unknown, expired or revoked')
    if (found.user.mustChangePassword && !options.passwordChange) {
      throw new NarvaroError(
        'NRV_PASSWORD_CHANGE_REQUIRED',
        'your password is one-time: change it first (PUT /v1/me/password, `narvaro password`)',
      )
    }
    this.touches.touch(found.token.id, now)
    return found
  }

  /**
   * A token read from the store, its user without the account's secrets, cached unless the cache was
   * invalidated while it was read.
   */
  private async lookUp(hash: string, now: number): Promise<Authenticated | undefined> {
    const epoch = this.epoch
    const stored = await this.deps.store.findToken(hash, now)
    if (!stored) return undefined
    const found = { token: stored.token, user: withoutSecrets(stored.user) }
    if (epoch === this.epoch) this.cache?.set(hash, found, now)
    return found
  }

  /** What this node cached of an account whose access ended or whose record changed. */
  private forget(event: AccessEnded | Omit<AccountChanged, 'organizationId'>): void {
    this.epoch++
    if (event.type === 'access-ended') this.cache?.forgetTokens(event.tokenIds)
    if (event.type === 'account-changed' || event.reason !== 'token-revoked')
      this.cache?.forgetUser(event.address)
  }

  /**
   * After the account record of `user` changed: forgotten here at once (the caller's next request
   * reads it again), and on every node through the change channel.
   */
  async accountChanged(user: User): Promise<void> {
    this.forget({ type: 'account-changed', address: user.address })
    await this.deps.bus?.publish({
      type: 'account-changed',
      organizationId: user.organizationId,
      address: user.address,
    })
  }

  /**
   * Creates the first organization and its admin. Returns the admin's password only when it was
   * generated here (it is then shown once, on the terminal, and never logged); a generated password
   * is one-time, the operator's `adminPassword` is not.
   */
  async initialize(input: {
    domain: string
    adminAddress?: string
    adminPassword?: string
    organizationName?: string
  }): Promise<{ organization: Organization; admin: User; generatedPassword?: string }> {
    const domain = input.domain.trim().toLowerCase()
    if (!isValidDomain(domain))
      throw new NarvaroError('NRV_VALIDATION', `not a valid domain: ${domain}`)
    if (await this.deps.store.getOrganizationByDomain(domain)) {
      throw new NarvaroError('NRV_CONFLICT', `organization ${domain} already exists`)
    }
    const now = this.deps.clock.now()
    const organization = await this.deps.store.createOrganization({
      domain,
      name: input.organizationName ?? domain,
      createdAt: now,
    })
    const password = input.adminPassword ?? generatePassword()
    const admin = await this.deps.store.createUser({
      organizationId: organization.id,
      address: normalizeAddress(input.adminAddress ?? `admin@${domain}`),
      displayName: 'Administrator',
      role: 'admin',
      timeZone: 'UTC',
      ...(await this.hasher.record(password)),
      mustChangePassword: input.adminPassword === undefined,
      createdAt: now,
    })
    return input.adminPassword
      ? { organization, admin }
      : { organization, admin, generatedPassword: password }
  }
}

/** Stands for a password hash withheld from a token's user: not an argon2 string, never verified. */
export const withheldPasswordHash = '!withheld'

/**
 * A token's user as sessions and the token cache hold it: without the password hash, SCRAM keys and
 * SIP digests, which no request made with a token needs (a check of the password reads the user from
 * the store), so a live session never keeps an account's secrets (and each is ~0.3 KB smaller).
 * Every field is written, in one order, so that all these users share one hidden class (a copy by
 * rest and spread gave each its own, 0.2 KB more per session); `satisfies` makes a field added to
 * `User` one to decide here.
 */
export const withoutSecrets = (user: User): User =>
  ({
    id: user.id,
    organizationId: user.organizationId,
    address: user.address,
    displayName: user.displayName,
    title: user.title,
    role: user.role,
    timeZone: user.timeZone,
    workingHours: user.workingHours,
    passwordHash: withheldPasswordHash,
    scram: undefined,
    sipDigest: undefined,
    mustChangePassword: user.mustChangePassword,
    oneTimeUsedAt: user.oneTimeUsedAt,
    createdAt: user.createdAt,
    lastSeen: user.lastSeen,
  }) satisfies { readonly [K in keyof Required<User>]: User[K] | undefined }
