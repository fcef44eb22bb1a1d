// An in-memory cache of the durable facts views need (display name, time zone, contact methods); app layer.
import type { Profile } from '../core/model/presence-model.js'
import type { PresenceStore, User } from '../ports/store.js'

export class ProfileDirectory {
  private readonly profiles = new Map<string, Profile>()
  /** The user id behind each loaded profile (subscriptions are stored by id). */
  private readonly ids = new Map<string, string>()

  constructor(private readonly store: PresenceStore) {}

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
    this.profiles.set(user.address, profile)
    this.ids.set(user.address, user.id)
    return profile
  }

  /** The user id of a loaded profile's owner. */
  idOf(address: string): string | undefined {
    return this.ids.get(address)
  }

  forget(address: string): void {
    this.profiles.delete(address)
    this.ids.delete(address)
  }
}
