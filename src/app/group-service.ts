// Groups and teams of an organization (admins manage them); rule conditions can name them, so a
// membership change takes effect on live subscriptions at once; app layer.
import { NarvaroError } from '../core/errors.js'
import { qualifyAddress } from '../core/model/address.js'
import type { Clock } from '../ports/clock.js'
import type { Group } from '../ports/policy-store.js'
import type { User } from '../ports/store.js'
import type { PolicyDirectory } from './policy-directory.js'
import type { NarvaroStore } from './services.js'
import type { WatchHub } from './watch-hub.js'

export interface GroupWithMembers extends Group {
  readonly members: readonly string[]
}

export class GroupService {
  constructor(
    private readonly deps: {
      readonly store: NarvaroStore
      readonly clock: Clock
      readonly policies: PolicyDirectory
      readonly hub: WatchHub
    },
  ) {}

  private requireAdmin(actor: User): void {
    if (actor.role !== 'admin') throw new NarvaroError('NRV_FORBIDDEN', 'only an admin may manage groups')
  }

  async list(actor: User): Promise<readonly GroupWithMembers[]> {
    const groups = await this.deps.store.listGroups(actor.organizationId)
    return Promise.all(groups.map((g) => this.withMembers(g)))
  }

  private async withMembers(group: Group): Promise<GroupWithMembers> {
    const ids = await this.deps.store.listGroupMembers(group.id)
    const users = await Promise.all(ids.map((id) => this.deps.store.getUser(id)))
    return { ...group, members: users.flatMap((u) => (u ? [u.address] : [])).sort() }
  }

  async create(actor: User, input: { name: string; members: readonly string[] }): Promise<GroupWithMembers> {
    this.requireAdmin(actor)
    const group = await this.deps.store.createGroup({
      organizationId: actor.organizationId,
      name: input.name,
      createdAt: this.deps.clock.now(),
    })
    return this.setMembers(actor, group.id, input.members)
  }

  async setMembers(actor: User, groupId: string, addresses: readonly string[]): Promise<GroupWithMembers> {
    this.requireAdmin(actor)
    const group = (await this.deps.store.listGroups(actor.organizationId)).find((g) => g.id === groupId)
    if (!group) throw new NarvaroError('NRV_NOT_FOUND', `no group ${groupId}`)
    const users: User[] = []
    const domain = actor.address.slice(actor.address.lastIndexOf('@') + 1)
    for (const raw of addresses) {
      const address = qualifyAddress(raw, domain)?.address
      const user = address === undefined ? undefined : await this.deps.store.getUserByAddress(address)
      if (!user || user.organizationId !== actor.organizationId) {
        throw new NarvaroError('NRV_VALIDATION', `no user ${raw} in your organization`)
      }
      users.push(user)
    }
    const before = await this.deps.store.listGroupMembers(groupId)
    await this.deps.store.setGroupMembers(groupId, users.map((u) => u.id))
    await this.reload(new Set([...before, ...users.map((u) => u.id)]))
    return this.withMembers(group)
  }

  async remove(actor: User, groupId: string): Promise<void> {
    this.requireAdmin(actor)
    const members = await this.deps.store.listGroupMembers(groupId)
    if (!(await this.deps.store.deleteGroup(groupId))) throw new NarvaroError('NRV_NOT_FOUND', `no group ${groupId}`)
    await this.reload(new Set(members))
  }

  /** Refreshes the cached memberships of the users concerned, then every live view of the organization. */
  private async reload(userIds: ReadonlySet<string>): Promise<void> {
    for (const id of userIds) {
      const user = await this.deps.store.getUser(id)
      if (user) this.deps.policies.setGroups(user.address, await this.deps.store.listGroupsOf(id))
    }
    this.deps.hub.refreshAll()
  }
}
