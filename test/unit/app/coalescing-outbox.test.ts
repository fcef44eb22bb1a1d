// The per-connection outbox: straight through while the peer reads; latest state per presentity
// (in order of the newest change) when it does not.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CoalescingOutbox } from '../../../src/transports/shared/coalescing-outbox.js'

afterEach(() => vi.useRealTimers())

describe('CoalescingOutbox', () => {
  it('keeps only the newest message per presentity while the peer is behind, oldest first', () => {
    vi.useFakeTimers()
    let buffered = 1_000_000
    const written: string[] = []
    const outbox = new CoalescingOutbox(
      { buffered: () => buffered, write: (m) => written.push(m) },
      1000,
    )
    outbox.send('a1', 'a', 1)
    outbox.send('b2', 'b', 2)
    outbox.send('a3', 'a', 3)
    outbox.send('c4', 'c', 4)
    expect(written).toEqual([])
    expect(outbox.waiting).toBe(3)
    expect(outbox.coalesced).toBe(1)
    buffered = 0
    vi.advanceTimersByTime(30)
    expect(written).toEqual(['b2', 'a3', 'c4'])
    outbox.send('d5', 'd', 5)
    expect(written.at(-1)).toBe('d5')
  })

  it('never holds more than one message per presentity however long the peer stalls', () => {
    vi.useFakeTimers()
    const outbox = new CoalescingOutbox({ buffered: () => 10_000, write: () => undefined }, 1000)
    for (let i = 0; i < 10_000; i++) outbox.send(`m${i}`, `p${i % 10}`, i)
    expect(outbox.waiting).toBe(10)
    outbox.stop()
  })
})

describe('CoalescingOutbox, coalesced delivery (a client in the background)', () => {
  it('holds presentity messages for the interval, newest per presentity, and writes them at once when live again', () => {
    vi.useFakeTimers()
    const written: string[] = []
    const outbox = new CoalescingOutbox({ buffered: () => 0, write: (m) => written.push(m) }, 1000)
    outbox.setCoalesced(5000)
    outbox.send('a1', 'a', 1)
    outbox.send('a2', 'a', 2)
    outbox.send('b3', 'b', 3)
    vi.advanceTimersByTime(4999)
    expect(written).toEqual([])
    vi.advanceTimersByTime(1)
    expect(written).toEqual(['a2', 'b3'])
    outbox.send('a4', 'a', 4)
    outbox.setCoalesced(undefined)
    expect(written).toEqual(['a2', 'b3', 'a4'])
    outbox.send('b5', 'b', 5)
    expect(written.at(-1)).toBe('b5')
    outbox.stop()
  })

  it('never holds messages about the user’s own account', () => {
    vi.useFakeTimers()
    const written: string[] = []
    const outbox = new CoalescingOutbox({ buffered: () => 0, write: (m) => written.push(m) }, 1000)
    outbox.setCoalesced(60_000)
    outbox.send('change', 'a', 1)
    outbox.send('watcher request', '\u0000watcher:bob@x', 0)
    expect(written).toEqual(['watcher request'])
    expect([...outbox.undelivered()]).toEqual(['a'])
    outbox.stop()
  })
})

describe('CoalescingOutbox, back to live while the peer is still behind', () => {
  it('keeps trying until the peer has room', () => {
    vi.useFakeTimers()
    let buffered = 0
    const written: string[] = []
    const outbox = new CoalescingOutbox(
      { buffered: () => buffered, write: (m) => written.push(m) },
      1000,
    )
    outbox.setCoalesced(5000)
    outbox.send('a1', 'a', 1)
    buffered = 5000
    outbox.setCoalesced(undefined)
    expect(written).toEqual([])
    buffered = 0
    vi.advanceTimersByTime(30)
    expect(written).toEqual(['a1'])
    outbox.stop()
  })
})
