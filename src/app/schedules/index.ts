// The schedules concept of the application layer: what other concepts, the transports and the server
// may use of it; everything else in this folder is its own.

export { ScheduleService } from './schedule-service.js'
export { Scheduler } from './scheduler.js'
export { createSchedules, startSchedules, stopSchedules } from './create-schedules.js'
export type { SchedulesParts } from './create-schedules.js'
// The schedule records as the transports show them.
export type { ScheduleEntry } from '../../ports/schedule-store.js'
