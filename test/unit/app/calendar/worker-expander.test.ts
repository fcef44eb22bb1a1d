// Calendar expansion in a worker thread (the built script in dist/, as the server runs it): the same
// result as in this thread, errors keep their code, and a file that takes too long is refused and
// the worker replaced; unit tests.
import { afterEach, describe, expect, it } from 'vitest'
import { WorkerExpander, inThreadExpander } from '../../../../src/app/calendar/worker-expander.js'
import { isNarvaroError } from '../../../../src/core/errors.js'
import { weeklySync } from '../../../support/calendar-files.js'

const script = new URL('../../../../dist/app/calendar/expansion-worker.js', import.meta.url)
const options = {
  from: Date.UTC(2026, 2, 1),
  to: Date.UTC(2026, 4, 1),
  defaultTimeZone: 'Europe/Stockholm',
}

let expander: WorkerExpander | undefined
afterEach(async () => {
  await expander?.close()
  expander = undefined
})

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> => {
  try {
    await promise
    return undefined
  } catch (error) {
    return isNarvaroError(error) ? error.code : 'not a NarvaroError'
  }
}

describe('WorkerExpander', () => {
  it('gives the same occurrences as expanding in this thread', async () => {
    expander = new WorkerExpander(script)
    const inWorker = await expander.expand(weeklySync, options)
    expect(inWorker.occurrences.length).toBeGreaterThan(0)
    expect(inWorker).toEqual(await inThreadExpander(weeklySync, options))
    expect(await expander.expand(weeklySync, options)).toEqual(inWorker)
  })

  it('a file that is not a calendar is a validation error, as in this thread', async () => {
    expander = new WorkerExpander(script)
    expect(await codeOf(expander.expand('hello', options))).toBe('NRV_VALIDATION')
    expect(await codeOf(inThreadExpander('hello', options))).toBe('NRV_VALIDATION')
  })

  it('a file that takes longer than the limit is refused as invalid, and closing refuses what waits', async () => {
    expander = new WorkerExpander(script, 1)
    expect(await codeOf(expander.expand(weeklySync, options))).toBe('NRV_VALIDATION')
    const waiting = new WorkerExpander(script)
    // The handler is attached before closing: the refusal happens while close() runs.
    const pending = codeOf(waiting.expand(weeklySync, options))
    await waiting.close()
    expect(await pending).toBe('NRV_SHUTTING_DOWN')
  })
})
