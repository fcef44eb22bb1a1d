// An in-memory cache of the durable facts views need (display name, time zone, contact methods); app layer.
import type { Profile } from '../../core/model/presence-model.js'
import type { PresenceStore, User } from '../../ports/store.js'

export class ProfileDirectory {
  private readonly profiles = new Map<string, Profile>()
  /** The user id behind each loaded profile (subscriptions are stored by id), and back. */
  private readonly ids = new Map<string, string>()
  private readonly addresses = new Map<string, string>()

  private readonly listeners: ((profile: Profile) => void)[] = []

  constructor(private readonly store: PresenceStore) {}

  /** Calls `listener` with every profile loaded or reloaded (working hours may have changed). */
  onRefresh(listener: (profile: Profile) => void): void {
    this.listeners.push(listener)
  }

  /** The cached profile of an address, if loaded. Synchronous, for the notification path. */
  get(address: string): Profile | undefined {
    return this.profiles.get(address)
  }

  /** Loads (once) and returns the profile of an address, or undefined if nobody has it. */
  async ensure(address: string): Promise<Profile | undefined> {
    const cached = this.profiles.get(address)
    if (cached) return cached
    const user = await this.store.getUserByAddress(address)
    return user ? this.refresh(user) : undefined
  }

  /** Reloads a user's profile after a durable change, and returns it. */
  async refresh(user: User): Promise<Profile> {
    const contactMethods = await this.store.listContactMethods(user.id)
    const profile: Profile = {
      address: user.address,
      organizationId: user.organizationId,
      displayName: user.displayName,
      timeZone: user.timeZone,
      contactMethods,
      ...(user.workingHours ? { workingHours: user.workingHours } : {}),
    }
    this.put(user.id, profile)
    return profile
  }

  /** Takes a profile another node of the cluster loaded after a change. */
  put(userId: string, profile: Profile): void {
    this.profiles.set(profile.address, profile)
    this.ids.set(profile.address, userId)
    this.addresses.set(userId, profile.address)
    for (const listener of this.listeners) listener(profile)
  }

  /** The user id of a loaded profile's owner. */
  idOf(address: string): string | undefined {
    return this.ids.get(address)
  }

  /** The address of a loaded profile's owner, by user id. */
  addressOf(userId: string): string | undefined {
    return this.addresses.get(userId)
  }

  forget(address: string): void {
    const id = this.ids.get(address)
    if (id !== undefined) this.addresses.delete(id)
    this.profiles.delete(address)
    this.ids.delete(address)
  }
}
