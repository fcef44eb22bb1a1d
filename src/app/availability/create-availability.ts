// The availability concept composed: who is available (asked once or live), notify-when-available
// and gatherings, all decided on the asker's own views; app layer.
import type { ChangeBus } from '../../ports/bus.js'
import type { Clock } from '../../ports/clock.js'
import type { NarvaroStore } from '../../ports/narvaro-store.js'
import type { ProfileDirectory, TeamNames } from '../directory/index.js'
import type { PolicyDirectory } from '../policy/index.js'
import type { AskerViews, WatchHub } from '../watching/index.js'
import { AvailabilityService } from './availability-service.js'
import { GatherService } from './gather-service.js'
import { LiveWho } from './live-who.js'
import { NotifyService } from './notify-service.js'

export interface AvailabilityParts {
  readonly availability: AvailabilityService
  readonly liveWho: LiveWho
  readonly notify: NotifyService
  readonly gather: GatherService
}

/** Its live queries, notify watches and gatherings listen to the change channel, in this order. */
export const createAvailability = (deps: {
  readonly store: NarvaroStore
  readonly bus: ChangeBus
  readonly clock: Clock
  readonly askerViews: AskerViews
  readonly hub: WatchHub
  readonly profiles: ProfileDirectory
  readonly teams: TeamNames
  readonly policies: PolicyDirectory
  readonly onError: (error: unknown) => void
  /** In a cluster, gatherings are shared with the other nodes. */
  readonly cluster?: { readonly node: string }
}): AvailabilityParts => {
  const { store, bus, clock, askerViews: views, hub, profiles, teams, policies } = deps
  const cluster = deps.cluster ? { node: deps.cluster.node, onError: deps.onError } : undefined
  const availability = new AvailabilityService({
    views,
    profiles,
    teams,
    policies,
    store,
    clock,
    bus,
    onError: deps.onError,
  })
  return {
    availability,
    liveWho: new LiveWho({ availability, bus, policies, onError: deps.onError }),
    notify: new NotifyService({ views, hub, bus, clock }),
    gather: new GatherService({ availability, hub, bus, clock, ...(cluster ? { cluster } : {}) }),
  }
}

export const stopAvailability = (parts: AvailabilityParts): void => {
  parts.notify.close()
  parts.liveWho.stop()
  parts.availability.stop()
  parts.gather.close()
}
