// The calendar concept of the application layer: what other concepts, the transports and the server
// may use of it; everything else in this folder is its own.

export { CalendarService } from './calendar-service.js'
export type { CalendarImport } from './calendar-service.js'
export { defaultExpander } from './worker-expander.js'
export type { CalendarExpander } from './worker-expander.js'
export { createCalendar, startCalendar, stopCalendar } from './create-calendar.js'
export type { CalendarParts } from './create-calendar.js'
// The calendar records as the transports show them.
export type { CalendarFeed } from '../../ports/schedule-store.js'
