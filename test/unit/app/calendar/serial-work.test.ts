// Calendar work queues: expansions one at a time in order, even when one fails; fetches never more
// than the limit at once, and a finished one hands its place to the next in line.
import { describe, expect, it } from 'vitest'
import { ConcurrencyLimit, SerialWork } from '../../../../src/app/calendar/serial-work.js'

const deferred = () => {
  let resolve = () => {}
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

describe('calendar work queues', () => {
  it('serial work runs jobs one at a time in order, and a failure does not stop the next', async () => {
    const work = new SerialWork()
    const log: string[] = []
    const job =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`)
        await Promise.resolve()
        log.push(`end ${name}`)
        if (fail) throw new Error(name)
        return name
      }
    const results = await Promise.allSettled([
      work.run(job('a')),
      work.run(job('b', true)),
      work.run(job('c')),
    ])
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c'])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
  })

  it('a concurrency limit never runs more jobs at once than allowed', async () => {
    const limit = new ConcurrencyLimit(2)
    let running = 0
    let most = 0
    const gates = Array.from({ length: 5 }, deferred)
    const runs = gates.map((gate) =>
      limit.run(async () => {
        running += 1
        most = Math.max(most, running)
        await gate.promise
        running -= 1
      }),
    )
    for (const gate of gates) {
      gate.resolve()
      // A newcomer arriving just as a place frees up must wait behind the queue.
      runs.push(
        limit.run(async () => {
          running += 1
          most = Math.max(most, running)
          await Promise.resolve()
          running -= 1
        }),
      )
    }
    await Promise.all(runs)
    expect(most).toBe(2)
  })
})
