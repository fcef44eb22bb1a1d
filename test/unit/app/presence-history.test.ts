// The resume history: bounded by depth and by the resume window, and a presentity quiet for a whole
// window holds nothing; unit tests.
import { describe, expect, it } from 'vitest'
import type { Presence } from '../../../src/core/aggregation/presence.js'
import type { Profile } from '../../../src/core/model/presence-model.js'
import { PresenceHistory, historyDepth } from '../../../src/app/presence/presence-history.js'

const profile: Profile = {
  address: 'ann@acme.example',
  organizationId: 'org',
  displayName: 'Ann',
  timeZone: 'UTC',
  contactMethods: [],
}
const presence = { address: profile.address, availability: 'available' } as unknown as Presence
const entry = (seq: number) => ({ seq, presence, profile })
const ann = profile.address

describe('PresenceHistory', () => {
  it('keeps at most historyDepth changes', () => {
    const history = new PresenceHistory()
    for (let seq = 1; seq <= historyDepth + 3; seq++) history.record(ann, entry(seq), 0)
    expect(history.counts()).toEqual({ presentities: 1, entries: historyDepth })
    expect(history.since(ann, 3)).toBeUndefined()
    expect(history.since(ann, 4)?.base?.seq).toBe(4)
    expect(history.since(ann, historyDepth + 3)).toEqual({ changes: [] })
  })

  it('drops changes older than the window but keeps the newest as the base of the next', () => {
    const history = new PresenceHistory(60_000)
    history.record(ann, entry(1), 0)
    history.record(ann, entry(2), 10_000)
    history.record(ann, entry(3), 65_000)
    // seq 1 was current until 10 s, inside the window: a watcher still at 1 can resume.
    expect(history.since(ann, 1)?.base?.seq).toBe(1)
    history.record(ann, entry(3.5), 75_000)
    // Now it was superseded more than a window ago: a cursor at 1 can no longer be resumed.
    expect(history.since(ann, 1)).toBeUndefined()
    expect(history.since(ann, 2)?.changes.map((c) => c.seq)).toEqual([3, 3.5])
    history.record(ann, entry(4), 200_000)
    // Everything before 4 is old, but 3.5 stays: it was current until now.
    expect(history.since(ann, 3.5)?.base?.seq).toBe(3.5)
    expect(history.counts().entries).toBe(2)
  })

  it('a sweep forgets only the presentities quiet for a whole window', () => {
    const history = new PresenceHistory(60_000)
    history.record('a@x', entry(1), 0)
    history.record('b@x', entry(2), 30_000)
    history.record('a@x', entry(3), 50_000)
    expect(history.sweep(95_000)).toBe(1)
    expect(history.since('b@x', 1)).toEqual({ changes: [] })
    expect(history.since('a@x', 1)?.base?.seq).toBe(1)
    expect(history.sweep(200_000)).toBe(1)
    expect(history.isEmpty).toBe(true)
  })
})
