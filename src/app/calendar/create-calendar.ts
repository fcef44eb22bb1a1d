// The calendar concept composed: uploaded and subscribed calendars, expanded where the caller chose
// and fetched only where the outbound policy allows; app layer.
import type { Clock } from '../../ports/clock.js'
import type { NarvaroStore } from '../../ports/narvaro-store.js'
import type { Scheduler } from '../schedules/index.js'
import type { OutboundPolicy } from '../shared/index.js'
import { CalendarService } from './calendar-service.js'
import type { CalendarExpander } from './worker-expander.js'

export interface CalendarParts {
  /** Calendars (uploaded iCalendar files, subscribed ICS URLs): meetings and out-of-office. */
  readonly calendars: CalendarService
}

export const createCalendar = (deps: {
  readonly store: NarvaroStore
  readonly clock: Clock
  readonly scheduler: Scheduler
  readonly outbound: OutboundPolicy
  readonly onError: (error: unknown) => void
  /** Where calendars are expanded: a worker thread in the server, this thread by default. */
  readonly expandCalendar?: CalendarExpander
}): CalendarParts => {
  const { store, clock, scheduler, outbound, onError, expandCalendar } = deps
  const calendars = new CalendarService({
    store,
    scheduler,
    clock,
    onError,
    outbound,
    ...(expandCalendar ? { expand: expandCalendar } : {}),
  })
  return { calendars }
}

export const startCalendar = (parts: CalendarParts): Promise<void> => parts.calendars.start()

export const stopCalendar = (parts: CalendarParts): void => parts.calendars.stop()
