// Connection-bound publications: the grace period, reconnects that keep the publication, and owners.
import { describe, expect, it } from 'vitest'
import { FixedClock } from '../../../src/adapters/clock/fixed-clock.js'
import { ConnectionLeases } from '../../../src/app/presence/connection-leases.js'

const setup = (graceMs = 15_000) => {
  const clock = new FixedClock()
  const ended: string[] = []
  const leases = new ConnectionLeases(clock, graceMs, (address, source) =>
    ended.push(`${address}/${source}`),
  )
  return { clock, ended, leases }
}

describe('ConnectionLeases', () => {
  it('a dropped connection ends its sources after the grace period, not before', () => {
    const { clock, ended, leases } = setup()
    leases.claim('a@x.example', 'laptop', 'c1')
    leases.release('a@x.example', ['laptop'], 'c1')
    clock.advance(14_999)
    expect(ended).toEqual([])
    clock.advance(1)
    expect(ended).toEqual(['a@x.example/laptop'])
  })

  it('a reconnect that claims the source within the grace period keeps it', () => {
    const { clock, ended, leases } = setup()
    leases.claim('a@x.example', 'laptop', 'c1')
    leases.release('a@x.example', ['laptop'], 'c1')
    clock.advance(10_000)
    leases.claim('a@x.example', 'laptop', 'c2')
    clock.advance(60_000)
    expect(ended).toEqual([])
  })

  it('an old connection closing late does not end a source a new connection owns', () => {
    const { clock, ended, leases } = setup()
    leases.claim('a@x.example', 'laptop', 'c1')
    leases.claim('a@x.example', 'laptop', 'c2')
    leases.release('a@x.example', ['laptop'], 'c1')
    clock.advance(60_000)
    expect(ended).toEqual([])
    expect(leases.drop('a@x.example', 'laptop', 'c1')).toBe(false)
    expect(leases.drop('a@x.example', 'laptop', 'c2')).toBe(true)
  })

  it('leases released at different times end each after its own grace period, in order', () => {
    const { clock, ended, leases } = setup(1000)
    for (let i = 0; i < 3000; i++) leases.claim(`u${i}@x.example`, 'laptop', `c${i}`)
    // Released ten a millisecond; every third comes back before its end.
    for (let i = 0; i < 3000; i++) {
      if (i % 10 === 0 && i > 0) clock.advance(1)
      leases.release(`u${i}@x.example`, ['laptop'], `c${i}`)
    }
    for (let i = 0; i < 3000; i += 3) leases.claim(`u${i}@x.example`, 'laptop', `d${i}`)
    clock.advance(700) // 999 ms after the first release: nothing yet
    expect(ended).toEqual([])
    clock.advance(1) // the first ten are due
    expect(ended).toEqual([1, 2, 4, 5, 7, 8].map((i) => `u${i}@x.example/laptop`))
    clock.advance(5_000)
    const expected = Array.from({ length: 3000 }, (_, i) => i)
      .filter((i) => i % 3 !== 0)
      .map((i) => `u${i}@x.example/laptop`)
    expect(ended).toEqual(expected)
    // The sources claimed again are owned by their new connections, with nothing pending.
    expect(leases.drop('u0@x.example', 'laptop', 'd0')).toBe(true)
    // The queue, cut once its ended front was long, goes on.
    leases.release('u3@x.example', ['laptop'], 'd3')
    clock.advance(999)
    expect(ended).toHaveLength(expected.length)
    clock.advance(1)
    expect(ended.at(-1)).toBe('u3@x.example/laptop')
  })

  it('a source forgotten or cleared while its grace period runs does not end later', () => {
    const { clock, ended, leases } = setup(1000)
    leases.claim('a@x.example', 'laptop', 'c1')
    leases.claim('b@x.example', 'laptop', 'c2')
    leases.release('a@x.example', ['laptop'], 'c1')
    leases.release('b@x.example', ['laptop'], 'c2')
    leases.forget('a@x.example')
    clock.advance(1000)
    expect(ended).toEqual(['b@x.example/laptop'])
    leases.claim('c@x.example', 'laptop', 'c3')
    leases.release('c@x.example', ['laptop'], 'c3')
    leases.clear()
    clock.advance(5000)
    expect(ended).toEqual(['b@x.example/laptop'])
    // After a clear, a new release still ends on time.
    leases.claim('c@x.example', 'laptop', 'c4')
    leases.release('c@x.example', ['laptop'], 'c4')
    clock.advance(1000)
    expect(ended).toEqual(['b@x.example/laptop', 'c@x.example/laptop'])
  })

  it('with no grace period a dropped source ends at once', () => {
    const { ended, leases } = setup(0)
    leases.claim('a@x.example', 'phone', 'c1')
    leases.release('a@x.example', ['phone'], 'c1')
    expect(ended).toEqual(['a@x.example/phone'])
  })
})
