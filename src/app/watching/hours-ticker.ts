// Pushes the views that change with time alone: at each start and end of a person's working hours
// (off work for colleagues), of a contact method's usable hours, and of a rule's validity
// (`validFrom`, `validUntil`), that person's views are recomputed (the watch hub, live team lists);
// app layer.
import { nextHoursChange } from '../../core/model/hours.js'
import type { Profile } from '../../core/model/presence-model.js'
import { nextRuleChange } from '../../core/policy/next-rule-change.js'
import type { Clock } from '../../ports/clock.js'
import type { PolicyDirectory } from '../policy/index.js'
import type { ProfileDirectory } from '../directory/index.js'
import { TimerQueue, onPolicyChanged } from '../shared/index.js'
import type { ChangeBus } from '../../ports/bus.js'

/** The next moment any of the profile's weekly hours starts or ends. */
export const nextProfileChange = (profile: Profile, now: number): number | undefined => {
  let next: number | undefined
  const all = [profile.workingHours, ...profile.contactMethods.map((m) => m.hours)]
  for (const hours of all) {
    const at = nextHoursChange(hours, profile.timeZone, now)
    if (at !== undefined && (next === undefined || at < next)) next = at
  }
  return next
}

const earliest = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b)

export class HoursTicker {
  private readonly queue: TimerQueue
  /** Who is tracked, by organization: an organization's default rules can change for all of them. */
  private readonly members = new Map<string, Set<string>>()

  constructor(
    private readonly deps: {
      readonly clock: Clock
      readonly bus: ChangeBus
      readonly profiles: ProfileDirectory
      readonly policies: PolicyDirectory
      /** Recomputes what watchers and live queries see of `address` (its time boundary passed). */
      readonly onBoundary: (address: string) => void
      readonly onError: (error: unknown) => void
    },
  ) {
    this.queue = new TimerQueue(deps.clock, deps.onError)
    deps.profiles.onRefresh((profile) => this.track(profile))
    onPolicyChanged(deps.bus, (change) => {
      if (change.kind === 'presentity') this.retrack(change.address)
      if (change.kind === 'organization') {
        for (const address of this.members.get(change.organizationId) ?? []) this.retrack(address)
      }
    })
  }

  private retrack(address: string): void {
    const profile = this.deps.profiles.get(address)
    if (profile) this.track(profile)
  }

  /** The rules the person's watchers are judged by: their own, or their organization's defaults. */
  private rulesOf(profile: Profile) {
    const own = this.deps.policies.settingsOf(profile.address).rules
    return own ?? this.deps.policies.policyOf(profile.organizationId).defaultRules
  }

  /** Arms (or re-arms, or drops) the next change of one person's hours. */
  track(profile: Profile): void {
    const now = this.deps.clock.now()
    let members = this.members.get(profile.organizationId)
    if (!members) this.members.set(profile.organizationId, (members = new Set()))
    members.add(profile.address)
    const at = earliest(nextProfileChange(profile, now), nextRuleChange(this.rulesOf(profile), now))
    if (at === undefined) {
      this.queue.cancel(profile.address)
      return
    }
    this.queue.schedule(profile.address, at, () => {
      this.deps.onBoundary(profile.address)
      const current = this.deps.profiles.get(profile.address)
      if (current) this.track(current)
    })
  }

  forget(address: string): void {
    for (const members of this.members.values()) members.delete(address)
    this.queue.cancel(address)
  }

  /** How many people have a change armed, for tests and metrics. */
  get armed(): number {
    return this.queue.size
  }

  stop(): void {
    this.queue.stop()
  }
}
