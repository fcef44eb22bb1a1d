// Groups and teams of an organization (admins manage them); rule conditions can name them, so a
// membership change takes effect on live subscriptions at once; app layer.
import { NarvaroError } from '../../core/errors.js'
import { qualifyAddress } from '../../core/model/address.js'
import { presentityNotFound } from '../../core/subscriptions/hidden-presentity.js'
import type { Clock } from '../../ports/clock.js'
import type { Group } from '../../ports/policy-store.js'
import type { User } from '../../ports/store.js'
import type { AuditLog } from '../policy/index.js'
import { notFoundIn, requireAdmin, requireInOrganization } from '../shared/index.js'
import type { PolicyDirectory } from '../policy/index.js'
import type { NarvaroStore } from '../../ports/narvaro-store.js'
import type { TeamNames } from './team-names.js'

export interface GroupWithMembers extends Group {
  readonly members: readonly string[]
}

export class GroupService {
  constructor(
    private readonly deps: {
      readonly store: NarvaroStore
      readonly clock: Clock
      readonly policies: PolicyDirectory
      readonly audit: AuditLog
      readonly teams: TeamNames
    },
  ) {}

  /** A group of the admin's organization; another organization's is `NRV_NOT_FOUND`, as is none. */
  private async owned(actor: User, groupId: string): Promise<Group> {
    requireAdmin(actor, 'manage groups')
    const group = (await this.deps.store.listGroups(actor.organizationId)).find(
      (g) => g.id === groupId,
    )
    return requireInOrganization(actor, group, { kind: 'group', id: groupId })
  }

  private audit(actor: User, action: string, data: Readonly<Record<string, unknown>>): void {
    this.deps.audit.action('admin', {
      organizationId: actor.organizationId,
      actor: actor.address,
      action,
      data,
    })
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

  /** Creates a group; its members are checked first, so a bad address leaves no empty group behind. */
  async create(
    actor: User,
    input: { name: string; members: readonly string[] },
  ): Promise<GroupWithMembers> {
    requireAdmin(actor, 'manage groups')
    const users = await this.usersOf(actor, input.members)
    const group = await this.deps.store.createGroup({
      organizationId: actor.organizationId,
      name: input.name,
      createdAt: this.deps.clock.now(),
    })
    await this.deps.teams.changed(actor.organizationId)
    await this.deps.store.setGroupMembers(
      group.id,
      users.map((u) => u.id),
    )
    await this.reload(new Set(users.map((u) => u.id)))
    this.audit(actor, 'group.created', {
      groupId: group.id,
      name: group.name,
      members: users.map((u) => u.address),
    })
    return this.withMembers(group)
  }

  async setMembers(
    actor: User,
    groupId: string,
    addresses: readonly string[],
  ): Promise<GroupWithMembers> {
    const group = await this.owned(actor, groupId)
    const users = await this.usersOf(actor, addresses)
    const before = await this.deps.store.listGroupMembers(groupId)
    await this.deps.store.setGroupMembers(
      groupId,
      users.map((u) => u.id),
    )
    await this.reload(new Set([...before, ...users.map((u) => u.id)]))
    const members = users.map((u) => u.address)
    this.audit(actor, 'group.members-set', { groupId, name: group.name, members })
    return this.withMembers(group)
  }

  async remove(actor: User, groupId: string): Promise<void> {
    const group = await this.owned(actor, groupId)
    const members = await this.deps.store.listGroupMembers(groupId)
    if (!(await this.deps.store.deleteGroup(groupId))) throw notFoundIn('group', groupId)
    await this.deps.teams.changed(actor.organizationId)
    await this.reload(new Set(members))
    this.audit(actor, 'group.deleted', { groupId, name: group.name })
  }

  /** The users behind addresses, all of the actor's organization, or `presentityNotFound`. */
  private async usersOf(actor: User, addresses: readonly string[]): Promise<User[]> {
    const users: User[] = []
    // A local part (`alice`) is a colleague's address, as contact lists accept it.
    const domain = actor.address.slice(actor.address.lastIndexOf('@') + 1)
    for (const raw of addresses) {
      const address = qualifyAddress(raw, domain)?.address
      if (address === undefined) {
        const shown = JSON.stringify(raw.slice(0, 100))
        throw new NarvaroError('NRV_ADDRESS_INVALID', `not a valid address: ${shown}`)
      }
      const user = await this.deps.store.getUserByAddress(address)
      // Another organization's person is answered exactly as one that nobody is.
      if (!user || user.organizationId !== actor.organizationId) throw presentityNotFound(address)
      users.push(user)
    }
    return users
  }

  /** Refreshes the cached memberships of the users concerned, then every live view of the organization. */
  private async reload(userIds: ReadonlySet<string>): Promise<void> {
    for (const id of userIds) {
      const user = await this.deps.store.getUser(id)
      if (user) this.deps.policies.setGroups(user.address, await this.deps.store.listGroupsOf(id))
    }
  }
}
