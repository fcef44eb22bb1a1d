// In a cluster, each node keeps in memory the policies, settings, groups, approvals and profiles that
// permissions are decided on; a change made on another node reaches this node's copies from the change
// channel, before any listener of that change reads them. App layer.
import type { ChangeBus } from '../../ports/bus.js'
import type { PolicyDirectory } from '../policy/index.js'
import type { ProfileDirectory } from './profile-directory.js'

/** Applies the updates other nodes put on the change channel; returns how to stop. */
export const followOtherNodes = (deps: {
  readonly bus: ChangeBus
  readonly node: string
  readonly policies: PolicyDirectory
  readonly profiles: ProfileDirectory
}): (() => void) =>
  deps.bus.subscribe((event) => {
    if (event.type !== 'policy-changed' || !event.update) return
    // The node that made the change applied it already; so did a single server (no origin).
    if (event.origin === undefined || event.origin === deps.node) return
    const { update } = event
    if (update.kind === 'profile') deps.profiles.put(update.userId, update.profile)
    else deps.policies.apply(update)
  })
