// The privacy property of live watching, on a cluster: two nodes of the real services share one store
// and a real Redis change channel; Amy publishes and changes her rule for Bob on one node while Bob
// watches her on the other. Every message Bob receives carries only what the permissions in force on
// his node allow when it is sent, a Bob who becomes blocked receives nothing more, and his last view
// is the one Amy's own node computes for him now (fast-check over random interleavings).
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { createClient } from 'redis'
import { afterAll, describe, expect, it } from 'vitest'
import { ClusterChangeBus } from '../../src/adapters/bus/redis/cluster-change-bus.js'
import { RedisChangeBus } from '../../src/adapters/bus/redis/redis-change-bus.js'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import { openSqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js'
import { createServices, stopServices, type NarvaroServices } from '../../src/app/services.js'
import { noPasswordHash } from '../../src/app/shared/no-password.js'
import type { WatcherSink } from '../../src/app/watching/watch-hub.js'
import { connectionBound } from '../../src/core/aggregation/presentity.js'
import type { Publication } from '../../src/core/model/presence-model.js'
import { computeView, type View } from '../../src/core/policy/compute-view.js'
import type { Permissions } from '../../src/core/policy/permissions.js'
import type { NarvaroStore } from '../../src/ports/narvaro-store.js'
import { defaultConfig } from '../../src/server/config.js'
import { permissionsArb, publicationArb } from '../support/arbitraries.js'
import { checkReceived, grantOf, type ReceivedView } from '../support/privacy-checks.js'
import { t0 } from '../support/publications.js'

const redisUrl = process.env['NARVARO_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379'
const streams: string[] = []
afterAll(async () => {
  const client = createClient({ url: redisUrl })
  await client.connect()
  for (const stream of streams) await client.del([stream, `${stream}:seq`])
  await client.close()
})

type Step =
  | { readonly kind: 'publish'; readonly publication: Publication }
  | { readonly kind: 'rule'; readonly permissions: Permissions }
  | { readonly kind: 'time'; readonly ms: number }

const rulePermissionsArb = permissionsArb.map((p) => ({
  ...p,
  appearOffline: false,
  offWork: false,
  contactMethodIds: [],
}))

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  publicationArb(t0).map((publication) => ({ kind: 'publish' as const, publication })),
  rulePermissionsArb.map((permissions) => ({ kind: 'rule' as const, permissions })),
  fc.integer({ min: 1, max: 3_600_000 }).map((ms) => ({ kind: 'time' as const, ms })),
)

/** A node: the real services on the shared store, with a change channel through Redis. */
const startNode = async (store: NarvaroStore, clock: FixedClock, stream: string, node: string) => {
  const errors: unknown[] = []
  const onError = (e: unknown) => errors.push(e)
  const remote = await RedisChangeBus.open({ url: redisUrl, stream, onError })
  const bus = new ClusterChangeBus(remote, node, onError)
  const services = createServices({
    store,
    bus,
    clock,
    settings: defaultConfig,
    onError,
    cluster: { node, epoch: 'test' },
  })
  return { services, bus, errors }
}

const person = async (store: NarvaroStore, organizationId: string, name: string) =>
  store.createUser({
    organizationId,
    address: `${name}@acme.example`,
    displayName: name,
    role: 'member',
    timeZone: 'UTC',
    passwordHash: noPasswordHash,
    createdAt: t0,
  })

const startCluster = async () => {
  const store = await openSqliteStore({ file: ':memory:' })
  await store.migrate()
  const clock = new FixedClock(t0)
  const stream = `narvaro-test:${randomBytes(6).toString('hex')}`
  streams.push(stream)
  const a = await startNode(store, clock, stream, 'node-a')
  const b = await startNode(store, clock, stream, 'node-b')
  const organization = await store.createOrganization({
    domain: 'acme.example',
    name: 'Acme',
    createdAt: t0,
  })
  const amy = await person(store, organization.id, 'amy')
  const bob = await person(store, organization.id, 'bob')
  for (const { services } of [a, b]) {
    await services.profiles.refresh(amy)
    await services.profiles.refresh(bob)
  }
  /** Waits until everything published so far went through Redis and reached both nodes. */
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await Promise.all([a.bus.delivered(), b.bus.delivered()])
      for (let j = 0; j < 5; j += 1) await new Promise((resolve) => setImmediate(resolve))
    }
  }
  const stop = async () => {
    for (const { services, bus } of [a, b]) {
      await stopServices(services)
      await bus.close()
    }
    await store.close()
  }
  return { a, b, amy, bob, clock, settle, stop }
}

