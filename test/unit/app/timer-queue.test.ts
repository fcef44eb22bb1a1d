// The timer queue: many jobs on one clock timer, run in due order, replaced and cancelled by key;
// unit tests with a FixedClock.
import { describe, expect, it } from 'vitest'
import { FixedClock } from '../../../src/adapters/clock/fixed-clock.js'
import { SystemClock } from '../../../src/adapters/clock/system-clock.js'
import { TimerQueue } from '../../../src/app/shared/timer-queue.js'

describe('TimerQueue', () => {
  it('runs jobs in the order they fall due, each once, at its own time', () => {
    const clock = new FixedClock(0)
    const queue = new TimerQueue(clock, (error) => {
      throw error
    })
    const ran: [string, number][] = []
    for (const [key, at] of [
      ['c', 30],
      ['a', 10],
      ['b', 20],
      ['d', 20],
    ] as const) {
      queue.schedule(key, at, () => ran.push([key, clock.now()]))
    }
    clock.advance(25)
    expect(ran).toEqual([
      ['a', 10],
      ['b', 20],
      ['d', 20],
    ])
    clock.advance(100)
    expect(ran.at(-1)).toEqual(['c', 30])
    expect(queue.size).toBe(0)
  })

  it('a job scheduled again under its key replaces the old one; a cancelled one never runs', () => {
    const clock = new FixedClock(0)
    const queue = new TimerQueue(clock, () => {})
    const ran: string[] = []
    queue.schedule('x', 10, () => ran.push('old'))
    queue.schedule('x', 50, () => ran.push('new'))
    queue.schedule('y', 20, () => ran.push('y'))
    queue.cancel('y')
    clock.advance(100)
    expect(ran).toEqual(['new'])
  })

  it('a job may schedule another; a throwing job is reported and the others still run', () => {
    const clock = new FixedClock(0)
    const errors: unknown[] = []
    const queue = new TimerQueue(clock, (error) => errors.push(error))
    const ran: string[] = []
    queue.schedule('boom', 5, () => {
      throw new Error('boom')
    })
    queue.schedule('first', 10, () => queue.schedule('second', 15, () => ran.push('second')))
    clock.advance(20)
    expect(ran).toEqual(['second'])
    expect(errors).toHaveLength(1)
  })

  it('keeps many jobs in order (a heap, not a scan)', () => {
    const clock = new FixedClock(0)
    const queue = new TimerQueue(clock, () => {})
    const ran: number[] = []
    const times = Array.from({ length: 2000 }, (_, i) => (i * 7919) % 2000)
    for (const [i, at] of times.entries()) queue.schedule(`k${i}`, at + 1, () => ran.push(at))
    clock.advance(5000)
    expect(ran).toEqual([...times].sort((a, b) => a - b))
  })
})

describe('TimerQueue slices', () => {
  it('runs thousands of jobs due at once in several turns, all of them, in order', async () => {
    const clock = new SystemClock()
    const queue = new TimerQueue(clock, (error) => {
      throw error
    })
    const ran: number[] = []
    const turns = new Set<number>()
    let turn = 0
    const ticking = setInterval(() => (turn += 1), 0)
    const busy = (ms: number) => {
      const until = performance.now() + ms
      while (performance.now() < until);
    }
    const at = clock.now()
    for (let i = 0; i < 40; i += 1)
      queue.schedule(`k${i}`, at, () => {
        busy(1)
        ran.push(i)
        turns.add(turn)
      })
    await new Promise<void>((resolve) => {
      const check = () => (ran.length === 40 ? resolve() : setTimeout(check, 5))
      check()
    })
    clearInterval(ticking)
    queue.stop()
    expect(ran).toEqual([...Array(40).keys()])
    expect(turns.size).toBeGreaterThan(1)
  })
})
