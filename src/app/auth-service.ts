// Authentication: passwords (argon2id), bearer tokens stored as SHA-256 hashes, first-start
// initialization of an organization and its admin; app layer.
import { createHash, randomBytes } from 'node:crypto'
import argon2 from 'argon2'
import { NarvaroError } from '../core/errors.js'
import { isValidDomain, normalizeAddress } from '../core/model/address.js'
import type { Clock } from '../ports/clock.js'
import type { ApiToken, Organization, PresenceStore, User } from '../ports/store.js'

export const tokenPrefix = 'nrv_'

export const hashToken = (secret: string): string => createHash('sha256').update(secret).digest('hex')

/** A readable random password: 20 characters of base64url (120 bits). */
export const generatePassword = (): string => randomBytes(15).toString('base64url')

export const hashPassword = (password: string): Promise<string> =>
  argon2.hash(password, { type: argon2.argon2id })

/**
 * The password hash of a user who has no password yet (bulk import): not an argon2 string, so it
 * never verifies; an admin sets a password later (`PUT /v1/users/{address}/password`).
 */
export const noPasswordHash = '!no-password'

const isArgon2Hash = (hash: string): boolean => hash.startsWith('$argon2')

/** Verified against when the address is unknown, so timing does not tell which addresses exist. */
let decoyHash: Promise<string> | undefined

export interface IssuedToken {
  readonly secret: string
  readonly token: ApiToken
}

export interface Authenticated {
  readonly user: User
  readonly token: ApiToken
}

export class AuthService {
  private readonly touched = new Map<string, number>()

  constructor(
    private readonly store: PresenceStore,
    private readonly clock: Clock,
  ) {}

  async login(address: string, password: string, tokenName = 'login'): Promise<IssuedToken & { user: User }> {
    const parsed = this.tryNormalize(address)
    const user = parsed ? await this.store.getUserByAddress(parsed) : undefined
    decoyHash ??= hashPassword(generatePassword())
    // A user without a password is checked against the decoy too: the same time, and no error.
    const usable = user !== undefined && isArgon2Hash(user.passwordHash)
    const valid = await argon2.verify(usable ? user.passwordHash : await decoyHash, password)
    if (!usable || !valid) throw new NarvaroError('NRV_UNAUTHENTICATED', 'wrong address or password')
    return { ...(await this.issueToken(user, { name: tokenName })), user }
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
    const now = this.clock.now()
    const token = await this.store.createToken({
      userId: user.id,
      name: options.name,
      tokenHash: hashToken(secret),
      createdAt: now,
      ...(options.ttlMs ? { expiresAt: now + options.ttlMs } : {}),
    })
    return { secret, token }
  }

  /** Resolves a bearer token to its user, or throws `NRV_UNAUTHENTICATED`. */
  async authenticate(secret: string | undefined): Promise<Authenticated> {
    if (!secret?.startsWith(tokenPrefix) || secret.length > 200) {
      throw new NarvaroError('NRV_UNAUTHENTICATED', 'a valid bearer token is required')
    }
    const now = this.clock.now()
    const found = await this.store.findToken(hashToken(secret), now)
    if (!found) throw new NarvaroError('NRV_UNAUTHENTICATED', 'the token is unknown, expired or revoked')
    const last = this.touched.get(found.token.id) ?? 0
    if (now - last > 60_000) {
      this.touched.set(found.token.id, now)
      await this.store.touchToken(found.token.id, now)
    }
    return found
  }

  async changePassword(user: User, password: string): Promise<void> {
    await this.store.updateUser(user.id, { passwordHash: await hashPassword(password) })
  }

  /**
   * Creates the first organization and its admin. Returns the admin's password only when it was
   * generated here (it is then shown once, on the terminal, and never logged).
   */
  async initialize(input: {
    domain: string
    adminAddress?: string
    adminPassword?: string
    organizationName?: string
  }): Promise<{ organization: Organization; admin: User; generatedPassword?: string }> {
    const domain = input.domain.trim().toLowerCase()
    if (!isValidDomain(domain)) throw new NarvaroError('NRV_VALIDATION', `not a valid domain: ${domain}`)
    if (await this.store.getOrganizationByDomain(domain)) {
      throw new NarvaroError('NRV_CONFLICT', `organization ${domain} already exists`)
    }
    const now = this.clock.now()
    const organization = await this.store.createOrganization({
      domain,
      name: input.organizationName ?? domain,
      createdAt: now,
    })
    const password = input.adminPassword ?? generatePassword()
    const admin = await this.store.createUser({
      organizationId: organization.id,
      address: normalizeAddress(input.adminAddress ?? `admin@${domain}`),
      displayName: 'Administrator',
      role: 'admin',
      timeZone: 'UTC',
      passwordHash: await hashPassword(password),
      createdAt: now,
    })
    return input.adminPassword ? { organization, admin } : { organization, admin, generatedPassword: password }
  }
}
