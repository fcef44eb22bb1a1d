// A person's schedule entries (scheduled do-not-disturb, planned notes and work locations) and
// free/busy for watchers as policy allows; entries are expanded ahead and handed to the scheduler;
// app layer.
import { NarvaroError } from '../../core/errors.js'
import { workLocationProblem } from '../../core/model/presence-model.js'
import type { Party } from '../../core/policy/decide-permissions.js'
import type { FreeBusyView } from '../../core/policy/free-busy.js'
import { freeBusyView } from '../../core/policy/free-busy.js'
import type { Clock } from '../../ports/clock.js'
import type {
  ScheduleEntry,
  ScheduleSet,
  ScheduleStore,
  ScheduleWhen,
} from '../../ports/schedule-store.js'
import type { PresenceStore, User } from '../../ports/store.js'
import type { PolicyDirectory } from '../policy/index.js'
import type { ProfileDirectory } from '../directory/index.js'
import { expandScheduleEntry, scheduleOwner } from './schedule-expansion.js'
import type { Scheduler } from './scheduler.js'
import { TimerQueue } from '../shared/index.js'
import { isHiddenFrom, presentityNotFound } from '../../core/subscriptions/hidden-presentity.js'

const day = 24 * 60 * 60_000
/** How far ahead weekly entries are expanded; they are expanded again every day. */
export const expansionDays = 14
/** The longest one-off entry, and the widest free/busy window. */
const maxOnceMs = 366 * day
const maxFreeBusyMs = 62 * day
/** Enough for any real week; a bound, so nobody can make the scheduler's work grow without end. */
export const maxEntriesPerUser = 100

export interface NewScheduleInput {
  readonly name: string
  readonly set: ScheduleSet
  readonly when: ScheduleWhen
}

export class ScheduleService {
  private readonly refresher: TimerQueue
  private stopped = false

  constructor(
    private readonly deps: {
      readonly store: ScheduleStore & PresenceStore
      readonly scheduler: Scheduler
      readonly profiles: ProfileDirectory
      readonly policies: PolicyDirectory
      readonly clock: Clock
      readonly onError: (error: unknown) => void
    },
  ) {
    this.refresher = new TimerQueue(deps.clock, deps.onError)
  }

  /** Expands every entry again now and then every day, so weekly entries never run out. */
  /**
   * What is already expanded is in force from the store at once (the scheduler reads it); expanding
   * again to move the window on runs in the background, one entry per turn of the event loop, so a
   * server with many entries starts listening without waiting for it.
   */
  start(): void {
    this.armExpansion(this.deps.clock.now())
  }

  stop(): void {
    this.stopped = true
    this.refresher.stop()
  }

  async create(user: User, input: NewScheduleInput): Promise<ScheduleEntry> {
    this.validate(input)
    if ((await this.deps.store.listScheduleEntries(user.id)).length >= maxEntriesPerUser) {
      throw new NarvaroError(
        'NRV_FORBIDDEN',
        `at most ${maxEntriesPerUser} schedule entries per person`,
      )
    }
    const entry = await this.deps.store.createScheduleEntry({
      ...input,
      userId: user.id,
      createdAt: this.deps.clock.now(),
    })
    await this.expand(entry, user.timeZone)
    return entry
  }

  list(user: User): Promise<readonly ScheduleEntry[]> {
    return this.deps.store.listScheduleEntries(user.id)
  }

  async remove(user: User, id: string): Promise<void> {
    const entry = await this.deps.store.getScheduleEntry(id)
    if (!entry || entry.userId !== user.id)
      throw new NarvaroError('NRV_NOT_FOUND', 'no such schedule entry')
    await this.deps.store.deleteScheduleEntry(id)
    await this.deps.scheduler.replace(scheduleOwner(id), [])
  }

  /** The user's entries again, after their time zone changed. */
  async userChanged(user: User): Promise<void> {
    for (const entry of await this.deps.store.listScheduleEntries(user.id))
      await this.expand(entry, user.timeZone)
  }

  /** Free/busy of `address` in [from, to) as `asker` may see it; unknown and blocked look the same. */
  async freeBusy(
    asker: Party,
    address: string,
    window: { from: number; to: number },
  ): Promise<FreeBusyView> {
    if (!(window.to > window.from) || window.to - window.from > maxFreeBusyMs) {
      throw new NarvaroError('NRV_VALIDATION', 'the window must be non-empty and at most 62 days')
    }
    const profile = await this.deps.profiles.ensure(address)
    const userId = profile ? this.deps.profiles.idOf(profile.address) : undefined
    const permissions =
      profile && this.deps.policies.permissionsFor(asker, profile, this.deps.clock.now())
    if (!profile || userId === undefined || isHiddenFrom(permissions)) {
      throw presentityNotFound(address)
    }
    const scheduled = await this.deps.store.listScheduledPublications({ ...window, userId })
    const intervals = scheduled.flatMap((s) =>
      s.freeBusy ? [{ startsAt: s.startsAt, endsAt: s.endsAt, kind: s.freeBusy }] : [],
    )
    return freeBusyView({ address: profile.address, permissions, intervals, window })
  }

  private validate(input: NewScheduleInput): void {
    const { set, when } = input
    if (
      set.availability === undefined &&
      set.note === undefined &&
      set.workLocation === undefined
    ) {
      throw new NarvaroError(
        'NRV_VALIDATION',
        'a schedule entry must set an availability, a note or a work location',
      )
    }
    const problem = set.workLocation && workLocationProblem(set.workLocation)
    if (problem) throw new NarvaroError('NRV_VALIDATION', problem)
    if ('once' in when) {
      const { startsAt, endsAt } = when.once
      if (endsAt <= startsAt || endsAt - startsAt > maxOnceMs || endsAt <= this.deps.clock.now()) {
        throw new NarvaroError(
          'NRV_VALIDATION',
          '`once` must end after it starts, in the future, within a year',
        )
      }
    }
  }

  private async expand(entry: ScheduleEntry, timeZone: string): Promise<void> {
    const now = this.deps.clock.now()
    // A one-off entry is stored whole (free/busy further ahead shows it); weekly ones two weeks ahead.
    const to = 'once' in entry.when ? entry.when.once.endsAt : now + expansionDays * day
    const window = { from: now - day, to: Math.max(to, now + 1) }
    await this.deps.scheduler.replace(
      scheduleOwner(entry.id),
      expandScheduleEntry(entry, timeZone, window),
    )
  }

  /** Weekly entries move their window on; a one-off entry was stored whole when it was made. */
  private async expandAll(): Promise<void> {
    for (const entry of await this.deps.store.listScheduleEntries()) {
      if (this.stopped) return
      if ('once' in entry.when) continue
      const user = await this.deps.store.getUser(entry.userId)
      if (user) await this.expand(entry, user.timeZone)
      await new Promise((resolve) => setImmediate(resolve))
    }
  }

  private armExpansion(at: number): void {
    this.refresher.schedule('expand', at, () => {
      this.expandAll()
        .catch(this.deps.onError)
        .finally(() => {
          if (!this.stopped) this.armExpansion(this.deps.clock.now() + day)
        })
    })
  }
}
