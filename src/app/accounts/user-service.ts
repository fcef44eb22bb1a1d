// Users of an organization: admins add and remove them, everyone reads the directory and their own
// profile and contact methods; app layer.
import { randomUUID } from 'node:crypto'
import { NarvaroError } from '../../core/errors.js'
import { domainOf, normalizeAddress } from '../../core/model/address.js'
import { isValidTimeZone } from '../../core/model/hours.js'
import type { ContactMethod, WeeklyHours } from '../../core/model/presence-model.js'
import type { Clock } from '../../ports/clock.js'
import type { PresenceStore, User, UserRole } from '../../ports/store.js'
import type { AuditLog } from '../policy/index.js'
import type { AuthService } from './auth-service.js'
import { generatePassword } from './auth-service.js'
import type { LiveSessions } from './live-sessions.js'
import { requireAdmin } from '../shared/index.js'
import { checkPassword } from './password-policy.js'
import type { PresenceService } from '../presence/index.js'
import type { ProfileDirectory } from '../directory/index.js'
import type { PolicyDirectory } from '../policy/index.js'

export interface NewUserInput {
  readonly address: string
  readonly displayName?: string
  readonly role?: UserRole
  readonly password?: string
  readonly timeZone?: string
}

/** A time zone the server knows (IANA), or none given. */
const requireTimeZone = (timeZone: string | undefined): void => {
  if (timeZone !== undefined && !isValidTimeZone(timeZone)) {
    throw new NarvaroError('NRV_VALIDATION', `unknown time zone: ${timeZone}`)
  }
}

export class UserService {
  constructor(
    private readonly deps: {
      readonly store: PresenceStore
      readonly presence: PresenceService
      readonly sessions: LiveSessions
      readonly profiles: ProfileDirectory
      readonly policies: PolicyDirectory
      readonly clock: Clock
      /** Hashes passwords (bounded argon2 work) and resets them. */
      readonly auth: AuthService
      readonly audit: AuditLog
      /** After a user's time zone changed: their weekly schedules are expanded again. */
      readonly onTimeZoneChanged?: (user: User) => Promise<void>
    },
  ) {}

  private requireAdmin(actor: User): void {
    requireAdmin(actor, 'manage users')
  }

  /**
   * Adds a user to the admin's organization with a one-time password (the one given, else a
   * generated one returned once): it signs in once and must then be changed.
   */
  async add(actor: User, input: NewUserInput): Promise<{ user: User; generatedPassword?: string }> {
    this.requireAdmin(actor)
    requireTimeZone(input.timeZone)
    const organization = await this.deps.store.getOrganization(actor.organizationId)
    const address = normalizeAddress(
      input.address.includes('@') ? input.address : `${input.address}@${organization!.domain}`,
    )
    if (domainOf(address) !== organization!.domain) {
      throw new NarvaroError(
        'NRV_VALIDATION',
        `users of this organization have addresses @${organization!.domain}`,
      )
    }
    if (input.password !== undefined) checkPassword(input.password, { address })
    const password = input.password ?? generatePassword()
    const user = await this.deps.store.createUser({
      organizationId: actor.organizationId,
      address,
      displayName: input.displayName ?? address.slice(0, address.indexOf('@')),
      role: input.role ?? 'member',
      timeZone: input.timeZone ?? 'UTC',
      ...(await this.deps.auth.hasher.record(password)),
      mustChangePassword: true,
      createdAt: this.deps.clock.now(),
    })
    this.deps.audit?.action('account', {
      organizationId: user.organizationId,
      actor: actor.address,
      action: 'user.added',
      subject: user.address,
      data: { role: user.role },
    })
    return input.password ? { user } : { user, generatedPassword: password }
  }

  async remove(actor: User, rawAddress: string): Promise<void> {
    this.requireAdmin(actor)
    const user = await this.deps.store.getUserByAddress(normalizeAddress(rawAddress))
    if (!user || user.organizationId !== actor.organizationId) {
      throw new NarvaroError('NRV_NOT_FOUND', `no user ${rawAddress} in your organization`)
    }
    if (user.id === actor.id)
      throw new NarvaroError('NRV_FORBIDDEN', 'an admin cannot remove themselves')
    const tokenIds = (await this.deps.store.listTokens(user.id)).map((token) => token.id)
    await this.deps.store.deleteUser(user.id)
    // Forgotten here before anything else is answered (other nodes: the access event below).
    await this.deps.auth.accountChanged(user)
    // Offline to every watcher at once (no grace period), then the access event: every session of
    // theirs closes, and the hub, webhooks and tickers forget them as presentity and as watcher.
    this.deps.presence.endUser(user.address)
    await this.deps.sessions.userRemoved(user, tokenIds)
    this.deps.audit.action('account', {
      organizationId: actor.organizationId,
      actor: actor.address,
      action: 'user.removed',
      subject: user.address,
    })
  }

  /**
   * Gives a user a new one-time password (admin): the one given, or a generated one returned once;
   * the user's tokens are revoked. Imported users have none until then.
   */
  async setPassword(
    actor: User,
    rawAddress: string,
    password?: string,
  ): Promise<{ user: User; generatedPassword?: string }> {
    this.requireAdmin(actor)
    const user = await this.get(actor, rawAddress)
    return this.deps.auth.resetPassword(user, {
      actor: actor.address,
      ...(password === undefined ? {} : { password }),
    })
  }

  async list(actor: User): Promise<readonly User[]> {
    return this.deps.store.listUsers(actor.organizationId)
  }

  async get(actor: User, rawAddress: string): Promise<User> {
    const user = await this.deps.store.getUserByAddress(normalizeAddress(rawAddress))
    if (!user || user.organizationId !== actor.organizationId) {
      throw new NarvaroError('NRV_NOT_FOUND', `no user ${rawAddress} in your organization`)
    }
    return user
  }

  async updateProfile(
    user: User,
    patch: { displayName?: string; timeZone?: string; workingHours?: WeeklyHours },
  ): Promise<User> {
    requireTimeZone(patch.timeZone)
    const updated = (await this.deps.store.updateUser(user.id, patch))!
    await this.deps.auth.accountChanged(updated)
    await this.profileChanged(updated)
    if (updated.timeZone !== user.timeZone) await this.deps.onTimeZoneChanged?.(updated)
    return updated
  }

  /** The contact methods `user` keeps on their profile, as stored. */
  async contactMethods(user: User): Promise<readonly ContactMethod[]> {
    return this.deps.store.listContactMethods(user.id)
  }

  async replaceContactMethods(
    user: User,
    methods: readonly Omit<ContactMethod, 'id'>[],
  ): Promise<readonly ContactMethod[]> {
    // A method that stays (same kind and address) keeps its id, so a rule that grants it by id
    // (`contactMethodIds`) still does; a changed address is a new method, which no rule grants yet.
    const existing = [...(await this.deps.store.listContactMethods(user.id))]
    const withIds = methods.map((m) => {
      const same = existing.findIndex((e) => e.kind === m.kind && e.address === m.address)
      const id = same >= 0 ? existing.splice(same, 1)[0]!.id : randomUUID()
      return { ...m, id }
    })
    await this.deps.store.replaceContactMethods(user.id, withIds)
    await this.profileChanged(user)
    return this.deps.store.listContactMethods(user.id)
  }

  private async profileChanged(user: User): Promise<void> {
    const profile = await this.deps.profiles.refresh(user)
    this.deps.policies.changed(
      { kind: 'presentity', address: user.address },
      { kind: 'profile', userId: user.id, profile },
    )
  }
}
