// The worker thread that expands calendars, so that a large file never holds the server's event loop:
// it answers `{ id, ics, options }` with the expansion or the error's code and message; app layer.
import { parentPort } from 'node:worker_threads'
import { isNarvaroError } from '../../core/errors.js'
import type { CalendarExpansionOptions } from './expand-calendar.js'
import { expandCalendar } from './expand-calendar.js'

export interface ExpansionRequest {
  readonly id: number
  readonly ics: string
  readonly options: CalendarExpansionOptions
}

parentPort?.on('message', ({ id, ics, options }: ExpansionRequest) => {
  try {
    parentPort?.postMessage({ id, ok: true, expansion: expandCalendar(ics, options) })
  } catch (error) {
    const known = isNarvaroError(error)
    parentPort?.postMessage({
      id,
      ok: false,
      code: known ? error.code : 'NRV_INTERNAL',
      message: error instanceof Error ? error.message : String(error),
    })
  }
})
