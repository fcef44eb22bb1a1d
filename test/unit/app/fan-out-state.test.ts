// The pure fan-out state: watchers grouped by permissions, one view per group, nothing sent for an
// unchanged view, regrouping on a policy change, and every watcher getting exactly its own view.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { FanOut, FanOutState } from '../../../src/app/watching/fan-out-state.js'
import {
  detach,
  emptyFanOutState,
  fanOut,
  join,
  leave,
  liveWatches,
  refresh,
  watchedBy,
} from '../../../src/app/watching/fan-out-state.js'
import { maxResting } from '../../../src/app/watching/fan-out-groups.js'
import { sinkCount } from '../../../src/app/watching/group-sinks.js'
import { serializeView } from '../../../src/app/watching/view-json.js'
import {
  changeMessage,
  snapshotMessage,
  unwatchedMessage,
} from '../../../src/app/watching/watch-messages.js'
import type { HistoryEntry } from '../../../src/app/presence/index.js'
import type { Presence } from '../../../src/core/aggregation/presence.js'
import type { Profile } from '../../../src/core/model/presence-model.js'
import { computeView } from '../../../src/core/policy/compute-view.js'
import { everything } from '../../../src/core/policy/evaluate-policy.js'
import type { Permissions } from '../../../src/core/policy/permissions.js'
import { nothing, permissionsKey } from '../../../src/core/policy/permissions.js'
import {
  permissionsArb,
  presenceArb,
  profileArb,
  weekMomentArb,
} from '../../support/arbitraries.js'
import { aggregateAt, annAddress, device, manualNote, t0 } from '../../support/publications.js'

interface TestSink {
  readonly watcher: { readonly address: string; readonly organizationId: string }
}

const sinkOf = (address: string): TestSink => ({ watcher: { address, organizationId: 'acme' } })

const ann: Profile = {
  address: annAddress,
  organizationId: 'acme',
  displayName: 'Ann',
  timeZone: 'UTC',
  contactMethods: [{ id: 'a', kind: 'im', address: annAddress, rank: 1, scope: 'work' }],
}

const at = (
  seq: number,
  presence: Presence,
  profile = ann,
): { address: string; entry: HistoryEntry } => ({
  address: profile.address,
  entry: { seq, presence, profile },
})

const noNote: Permissions = { ...everything, note: false }
const politeBlock: Permissions = { ...nothing, subscription: 'polite-block' }
const block: Permissions = nothing

/** What each sink was handed, in order, from the compact deliveries. */
const received = <S>(out: FanOut<S>): Map<S, string[]> => {
  const bySink = new Map<S, string[]>()
  for (const { message, to, except } of out.deliveries) {
    for (const sink of to) {
      if (except?.has(sink)) continue
      bySink.set(sink, [...(bySink.get(sink) ?? []), message])
    }
  }
  return bySink
}

/** The keys of the groups of `address` that have watchers. */
const withWatchers = <S>(state: FanOutState<S>, address: string): string[] =>
  [...(state.byPresentity.get(address)?.values() ?? [])]
    .filter((group) => sinkCount(group) > 0)
    .map((group) => group.key)

const ownJson = (entry: HistoryEntry, permissions: Permissions, now: number): string =>
  serializeView(computeView({ presence: entry.presence, profile: entry.profile, permissions, now }))

/** `sink` joins for a snapshot at `change`'s sequence number, at t0. */
const joinOne = (
  state: FanOutState<TestSink>,
  watcher: { sink: TestSink; permissions: Permissions },
  change: { address: string; entry: HistoryEntry },
) => {
  const start = { kind: 'snapshot', at: change.entry.seq, resync: false } as const
  return join(state, { ...watcher, change, start }, t0)
}

const joinAll = (
  state: FanOutState<TestSink>,
  watchers: readonly { sink: TestSink; permissions: Permissions }[],
  change: { address: string; entry: HistoryEntry },
) => {
  for (const watcher of watchers) joinOne(state, watcher, change)
}

