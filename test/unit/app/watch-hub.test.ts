// The watch hub: one view computed and serialized per distinct permission set, no duplicate or
// no-op notifications, snapshots, resumption and resync.
import { describe, expect, it } from 'vitest'
import { InProcessChangeBus } from '../../../src/adapters/bus/in-process/in-process-bus.js'
import { FixedClock } from '../../../src/adapters/clock/fixed-clock.js'
import { PresenceEngine } from '../../../src/app/presence/presence-engine.js'
import type { AuditLog } from '../../../src/app/policy/index.js'
import { PolicyDirectory } from '../../../src/app/policy/policy-directory.js'
import type { WatcherSink } from '../../../src/app/watching/watch-hub.js'
import { WatchHub } from '../../../src/app/watching/watch-hub.js'
import type { Profile, Publication } from '../../../src/core/model/presence-model.js'
import { everything } from '../../../src/core/policy/evaluate-policy.js'
import type { Permissions } from '../../../src/core/policy/permissions.js'

const profiles: Record<string, Profile> = {
  'ann@acme.example': {
    address: 'ann@acme.example',
    organizationId: 'acme',
    displayName: 'Ann',
    timeZone: 'UTC',
    contactMethods: [
      { id: '1', kind: 'im', address: 'ann@acme.example', rank: 1, scope: 'work' },
      { id: '2', kind: 'phone', address: '+4670000', rank: 2, scope: 'personal' },
    ],
  },
}

const setup = (audit?: AuditLog) => {
  const clock = new FixedClock()
  const bus = new InProcessChangeBus()
  const engine = new PresenceEngine({
    clock,
    bus,
    idleAfterMs: 10 ** 9,
    profileOf: (a) => profiles[a],
  })
  let views = 0
  const policies = new PolicyDirectory()
  const hub = new WatchHub({
    engine,
    bus,
    clock,
    policies,
    onDelivered: (_n, v) => (views += v),
    ...(audit ? { audit } : {}),
  })
  const publish = (availability: 'available' | 'busy', note?: string) =>
    engine.publish('ann@acme.example', {
      source: { id: 'laptop', kind: 'device' },
      state: { availability, ...(note ? { note: { text: note } } : {}) },
      publishedAt: clock.now(),
      expiresAt: clock.now() + 600_000,
    } satisfies Publication)
  return { clock, engine, hub, policies, publish, views: () => views }
}

const sink = (address: string, organizationId = 'acme') => {
  const received: { message: string; parsed: Record<string, unknown> }[] = []
  const value: WatcherSink & { received: typeof received } = {
    watcher: { address, organizationId },
    received,
    send: (message) =>
      received.push({ message, parsed: JSON.parse(message) as Record<string, unknown> }),
  }
  return value
}

/** An audit log that only keeps the disclosures it is told of. */
const disclosures = () => {
  const told: [string, string, string, readonly string[]][] = []
  const audit = {
    disclosure: (
      organizationId: string,
      watcher: string,
      subject: string,
      details: readonly string[],
    ) => told.push([organizationId, watcher, subject, details]),
  } as unknown as AuditLog
  return { audit, told }
}

