// The schedules concept composed: the scheduler that turns scheduled publications into presence at
// their start, and the weekly schedules, planned notes and work locations it runs; app layer.
import type { Clock } from '../../ports/clock.js'
import type { NarvaroStore } from '../../ports/narvaro-store.js'
import type { ProfileDirectory } from '../directory/index.js'
import type { PolicyDirectory } from '../policy/index.js'
import type { PresenceEngine } from '../presence/index.js'
import { ScheduleService } from './schedule-service.js'
import { Scheduler } from './scheduler.js'

export interface SchedulesParts {
  /** Turns scheduled publications (schedules, calendars) into presence at their start. */
  readonly scheduler: Scheduler
  /** Scheduled do-not-disturb, planned notes and work locations; free/busy. */
  readonly schedules: ScheduleService
}

export const createSchedules = (deps: {
  readonly store: NarvaroStore
  readonly clock: Clock
  readonly engine: PresenceEngine
  readonly profiles: ProfileDirectory
  readonly policies: PolicyDirectory
  readonly onError: (error: unknown) => void
}): SchedulesParts => {
  const { store, clock, engine, profiles, policies, onError } = deps
  const scheduler = new Scheduler({ store, engine, profiles, clock, onError })
  const schedules = new ScheduleService({ store, scheduler, profiles, policies, clock, onError })
  return { scheduler, schedules }
}

export const startSchedules = async (parts: SchedulesParts): Promise<void> => {
  await parts.scheduler.start()
  parts.schedules.start()
}

export const stopSchedules = (parts: SchedulesParts): void => {
  parts.scheduler.stop()
  parts.schedules.stop()
}