describe('the fan-out state', () => {
  const available = aggregateAt([device(), manualNote('in Lund today')])

  it('keeps each sink in one group per presentity it watches, through leaving and detaching', () => {
    const state = emptyFanOutState<TestSink>()
    const people = ['p0', 'p1', 'p2', 'p3'].map((name) => ({
      ...ann,
      address: `${name}@acme.example`,
    }))
    const [a, b] = [sinkOf('a@acme.example'), sinkOf('b@acme.example')]
    for (const profile of people) {
      joinAll(state, [{ sink: a, permissions: everything }], at(1, available, profile))
      joinAll(state, [{ sink: b, permissions: noNote }], at(1, available, profile))
    }
    // Joining again under other permissions moves the sink; it is never in two groups of one person.
    joinAll(state, [{ sink: a, permissions: noNote }], at(1, available, people[2]))
    expect(withWatchers(state, 'p2@acme.example')).toEqual([permissionsKey(noNote)])
    leave(state, a, 'p1@acme.example')
    leave(state, a, 'p1@acme.example')
    expect(liveWatches(state)).toBe(7)
    expect([...watchedBy(state, new Set(['a@acme.example']))].sort()).toEqual(
      ['p0', 'p2', 'p3'].map((name) => `${name}@acme.example`),
    )
    const out = fanOut(state, at(2, aggregateAt([]), people[1]), t0)
    expect([...received(out).keys()]).toEqual([b])
    detach(state, b)
    expect(liveWatches(state)).toBe(3)
    expect(withWatchers(state, 'p1@acme.example')).toEqual([])
    expect(withWatchers(state, 'p0@acme.example')).toEqual([permissionsKey(everything)])
    for (const name of ['p0', 'p2', 'p3']) leave(state, a, `${name}@acme.example`)
    expect(state.bySink.size).toBe(0)
    // What is left rests, without watchers; a change of each presentity drops its groups.
    const left = [...state.byPresentity.values()].flatMap((groups) => [...groups.values()])
    expect(left.every((group) => sinkCount(group) === 0 && state.resting.has(group))).toBe(true)
    expect(state.resting.size).toBe(left.length)
    for (const profile of people) expect(fanOut(state, at(3, available, profile), t0).views).toBe(0)
    expect(state.byPresentity.size).toBe(0)
    expect(state.resting.size).toBe(0)
  })

  it('keeps a group its last watcher left for the next to join, until a change or a refresh', () => {
    const state = emptyFanOutState<TestSink>()
    const [a, b] = [sinkOf('a@acme.example'), sinkOf('b@acme.example')]
    const first = at(1, available)
    joinAll(state, [{ sink: a, permissions: noNote }], first)
    const group = state.byPresentity.get(annAddress)!.get(permissionsKey(noNote))!
    detach(state, a)
    expect(state.resting.has(group)).toBe(true)
    // Joined again at the same presence: the same group, its view kept, the same snapshot.
    const out = joinOne(state, { sink: b, permissions: noNote }, first)
    expect(state.byPresentity.get(annAddress)!.get(permissionsKey(noNote))).toBe(group)
    expect(state.resting.has(group)).toBe(false)
    expect(received(out).get(b)).toEqual([
      snapshotMessage(annAddress, 1, ownJson(first.entry, noNote, t0), false),
    ])
    // Joined at a presence the group's view is not of (a change not fanned out here yet): computed again.
    leave(state, b, annAddress)
    const later = at(2, aggregateAt([]))
    const again = joinOne(state, { sink: b, permissions: noNote }, later)
    expect(received(again).get(b)).toEqual([
      snapshotMessage(annAddress, 2, ownJson(later.entry, noNote, t0), false),
    ])
    // A change drops resting groups without computing their views.
    joinAll(state, [{ sink: a, permissions: everything }], later)
    leave(state, a, annAddress)
    const changed = fanOut(state, at(3, available), t0)
    expect(changed.views).toBe(1)
    expect(withWatchers(state, annAddress)).toEqual([permissionsKey(noNote)])
    expect(state.byPresentity.get(annAddress)!.size).toBe(1)
    // So does a policy refresh, before it regroups the watchers.
    leave(state, b, annAddress)
    joinAll(state, [{ sink: a, permissions: everything }], at(3, available))
    const refreshed = refresh(
      state,
      { change: at(4, available), permissionsOf: () => everything },
      t0,
    )
    expect(refreshed.views).toBe(1)
    expect(state.byPresentity.get(annAddress)!.size).toBe(1)
    expect(state.resting.size).toBe(0)
  })

  it(`keeps at most ${maxResting} resting groups, dropping the oldest first`, () => {
    const state = emptyFanOutState<TestSink>()
    const a = sinkOf('a@acme.example')
    const profileOf = (n: number): Profile => ({ ...ann, address: `p${n}@acme.example` })
    for (let n = 0; n <= maxResting; n++) {
      joinAll(state, [{ sink: a, permissions: everything }], at(1, available, profileOf(n)))
      leave(state, a, profileOf(n).address)
    }
    expect(state.resting.size).toBe(maxResting)
    expect(state.byPresentity.has(profileOf(0).address)).toBe(false)
    expect(state.byPresentity.has(profileOf(1).address)).toBe(true)
    expect(state.byPresentity.size).toBe(maxResting)
  })

  it('groups watchers by permissions and computes one view per group', () => {
    const state = emptyFanOutState<TestSink>()
    const [a, b, c] = [sinkOf('a@acme.example'), sinkOf('b@acme.example'), sinkOf('c@acme.example')]
    joinAll(
      state,
      [
        { sink: a, permissions: everything },
        { sink: b, permissions: { ...everything } },
        { sink: c, permissions: noNote },
      ],
      at(1, aggregateAt([])),
    )
    expect(state.byPresentity.get(annAddress)?.size).toBe(2)
    const out = fanOut(state, at(2, available), t0)
    expect(out.views).toBe(2)
    expect(out.notifications).toBe(3)
    // One delivery per group: the group's own set of sinks, with one string shared by all of them.
    expect(out.deliveries).toHaveLength(2)
    const got = received(out)
    expect(got.get(a)![0]).toBe(got.get(b)![0])
    expect(got.get(a)![0]).toContain('in Lund today')
    expect(got.get(c)![0]).not.toContain('in Lund today')
  })

  it('sends nothing when a change leaves a group view as it was', () => {
    const state = emptyFanOutState<TestSink>()
    joinAll(
      state,
      [{ sink: sinkOf('a@acme.example'), permissions: noNote }],
      at(1, aggregateAt([])),
    )
    fanOut(state, at(2, available), t0)
    // Only the note changed, which this group does not see.
    const out = fanOut(state, at(3, aggregateAt([device()])), t0)
    expect(out.views).toBe(1)
    expect(out.deliveries).toEqual([])
    expect(out.notifications).toBe(0)
  })

  it('on a policy change: the blocked are unwatched, the newly allowed get a snapshot, the changed a change', () => {
    const state = emptyFanOutState<TestSink>()
    const [gone, allowed, narrowed, same] = ['g', 'a', 'n', 's'].map((n) =>
      sinkOf(`${n}@acme.example`),
    ) as [TestSink, TestSink, TestSink, TestSink]
    joinAll(
      state,
      [
        { sink: gone, permissions: everything },
        { sink: allowed, permissions: politeBlock },
        { sink: narrowed, permissions: everything },
        { sink: same, permissions: everything },
      ],
      at(1, available),
    )
    const after: ReadonlyMap<string, Permissions> = new Map([
      [gone.watcher.address, block],
      [allowed.watcher.address, everything],
      [narrowed.watcher.address, noNote],
      [same.watcher.address, everything],
    ])
    const change = at(2, available)
    const out = refresh(state, { change, permissionsOf: (w) => after.get(w.address)! }, t0)
    const got = received(out)
    expect(got.get(gone)).toEqual([unwatchedMessage(annAddress)])
    expect(got.get(allowed)).toEqual([
      snapshotMessage(annAddress, 2, ownJson(change.entry, everything, t0), false),
    ])
    expect(got.get(narrowed)).toEqual([
      changeMessage(annAddress, 2, ownJson(change.entry, noNote, t0)),
    ])
    expect(got.get(narrowed)![0]).not.toContain('in Lund today')
    expect(got.has(same)).toBe(false)
    // Views only under the permissions in force now: one per group after the change (everything, noNote).
    expect(out.views).toBe(2)
    expect(liveWatches(state)).toBe(3)
    expect(state.bySink.get(gone)?.length ?? 0).toBe(0)
  })
})

