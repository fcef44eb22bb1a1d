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

  it('with no grace period a dropped source ends at once', () => {
    const { ended, leases } = setup(0)
    leases.claim('a@x.example', 'phone', 'c1')
    leases.release('a@x.example', ['phone'], 'c1')
    expect(ended).toEqual(['a@x.example/phone'])
  })
})