const permissionsOf = (
  services: NarvaroServices,
  watcher: { address: string; organizationId: string },
  at: number,
) => services.policies.permissionsFor(watcher, services.profiles.get('amy@acme.example')!, at)

const run = async (initial: Permissions, steps: readonly Step[]) => {
  const { a, b, amy, bob, clock, settle, stop } = await startCluster()
  const setRule = (permissions: Permissions) =>
    a.services.privacy.setPrivacy(amy, {
      rules: [
        {
          id: 'bob',
          conditions: { addresses: [bob.address] },
          subscription: permissions.subscription,
          grant: grantOf(permissions),
        },
      ],
    })
  a.services.engine.publish(amy.address, {
    source: { id: 'desk', kind: 'device' },
    state: { availability: 'available', device: { capabilities: ['im'] } },
    publishedAt: t0,
    expiresAt: connectionBound,
  })
  const watcher = { address: bob.address, organizationId: bob.organizationId }
  /**
   * Waits until Bob's node decides as Amy's does: `settle` waits for each node's own events, not for
   * the other node to have read them, which under load can come later.
   */
  const caughtUp = async (party: typeof watcher) => {
    for (let i = 0; i < 200; i++) {
      await settle()
      const now = clock.now()
      const same =
        JSON.stringify(permissionsOf(a.services, party, now)) ===
          JSON.stringify(permissionsOf(b.services, party, now)) &&
        JSON.stringify(a.services.engine.snapshot(amy.address)?.presence) ===
          JSON.stringify(b.services.engine.snapshot(amy.address)?.presence)
      if (same) return
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
  await setRule(initial)
  await caughtUp(watcher)
  const received: ReceivedView[] = []
  const sink: WatcherSink = {
    watcher,
    send: (message) => {
      const parsed = JSON.parse(message) as { type: string; view?: View }
      const permissions = permissionsOf(b.services, watcher, clock.now())
      received.push({
        type: parsed.type,
        ...(parsed.view ? { view: parsed.view } : {}),
        permissions,
      })
    },
  }
  try {
    if (!b.services.hub.watch(sink, amy.address)) {
      expect(permissionsOf(a.services, watcher, clock.now()).subscription).toBe('block')
      return
    }
    for (const step of steps) {
      if (step.kind === 'publish') a.services.engine.publish(amy.address, step.publication)
      else if (step.kind === 'rule') await setRule(step.permissions)
      else clock.advance(step.ms)
      await settle()
    }
    await caughtUp(watcher)
    // Amy's own node, which decided every change, computes the view Bob should have now.
    const snapshot = a.services.engine.snapshot(amy.address)!
    const now = clock.now()
    const permissions = permissionsOf(a.services, watcher, now)
    checkReceived(received, () => computeView({ ...snapshot, permissions, now }))
    // Both nodes derived the same presence (Bob's node may have numbered a refresh of its own).
    expect(b.services.engine.snapshot(amy.address)!.presence).toEqual(snapshot.presence)
  } finally {
    await stop()
    expect([...a.errors, ...b.errors]).toEqual([])
  }
}

describe('live watching across policy changes, on a cluster', () => {
  it('a watcher on another node receives only what the permissions in force allow', async () => {
    await fc.assert(
      fc.asyncProperty(rulePermissionsArb, fc.array(stepArb, { maxLength: 10 }), run),
      { numRuns: 300 },
    )
  }, 120_000)
})