describe('WatchHub', () => {
  it('audits what a joining watcher is shown, from a snapshot or a resume, but not the owner', () => {
    const { audit, told } = disclosures()
    const { hub, publish, engine } = setup(audit)
    publish('available')
    const owner = sink('ann@acme.example')
    const colleague = sink('bob@acme.example')
    hub.watch(owner, 'ann@acme.example')
    hub.watch(colleague, 'ann@acme.example')
    expect(owner.received).toHaveLength(1)
    expect(colleague.received[0]!.parsed).toMatchObject({ type: 'snapshot' })
    expect(told).toEqual([['acme', 'bob@acme.example', 'ann@acme.example', expect.any(Array)]])
    expect(told[0]![3].length).toBeGreaterThan(0)
    // A resume is audited the same way (the audit log itself leaves out what it recorded already).
    hub.detach(colleague)
    const cursor = engine.cursor
    for (let i = 0; i < 3; i++) publish(i % 2 === 0 ? 'busy' : 'available')
    const again = sink('bob@acme.example')
    hub.watch(again, 'ann@acme.example', { kind: 'resume', cursor })
    expect(again.received.length).toBeGreaterThan(0)
    expect(told).toHaveLength(2)
    expect(told[1]).toEqual(['acme', 'bob@acme.example', 'ann@acme.example', told[0]![3]])
  })

  it('watchers with the same permissions share one computed, serialized view per change', () => {
    const { hub, publish, views } = setup()
    const watchers = Array.from({ length: 50 }, (_, i) => sink(`w${i}@acme.example`))
    for (const w of watchers) hub.watch(w, 'ann@acme.example')
    publish('available')
    expect(views()).toBe(1)
    const messages = watchers.map((w) => w.received[1]!.message)
    expect(new Set(messages).size).toBe(1)
    expect(watchers[0]!.received[1]!.parsed).toMatchObject({
      type: 'change',
      view: { availability: 'available' },
    })
  })

  it('the owner and colleagues are different views: the owner sees personal contact methods', () => {
    const { hub, publish, views } = setup()
    const owner = sink('ann@acme.example')
    const colleague = sink('bob@acme.example')
    hub.watch(owner, 'ann@acme.example')
    hub.watch(colleague, 'ann@acme.example')
    publish('available')
    expect(views()).toBe(2)
    expect(owner.received[1]!.message).toContain('+4670000')
    expect(colleague.received[1]!.message).not.toContain('+4670000')
  })

  it('takes permissions decided by the caller only while nothing they were decided on changed', () => {
    const { hub, policies, publish } = setup()
    publish('available', 'in Lund')
    const profile = profiles['ann@acme.example']!
    const withoutNote = { ...everything, note: false }
    const decided = { permissions: withoutNote, profile, revision: policies.revision }
    // Unchanged since: the caller's decision is the one applied (no note).
    const first = sink('bob@acme.example')
    hub.watch(first, 'ann@acme.example', { kind: 'snapshot' }, decided)
    expect(first.received[0]!.parsed['view']).not.toHaveProperty('note')
    // Another profile object (a changed contact method) is not the one decided with.
    const other = sink('cy@acme.example')
    const stale = { ...decided, profile: { ...profile }, revision: policies.revision }
    hub.watch(other, 'ann@acme.example', { kind: 'snapshot' }, stale)
    expect(other.received[0]!.parsed['view']).toHaveProperty('note')
    // Ann blocks Bob in between (a colleague's block reads as polite): the hub decides again.
    policies.setSettings('ann@acme.example', {
      rules: [
        {
          id: 'no-bob',
          conditions: { addresses: ['bob@acme.example'] },
          subscription: 'block',
          grant: {},
        },
      ],
    })
    const blocked = sink('bob@acme.example')
    hub.watch(blocked, 'ann@acme.example', { kind: 'snapshot' }, decided)
    expect(blocked.received[0]!.parsed['view']).toMatchObject({ availability: 'offline' })
    expect(blocked.received[0]!.parsed['view']).not.toHaveProperty('note')
  })

  it('a change that leaves the view as it was sends nothing', () => {
    const { hub, publish } = setup()
    const w = sink('bob@acme.example')
    hub.watch(w, 'ann@acme.example')
    publish('available')
    publish('available')
    hub.refresh('ann@acme.example')
    expect(w.received.map((r) => r.parsed['type'])).toEqual(['snapshot', 'change'])
  })

  it('resuming from a cursor sends only the changes after it, in order', () => {
    const { hub, publish } = setup()
    publish('available')
    const first = sink('bob@acme.example')
    hub.watch(first, 'ann@acme.example')
    const cursor = first.received[0]!.parsed['seq'] as number
    hub.detach(first)
    publish('busy')
    publish('busy', 'lunch')
    const again = sink('bob@acme.example')
    hub.watch(again, 'ann@acme.example', { kind: 'resume', cursor })
    expect(again.received.map((r) => r.parsed['type'])).toEqual(['change', 'change'])
    expect(
      again.received.map((r) => (r.parsed['view'] as { availability: string }).availability),
    ).toEqual(['busy', 'busy'])
    const seqs = again.received.map((r) => r.parsed['seq'] as number)
    expect(seqs[0]!).toBeGreaterThan(cursor)
    expect(seqs[1]!).toBeGreaterThan(seqs[0]!)
  })

  it('a cursor older than the history gets a snapshot marked resync', () => {
    const { hub, publish } = setup()
    publish('available')
    const first = sink('bob@acme.example')
    hub.watch(first, 'ann@acme.example')
    const cursor = first.received[0]!.parsed['seq'] as number
    for (let i = 0; i < 12; i++) publish(i % 2 ? 'available' : 'busy', `n${i}`)
    const again = sink('bob@acme.example')
    hub.watch(again, 'ann@acme.example', { kind: 'resume', cursor })
    expect(again.received).toHaveLength(1)
    expect(again.received[0]!.parsed).toMatchObject({ type: 'snapshot', resync: true })
  })

  it('a watcher of another organization is never given a view beyond offline', () => {
    const { hub, publish } = setup()
    const outsider = sink('eve@other.example', 'other')
    expect(hub.watch(outsider, 'ann@acme.example')).toBe(false)
    publish('available', 'secret plans')
    expect(outsider.received).toEqual([])
  })

  it('after detach a watcher receives nothing', () => {
    const { hub, publish } = setup()
    const w = sink('bob@acme.example')
    hub.watch(w, 'ann@acme.example')
    hub.detach(w)
    publish('busy')
    expect(w.received).toHaveLength(1)
    expect(hub.liveWatches).toBe(0)
  })

  it('a connection that ended with a coalesced message still waiting gets a fresh snapshot on resume', () => {
    const { hub, publish } = setup()
    publish('available')
    const slow = { ...sink('bob@acme.example'), undelivered: () => ['ann@acme.example'] }
    hub.watch(slow, 'ann@acme.example')
    publish('busy')
    const cursor = Math.max(...slow.received.map((r) => r.parsed['seq'] as number))
    hub.detach(slow)
    const again = sink('bob@acme.example')
    hub.watch(again, 'ann@acme.example', { kind: 'resume', cursor })
    expect(again.received.map((r) => r.parsed)).toEqual([
      expect.objectContaining({ type: 'snapshot', resync: true }),
    ])
    // The mark is spent: a resume from the cursor of that snapshot gets nothing more.
    const latest = again.received[0]!.parsed['seq'] as number
    const third = sink('bob@acme.example')
    hub.watch(third, 'ann@acme.example', { kind: 'resume', cursor: latest })
    expect(third.received).toEqual([])
    // A cursor the hub never gave out is not resumable: a fresh snapshot, never silence.
    const fourth = sink('bob@acme.example')
    hub.watch(fourth, 'ann@acme.example', { kind: 'resume', cursor: Number.MAX_SAFE_INTEGER })
    expect(fourth.received.map((r) => r.parsed)).toEqual([
      expect.objectContaining({ type: 'snapshot', resync: true }),
    ])
  })

  it("a grant that ends as a contact method's hours end: one message, computed without the grant", () => {
    // Monday 09:00 UTC; Ann's chat is usable until 10:00, and Bob may see her note until 10:00 too.
    const clock = new FixedClock()
    const ends = clock.now() + 3_600_000
    const ann: Profile = {
      ...profiles['ann@acme.example']!,
      contactMethods: [
        {
          id: '1',
          kind: 'im',
          address: 'ann@acme.example',
          rank: 1,
          scope: 'work',
          hours: [{ days: ['mon'], start: '08:00', end: '10:00' }],
        },
      ],
    }
    const withoutNote: Permissions = { ...everything, note: false }
    const policies = {
      permissionsFor: (_w: unknown, _p: unknown, now: number) =>
        now < ends ? everything : withoutNote,
    } as unknown as PolicyDirectory
    const bus = new InProcessChangeBus()
    const engine = new PresenceEngine({
      clock,
      bus,
      idleAfterMs: 10 ** 9,
      profileOf: (a) => (a === ann.address ? ann : undefined),
    })
    let views = 0
    const hub = new WatchHub({ engine, bus, clock, policies, onDelivered: (_n, v) => (views += v) })
    engine.publish(ann.address, {
      source: { id: 'laptop', kind: 'device' },
      state: {
        availability: 'available',
        note: { text: 'in Lund today' },
        device: { capabilities: ['im'] },
      },
      publishedAt: clock.now(),
      expiresAt: clock.now() + 7_200_000,
    } satisfies Publication)
    const bobs = [sink('bob@acme.example'), sink('bob@acme.example')]
    for (const bob of bobs) hub.watch(bob, ann.address)
    expect(bobs[0]!.received[0]!.message).toContain('in Lund today')
    clock.advance(3_600_000)
    views = 0
    hub.refresh(ann.address)
    for (const bob of bobs) {
      expect(bob.received).toHaveLength(2)
      expect(bob.received[1]!.parsed).toMatchObject({ type: 'change' })
      expect(bob.received[1]!.message).not.toContain('in Lund today')
    }
    // One view for the one group the watchers are in now; none under the grant that ended.
    expect(views).toBe(1)
  })
})
