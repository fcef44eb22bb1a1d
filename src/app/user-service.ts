// Users of an organization: admins add and remove them, everyone reads the directory and their own
// profile and contact methods; app layer.
import { randomUUID } from 'node:crypto'
import { NarvaroError } from '../core/errors.js'
import { domainOf, normalizeAddress } from '../core/model/address.js'
import type { ContactMethod, WeeklyHours } from '../core/model/presence-model.js'
import type { Clock } from '../ports/clock.js'
import type { PresenceStore, User, UserRole } from '../ports/store.js'
import { generatePassword, hashPassword } from './auth-service.js'
import { requireAdmin } from './organization-scope.js'
import type { PresenceEngine } from './presence-engine.js'
import type { ProfileDirectory } from './profile-directory.js'
import type { WatchHub } from './watch-hub.js'

export interface NewUserInput {
  readonly address: string
  readonly displayName?: string
  readonly role?: UserRole
  readonly password?: string
  readonly timeZone?: string
}

export class UserService {
  constructor(
    private readonly deps: {
      readonly store: PresenceStore
      readonly engine: PresenceEngine
      readonly profiles: ProfileDirectory
      readonly hub: WatchHub
      readonly clock: Clock
      /** Told after a user was removed, so what acts for them (webhooks) stops at once. */
      readonly onRemoved?: (user: User) => void
      /** After a user's time zone changed: their weekly schedules are expanded again. */
      readonly onTimeZoneChanged?: (user: User) => Promise<void>
    },
  ) {}

  private requireAdmin(actor: User): void {
    requireAdmin(actor, 'manage users')
  }

  /** Adds a user to the admin's organization; a generated password is returned once. */
  async add(actor: User, input: NewUserInput): Promise<{ user: User; generatedPassword?: string }> {
    this.requireAdmin(actor)
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
    const password = input.password ?? generatePassword()
    const user = await this.deps.store.createUser({
      organizationId: actor.organizationId,
      address,
      displayName: input.displayName ?? address.slice(0, address.indexOf('@')),
      role: input.role ?? 'member',
      timeZone: input.timeZone ?? 'UTC',
      passwordHash: await hashPassword(password),
      createdAt: this.deps.clock.now(),
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
    await this.deps.store.deleteUser(user.id)
    this.deps.hub.end(user.address)
    this.deps.engine.remove(user.address)
    this.deps.profiles.forget(user.address)
    this.deps.onRemoved?.(user)
  }

  /**
   * Gives a user a new password (admin): the one given, or a generated one returned once. Imported
   * users have none until then.
   */
  async setPassword(
    actor: User,
    rawAddress: string,
    password?: string,
  ): Promise<{ user: User; generatedPassword?: string }> {
    this.requireAdmin(actor)
    const user = await this.get(actor, rawAddress)
    const secret = password ?? generatePassword()
    const updated = (await this.deps.store.updateUser(user.id, {
      passwordHash: await hashPassword(secret),
    }))!
    return password ? { user: updated } : { user: updated, generatedPassword: secret }
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
    const updated = (await this.deps.store.updateUser(user.id, patch))!
    await this.profileChanged(updated)
    if (updated.timeZone !== user.timeZone) await this.deps.onTimeZoneChanged?.(updated)
    return updated
  }

  async replaceContactMethods(
    user: User,
    methods: readonly Omit<ContactMethod, 'id'>[],
  ): Promise<readonly ContactMethod[]> {
    const withIds = methods.map((m) => ({ ...m, id: randomUUID() }))
    await this.deps.store.replaceContactMethods(user.id, withIds)
    await this.profileChanged(user)
    return this.deps.store.listContactMethods(user.id)
  }

  private async profileChanged(user: User): Promise<void> {
    await this.deps.profiles.refresh(user)
    this.deps.hub.refresh(user.address)
  }
}
