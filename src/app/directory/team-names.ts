// Which team an organization's name or id means, held per organization so that a "who is available"
// question about a team does not read every group of the organization from the store each time.
// Creating or deleting a team drops the organization's entry here and, through the change channel's
// `teams-changed`, on every other node; a read that overlapped such a change is not kept; an entry is
// read again after `maxAgeMs` in any case. App layer.
import type { BusEvent, ChangeBus } from '../../ports/bus.js'
import type { Clock } from '../../ports/clock.js'
import type { Group } from '../../ports/policy-store.js'
import { HeldMap } from '../shared/index.js'

/**
 * Organizations held at most (the oldest read goes first), and how long their teams are trusted
 * without reading the store (should an event be lost).
 */
const limits = { maxEntries: 10_000, maxAgeMs: 60_000 }

export interface TeamNamesDeps {
  readonly store: { listGroups(organizationId: string): Promise<readonly Group[]> }
  readonly bus: ChangeBus
  readonly clock: Clock
}

export class TeamNames {
  private readonly byOrganization = new HeldMap<string, readonly Group[]>(limits)
  private readonly unsubscribe: () => void

  constructor(private readonly deps: TeamNamesDeps) {
    this.unsubscribe = deps.bus.subscribe((event) => this.follow(event))
  }

  /** The id of the organization's team with this id, or else this name; undefined when none. */
  async idOf(organizationId: string, idOrName: string): Promise<string | undefined> {
    const teams = await this.teamsOf(organizationId)
    return (teams.find((g) => g.id === idOrName) ?? teams.find((g) => g.name === idOrName))?.id
  }

  /** A team of the organization was created or deleted here: every node reads its teams again. */
  async changed(organizationId: string): Promise<void> {
    this.byOrganization.drop(organizationId)
    await this.deps.bus.publish({ type: 'teams-changed', organizationId })
  }

  stop(): void {
    this.unsubscribe()
    this.byOrganization.clear()
  }

  private async teamsOf(organizationId: string): Promise<readonly Group[]> {
    const now = this.deps.clock.now()
    return (
      this.byOrganization.get(organizationId, now) ??
      (await this.byOrganization.readThrough(
        organizationId,
        now,
        () => this.deps.store.listGroups(organizationId),
        (teams) => teams,
      ))
    )
  }

  private follow(event: BusEvent): void {
    if (event.type === 'teams-changed') this.byOrganization.drop(event.organizationId)
  }
}
