// Policy changes from the change channel, gathered until the end of the turn (or the next presence
// change, whichever comes first) and then applied once per presentity; app layer.
import type { PolicyScope } from '../../ports/bus.js'

/** What the hub offers to apply gathered policy changes. */
export interface RefreshTarget {
  /** Regroups the watchers of `address` under the permissions in force and re-sends their views. */
  refresh(address: string): boolean
  /** Presentities with live watchers. */
  watched(): Iterable<string>
  /** Presentities that one of `watchers` watches live. */
  watchedBy(watchers: ReadonlySet<string>): Iterable<string>
  /** The organization of a watched presentity. */
  organizationOf(address: string): string | undefined
}

export class PendingRefresh {
  private readonly presentities = new Set<string>()
  private readonly watchers = new Set<string>()
  private readonly organizations = new Set<string>()
  private scheduled = false

  constructor(private readonly target: RefreshTarget) {}

  /** Notes a change; a group change of 10,000 people is then one pass, not 10,000. */
  add(scope: PolicyScope): void {
    if (scope.kind === 'presentity') this.presentities.add(scope.address)
    else if (scope.kind === 'pair') this.presentities.add(scope.presentity)
    else if (scope.kind === 'watcher') this.watchers.add(scope.address)
    else this.organizations.add(scope.organizationId)
    if (this.scheduled) return
    this.scheduled = true
    queueMicrotask(() => this.flush())
  }

  /** Applies what is pending now: before a presence change is fanned out, so no view is stale. */
  flush(): void {
    if (!this.scheduled) return
    this.scheduled = false
    const addresses = new Set(this.presentities)
    if (this.watchers.size > 0)
      for (const a of this.target.watchedBy(this.watchers)) addresses.add(a)
    if (this.organizations.size > 0) {
      for (const address of this.target.watched()) {
        const organizationId = this.target.organizationOf(address)
        if (organizationId !== undefined && this.organizations.has(organizationId))
          addresses.add(address)
      }
    }
    this.presentities.clear()
    this.watchers.clear()
    this.organizations.clear()
    for (const address of addresses) this.target.refresh(address)
  }
}
