// The predicates of "who is available" filters, from one watcher's view; unit tests.
import { describe, expect, it } from 'vitest'
import {
  isAvailableForMeeting,
  isInsideWorkingHours,
  isReachableBy,
  matchesReachFilter,
} from '../../../src/core/reach/matches-reach-filter.js'
import { annView, bareOfflineView, doing } from './reach-views.js'

describe('reach filters', () => {
  it('an available person with nothing on is free for a meeting', () => {
    expect(isAvailableForMeeting(annView())).toBe(true)
    expect(isAvailableForMeeting(doing('commuting'))).toBe(true)
  })

  it.each([
    'in-a-call',
    'in-a-meeting',
    'presenting',
    'focusing',
    'out-of-office',
    'off-work',
  ] as const)('someone %s is not free for a meeting', (activity) => {
    expect(isAvailableForMeeting(doing(activity))).toBe(false)
  })

  it('busy, away, do-not-disturb and offline are not free for a meeting', () => {
    for (const availability of ['busy', 'away', 'do-not-disturb', 'offline'] as const) {
      expect(isAvailableForMeeting(annView({ availability }))).toBe(false)
    }
  })

  it('a view that says off work is outside working hours; one that does not tell is inside', () => {
    expect(isInsideWorkingHours(doing('off-work', { availability: 'away' }))).toBe(false)
    expect(isInsideWorkingHours(annView())).toBe(true)
    expect(isInsideWorkingHours(bareOfflineView)).toBe(true)
  })

  it('reachable by a kind follows checkReach, priority access included', () => {
    const dnd = annView({ availability: 'do-not-disturb' })
    expect(isReachableBy(dnd, 'voice')).toBe(false)
    expect(isReachableBy(dnd, 'voice', { priority: ['voice'] })).toBe(true)
    expect(isReachableBy(bareOfflineView, 'email', { priority: ['email'] })).toBe(false)
  })

  it('a filter keeps a view only when every condition given holds', () => {
    const meeting = doing('in-a-meeting', { availability: 'busy' })
    expect(matchesReachFilter(annView(), {})).toBe(true)
    expect(matchesReachFilter(meeting, { availability: ['available'] })).toBe(false)
    expect(matchesReachFilter(meeting, { availability: ['busy'], reachableBy: 'im' })).toBe(true)
    expect(matchesReachFilter(meeting, { reachableBy: 'voice' })).toBe(false)
    expect(matchesReachFilter(meeting, { availableForMeeting: true })).toBe(false)
    expect(matchesReachFilter(meeting, { insideWorkingHours: true })).toBe(true)
    expect(matchesReachFilter(doing('off-work'), { insideWorkingHours: false })).toBe(true)
  })
})
