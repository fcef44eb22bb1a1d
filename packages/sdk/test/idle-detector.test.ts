// Unit tests of the SDK's browser idle detection on fake page events and hand-moved timers.
import { describe, expect, it } from 'vitest'
import { detectIdle } from '../src/browser/index.js'
import { ManualTimers } from './fakes.js'

class FakePage {
  visibilityState = 'visible'
  private listeners = new Map<string, Set<() => void>>()
  addEventListener(type: string, listener: () => void) {
    const set = this.listeners.get(type) ?? new Set()
    set.add(listener)
    this.listeners.set(type, set)
  }
  removeEventListener(type: string, listener: () => void) {
    this.listeners.get(type)?.delete(listener)
  }
  fire(type: string) {
    for (const listener of this.listeners.get(type) ?? []) listener()
  }
  get listening() {
    return [...this.listeners.values()].reduce((n, s) => n + s.size, 0)
  }
}

const setup = () => {
  const page = new FakePage()
  const timers = new ManualTimers()
  const changes: boolean[] = []
  const detector = detectIdle({
    idleAfterMs: 60_000,
    target: page,
    document: page,
    timers,
    now: () => timers.now,
    onChange: (idle) => changes.push(idle),
  })
  return { page, timers, changes, detector }
}

describe('idle detection', () => {
  it('turns idle after the configured time without input, and active on the next input', () => {
    const { page, timers, changes } = setup()
    timers.advance(59_999)
    expect(changes).toEqual([])
    timers.advance(1)
    expect(changes).toEqual([true])
    page.fire('keydown')
    expect(changes).toEqual([true, false])
  })

  it('counts input as keeping the device active for the whole period after it', () => {
    const { page, timers, changes } = setup()
    timers.advance(50_000)
    page.fire('pointermove')
    timers.advance(50_000)
    expect(changes).toEqual([])
    timers.advance(10_000)
    expect(changes).toEqual([true])
  })

  it('turns idle at once when the page is hidden, and active when it is shown again', () => {
    const { page, changes } = setup()
    page.visibilityState = 'hidden'
    page.fire('visibilitychange')
    expect(changes).toEqual([true])
    page.fire('scroll')
    expect(changes).toEqual([true])
    page.visibilityState = 'visible'
    page.fire('visibilitychange')
    expect(changes).toEqual([true, false])
  })

  it('stops listening when stopped', () => {
    const { page, timers, changes, detector } = setup()
    detector.stop()
    expect(page.listening).toBe(0)
    timers.advance(120_000)
    expect(changes).toEqual([])
  })
})