/**
 * One step of a run: a presence change, a policy change giving each watcher permissions from the
 * pool, a watcher leaving, or one that left joining again (its group may be resting).
 */
type Step =
  | { readonly kind: 'presence'; readonly presence: Presence; readonly now: number }
  | { readonly kind: 'policy'; readonly assign: readonly number[]; readonly now: number }
  | { readonly kind: 'leave' | 'rejoin'; readonly watcher: number }

type WatcherStep = Extract<Step, { readonly watcher: number }>
type ChangeStep = Exclude<Step, WatcherStep>
const isWatcherStep = (step: Step): step is WatcherStep =>
  step.kind === 'leave' || step.kind === 'rejoin'

interface Watcher {
  readonly sink: TestSink
  permissions: Permissions
  live: boolean
  last: string
}

const stepArb = (watchers: number, pool: number): fc.Arbitrary<Step> =>
  fc.oneof(
    fc.record({
      kind: fc.constant('presence' as const),
      presence: presenceArb(t0),
      now: weekMomentArb,
    }),
    fc.record({
      kind: fc.constant('policy' as const),
      assign: fc.array(fc.nat(pool - 1), { minLength: watchers, maxLength: watchers }),
      now: weekMomentArb,
    }),
    fc.record({
      kind: fc.constantFrom('leave' as const, 'rejoin' as const),
      watcher: fc.nat(watchers - 1),
    }),
  )

