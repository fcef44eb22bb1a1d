// What one asker sees of many presentities at once, without a subscription: the views that team
// availability, reachability and routing are computed from, each through the policy engine and the
// single view function, audited like any disclosure; app layer.
import type { Party } from '../../core/policy/decide-permissions.js'
import type { View } from '../../core/policy/compute-view.js'
import { computeView } from '../../core/policy/compute-view.js'
import type { Clock } from '../../ports/clock.js'
import type { Presence } from '../../core/aggregation/presence.js'
import type { AuditLog } from '../policy/index.js'
import { disclosedDetails } from '../policy/index.js'
import type { Asker, PolicyDirectory } from '../policy/index.js'
import type { PresenceEngine, PresenceSnapshot } from '../presence/index.js'
import type { ProfileDirectory } from '../directory/index.js'
import { isHiddenFrom } from '../../core/subscriptions/hidden-presentity.js'
import { isOwner } from '../../core/policy/effective-handling.js'

export interface AskerView {
  readonly seq: number
  readonly view: View
  /** The organization of the person seen (where a disclosure is audited). */
  readonly organizationId: string
}

export class AskerViews {
  constructor(
    private readonly deps: {
      readonly engine: PresenceEngine
      readonly profiles: ProfileDirectory
      readonly policies: PolicyDirectory
      readonly clock: Clock
      readonly audit: AuditLog
    },
  ) {}

  /** Loads the profiles of `addresses` (once each); the addresses with no user are left out. */
  async load(addresses: Iterable<string>): Promise<string[]> {
    const known: string[] = []
    for (const address of addresses)
      if (await this.deps.profiles.ensure(address)) known.push(address)
    return known
  }

  /** The person's own availability (before any policy), or undefined for an unknown one. */
  availabilityOf(address: string): Presence['availability'] | undefined {
    return this.deps.engine.availabilityOf(address)
  }

  /**
   * The view `party` (an asker, or an asker class's party) has of `address` now, like `viewOf` but
   * not audited: what is disclosed, and to whom, is told by `disclose` when it is.
   */
  viewAs(party: Asker, address: string): AskerView | undefined {
    const snapshot: PresenceSnapshot | undefined = this.deps.engine.snapshot(address)
    if (!snapshot) return undefined
    const now = this.deps.clock.now()
    const permissions = this.deps.policies.permissionsFor(party, snapshot.profile, now)
    if (isHiddenFrom(permissions)) return undefined
    const view = computeView({ ...snapshot, permissions, now })
    return { seq: this.deps.engine.cursor, view, organizationId: snapshot.profile.organizationId }
  }

  /** Audits the details of a view of `address` shown to `asker` (the owner's own is no disclosure). */
  disclose(
    asker: Party,
    address: string,
    organizationId: string,
    details: readonly string[],
  ): void {
    if (!isOwner(asker, { address }))
      this.deps.audit.disclosure(organizationId, asker.address, address, details)
  }

  /**
   * The view `asker` has of `address` now, from a loaded profile; undefined for an unknown one, and
   * for one who blocks the asker (the same answer). A colleague's block is never a block here: the
   * policy engine answers it as polite-block (`effectiveHandling`).
   */
  viewOf(asker: Party, address: string): AskerView | undefined {
    const seen = this.viewAs(asker, address)
    if (seen) this.disclose(asker, address, seen.organizationId, disclosedDetails(seen.view))
    return seen
  }
}
