// Unit: a periodic duty spread over its period serves every member once a period, a balanced slice
// a tick, and never a member that left.
import { afterEach, describe, expect, it } from 'vitest'
import { StaggeredTicker } from '../../../src/transports/shared/staggered-ticker.js'

const tickers: StaggeredTicker<number>[] = []
afterEach(() => {
  for (const ticker of tickers.splice(0)) ticker.stop()
})

/** A ticker of `slices` slices whose timer never fires during the test: ticks are called by hand. */
const ticker = (slices: number, served: number[][]) => {
  const made = new StaggeredTicker<number>(
    3_600_000,
    (member) => served.at(-1)!.push(member),
    slices,
  )
  tickers.push(made)
  return {
    made,
    tick: () => {
      served.push([])
      made.tick()
    },
  }
}

describe('StaggeredTicker', () => {
  it('serves each member once per period, in slices that differ by one at most', () => {
    const served: number[][] = []
    const { made, tick } = ticker(30, served)
    for (let member = 0; member < 1000; member++) made.add(member)
    for (let i = 0; i < 30; i++) tick()
    expect(served.flat().sort((a, b) => a - b)).toEqual([...Array(1000).keys()])
    const sizes = served.map((slice) => slice.length)
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
    for (let i = 0; i < 30; i++) tick()
    expect(served.slice(30).flat().length).toBe(1000)
  })

  it('forgets a member that left, and fills the emptied slices first', () => {
    const served: number[][] = []
    const { made, tick } = ticker(4, served)
    for (let member = 0; member < 8; member++) made.add(member)
    for (const member of [0, 4]) made.delete(member)
    made.add(100)
    made.add(100)
    expect(made.size).toBe(7)
    for (let i = 0; i < 4; i++) tick()
    expect(served.flat().sort((a, b) => a - b)).toEqual([1, 2, 3, 5, 6, 7, 100])
    expect(Math.max(...served.map((slice) => slice.length))).toBe(2)
    expect([...made.members()].sort((a, b) => a - b)).toEqual([1, 2, 3, 5, 6, 7, 100])
  })

  it('uses fewer slices for a short period, ticks at least 100 ms apart', () => {
    const served: number[][] = []
    const short = new StaggeredTicker<number>(250, (m) => served.at(-1)!.push(m))
    tickers.push(short)
    for (let member = 0; member < 4; member++) short.add(member)
    served.push([])
    short.tick()
    served.push([])
    short.tick()
    expect(served.map((slice) => slice.length)).toEqual([2, 2])
  })
})