const runArb = fc
  .record({
    pool: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: permissionsArb },
        { weight: 1, arbitrary: fc.constant(block) },
      ),
      { minLength: 1, maxLength: 4 },
    ),
    watchers: fc.integer({ min: 1, max: 8 }),
    profile: profileArb,
    first: presenceArb(t0),
  })
  .chain((r) =>
    fc.record({
      run: fc.constant(r),
      initial: fc.array(fc.nat(r.pool.length - 1), {
        minLength: r.watchers,
        maxLength: r.watchers,
      }),
      steps: fc.array(stepArb(r.watchers, r.pool.length), { maxLength: 10 }),
    }),
  )

/** What one watcher alone should be sent for `step`, from its own view and what it had. */
const expectedFor = (
  w: Watcher,
  next: Permissions,
  args: { entry: HistoryEntry; policy: boolean; now: number },
): string[] => {
  const { entry, policy, now } = args
  if (policy && next.subscription === 'block') return [unwatchedMessage(entry.profile.address)]
  const json = ownJson(entry, next, now)
  const moved = policy && permissionsKey(next) !== permissionsKey(w.permissions)
  if (moved && w.permissions.subscription !== 'allow' && next.subscription === 'allow') {
    return [snapshotMessage(entry.profile.address, entry.seq, json, false)]
  }
  return json === w.last ? [] : [changeMessage(entry.profile.address, entry.seq, json)]
}

describe('the fan-out state, for any watchers, permissions and changes', () => {
  it('sends each watcher exactly the message computed for it alone under its own permissions', () => {
    fc.assert(
      fc.property(runArb, ({ run, initial, steps }) => {
        const state = emptyFanOutState<TestSink>()
        const first = at(1, run.first, run.profile)
        const watchers: Watcher[] = initial.map((i, n) => ({
          sink: sinkOf(`w${n}@acme.example`),
          permissions: run.pool[i]!,
          live: false,
          last: '',
        }))
        for (const w of watchers) {
          const out = join(
            state,
            {
              sink: w.sink,
              change: first,
              permissions: w.permissions,
              start: { kind: 'snapshot', at: 1, resync: false },
            },
            t0,
          )
          w.live = out.joined
          w.last = ownJson(first.entry, w.permissions, t0)
          if (w.live)
            expect(received(out).get(w.sink)).toEqual([
              snapshotMessage(annAddress, 1, w.last, false),
            ])
        }
        const indexOf = new Map(watchers.map((w, i) => [w.sink.watcher.address, i]))
        let seq = 1
        let current = first
        let lastNow = t0
        for (const step of steps) {
          if (isWatcherStep(step)) {
            const w = watchers[step.watcher]!
            if (step.kind === 'leave') {
              leave(state, w.sink, run.profile.address)
              w.live = false
              continue
            }
            if (w.live) continue
            // Joined again at the presence and the moment of the last change: the snapshot of its own view.
            const start = { kind: 'snapshot', at: current.entry.seq, resync: false } as const
            const out = join(
              state,
              { sink: w.sink, change: current, permissions: w.permissions, start },
              lastNow,
            )
            w.live = out.joined
            w.last = ownJson(current.entry, w.permissions, lastNow)
            const expected = w.live
              ? [snapshotMessage(run.profile.address, current.entry.seq, w.last, false)]
              : []
            expect(received(out).get(w.sink) ?? []).toEqual(expected)
            continue
          }
          // A presence or a policy change (a name of its own, narrowed, for the closures below).
          const move: ChangeStep = step
          lastNow = move.now
          const presence = move.kind === 'presence' ? move.presence : current.entry.presence
          const change = at(++seq, presence, run.profile)
          current = change
          const next = (i: number): Permissions =>
            move.kind === 'policy' ? run.pool[move.assign[i]!]! : watchers[i]!.permissions
          const permissionsOf = (p: { address: string }) => next(indexOf.get(p.address)!)
          const out =
            move.kind === 'presence'
              ? fanOut(state, change, move.now)
              : refresh(state, { change, permissionsOf }, move.now)
          const got = received(out)
          watchers.forEach((w, i) => {
            const permissions = next(i)
            const expected = w.live
              ? expectedFor(w, permissions, {
                  entry: change.entry,
                  policy: move.kind === 'policy',
                  now: move.now,
                })
              : []
            expect(got.get(w.sink) ?? []).toEqual(expected)
            if (!w.live) {
              // The permissions in force when it joins again.
              w.permissions = permissions
              return
            }
            if (permissions.subscription === 'block' && move.kind === 'policy') w.live = false
            w.permissions = permissions
            w.last = ownJson(change.entry, permissions, move.now)
          })
          const groups = new Set(
            watchers.filter((w) => w.live).map((w) => permissionsKey(w.permissions)),
          )
          expect(out.views).toBe(groups.size)
        }
      }),
      { numRuns: 200 },
    )
  })
})
