// The IntegrationStore contract: integrations per organization found by their live token only,
// patches, event ids and source states committed together, batches read in one round and written
// all or nothing, and pruning by age; contract tests.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Publication } from '../../src/core/model/presence-model.js'
import type {
  IntegrationBatchWrite,
  IntegrationSourceState,
  IntegrationStore,
  NewIntegration,
} from '../../src/ports/integration-store.js'
import type { Organization, PresenceStore, User } from '../../src/ports/store.js'
import { expectCode, hour, rejection, seedStore, t0 } from './presence-store-fixtures.js'

type Store = PresenceStore & IntegrationStore

export const describeIntegrationStoreContract = (
  name: string,
  open: () => Promise<Store>,
): void => {
  describe(`IntegrationStore contract: ${name}`, () => {
    let store: Store
    let acme: Organization
    let alice: User
    let bob: User
    const integration = (
      organization: Organization,
      tokenHash = 'a'.repeat(64),
    ): NewIntegration => ({
      organizationId: organization.id,
      name: 'phones',
      kinds: ['phone', 'conference'],
      tokenHash,
      createdAt: t0,
    })

    /** Alice's source `sourceKey` of integration `integrationId`, started at t0 unless told. */
    const sourceState = (
      integrationId: string,
      sourceKey: string,
      overrides: Partial<IntegrationSourceState> = {},
    ): IntegrationSourceState => ({
      integrationId,
      userId: alice.id,
      sourceKey,
      lastAt: t0,
      ended: false,
      updatedAt: t0,
      ...overrides,
    })
    /** What a batch reads of these event ids and of alice's sources with these keys. */
    const read = (integrationId: string, eventIds: string[], sourceKeys: string[] = []) =>
      store.readIntegrationBatch({
        integrationId,
        eventIds,
        sources: sourceKeys.map((sourceKey) => ({ address: alice.address, sourceKey })),
      })
    const seen = async (integrationId: string, eventId: string): Promise<boolean> =>
      (await read(integrationId, [eventId])).seenEventIds.includes(eventId)
    /** Commits one applied event as a batch of one: its id and the new state of its source. */
    const commitEvent = (eventId: string, seenAt: number, source: IntegrationSourceState) =>
      store.commitIntegrationBatch({
        integrationId: source.integrationId,
        seenAt,
        eventIds: [eventId],
        sources: [source],
        publications: { put: [], delete: [] },
      })

    beforeEach(async () => {
      ;({ store, acme, alice, bob } = await seedStore(await open()))
    })
    afterEach(() => store.close())

    it('creates integrations, lists them per organization and never returns the token hash', async () => {
      const other = await store.createOrganization({
        domain: 'other.example',
        name: 'O',
        createdAt: t0,
      })
      const a = await store.createIntegration(integration(acme))
      await store.createIntegration(integration(other, 'b'.repeat(64)))
      const { tokenHash: _hash, ...expected } = integration(acme)
      expect(a).toStrictEqual({ ...expected, id: expect.any(String) })
      expect(await store.getIntegration(a.id)).toStrictEqual(a)
      expect(await store.listIntegrations(acme.id)).toStrictEqual([a])
      expect(await store.getIntegration('missing')).toBeUndefined()
    })

    it('finds an integration by the hash of its current token, and not once revoked', async () => {
      const a = await store.createIntegration(integration(acme))
      expect(await store.findIntegrationByToken('a'.repeat(64))).toStrictEqual(a)
      await store.updateIntegration(a.id, { tokenHash: 'c'.repeat(64), lastUsedAt: t0 + 1 })
      expect(await store.findIntegrationByToken('a'.repeat(64))).toBeUndefined()
      expect(await store.findIntegrationByToken('c'.repeat(64))).toStrictEqual({
        ...a,
        lastUsedAt: t0 + 1,
      })
      const revoked = await store.updateIntegration(a.id, { revokedAt: t0 + 2 })
      expect(revoked).toStrictEqual({ ...a, lastUsedAt: t0 + 1, revokedAt: t0 + 2 })
      expect(await store.findIntegrationByToken('c'.repeat(64))).toBeUndefined()
      expect(await store.updateIntegration('missing', { revokedAt: t0 })).toBeUndefined()
    })

    it('rejects a second integration with the same token hash as a conflict', async () => {
      await store.createIntegration(integration(acme))
      await expectCode(store.createIntegration(integration(acme)), 'NRV_CONFLICT')
    })

    it('commits an event id with the state of its source, and replaces the state later', async () => {
      const a = await store.createIntegration(integration(acme))
      const key = { integrationId: a.id, userId: alice.id, sourceKey: 'call:default' }
      expect(await seen(a.id, 'e1')).toBe(false)
      expect((await read(a.id, [], [key.sourceKey])).sources).toStrictEqual([])
      const started = { ...key, lastAt: t0, ended: false, updatedAt: t0 + 5 }
      await commitEvent('e1', t0 + 5, started)
      expect(await seen(a.id, 'e1')).toBe(true)
      expect((await read(a.id, [], [key.sourceKey])).sources).toStrictEqual([started])
      const ended = { ...key, lastAt: t0 + 10, ended: true, updatedAt: t0 + 11 }
      await commitEvent('e2', t0 + 11, ended)
      // Committing the same event id again changes the state but is no error.
      await commitEvent('e2', t0 + 11, ended)
      expect((await read(a.id, [], [key.sourceKey])).sources).toStrictEqual([ended])
      expect(await store.listIntegrationSources(a.id)).toStrictEqual([ended])
    })

    const call = (id: string, expiresAt = t0 + hour): Publication => ({
      source: { id, kind: 'phone' },
      state: { activities: [{ kind: 'in-a-call' }] },
      publishedAt: t0,
      expiresAt,
    })
    const range = <T>(n: number, item: (i: number) => T): T[] =>
      Array.from({ length: n }, (_, i) => item(i))
    const sourceIdsOf = async (): Promise<string[]> =>
      (await store.listPublications(0)).map((p) => p.publication.source.id).sort()

    it('reads the seen event ids, the users by address and exactly the sources asked for, many at once', async () => {
      const a = await store.createIntegration(integration(acme))
      const state = (sourceKey: string) => sourceState(a.id, sourceKey)
      const keys = range(150, (i) => `call:${i}`)
      await store.commitIntegrationBatch({
        integrationId: a.id,
        seenAt: t0,
        eventIds: range(600, (i) => `e${i}`),
        sources: [...keys, 'call:other'].map(state),
        publications: { put: [], delete: [] },
      })
      const read = await store.readIntegrationBatch({
        integrationId: a.id,
        eventIds: [...range(700, (i) => `e${i + 300}`), 'e300'],
        sources: [
          ...keys.map((sourceKey) => ({ address: alice.address, sourceKey })),
          { address: bob.address, sourceKey: 'call:0' },
          { address: 'nobody@acme.example', sourceKey: 'call:0' },
        ],
      })
      expect([...read.seenEventIds].sort()).toStrictEqual(range(300, (i) => `e${i + 300}`).sort())
      expect([...read.users].sort((x, y) => x.address.localeCompare(y.address))).toStrictEqual([
        alice,
        bob,
      ])
      const sorted = [...read.sources].sort((x, y) => x.sourceKey.localeCompare(y.sourceKey))
      expect(sorted).toStrictEqual([...keys].sort().map(state))
    })

    it('commits a batch of event ids, source states and publications with many rows each', async () => {
      const a = await store.createIntegration(integration(acme))
      const ids = range(150, (i) => `integration:${a.id}:call:${i}`)
      const sources = range(150, (i) => sourceState(a.id, `call:${i}`, { lastAt: t0 + i }))
      const batch = (write: Partial<IntegrationBatchWrite>): IntegrationBatchWrite => ({
        integrationId: a.id,
        seenAt: t0,
        eventIds: [],
        sources: [],
        publications: { put: [], delete: [] },
        ...write,
      })
      await store.putPublication(alice.id, call('manual'))
      const put = ids.map((id) => ({ userId: alice.id, publication: call(id) }))
      await store.commitIntegrationBatch(
        batch({ eventIds: range(250, (i) => `e${i}`), sources, publications: { put, delete: [] } }),
      )
      expect(await seen(a.id, 'e249')).toBe(true)
      expect(await store.listIntegrationSources(a.id)).toHaveLength(150)
      expect(await sourceIdsOf()).toStrictEqual([...ids, 'manual'].sort())
      // A second batch replaces states and publications and deletes some; seen ids are no error.
      const ended = sources.map((s) => ({ ...s, lastAt: s.lastAt + 1, ended: true }))
      const deleted = ids.slice(0, 120).map((sourceId) => ({ userId: alice.id, sourceId }))
      const longer = { userId: alice.id, publication: call(ids[149]!, t0 + 2 * hour) }
      await store.commitIntegrationBatch(
        batch({
          eventIds: ['e0', 'e250'],
          sources: ended,
          publications: { put: [longer], delete: deleted },
        }),
      )
      expect(await seen(a.id, 'e250')).toBe(true)
      const states = await store.listIntegrationSources(a.id)
      expect(
        states.every((s) => s.ended && s.lastAt === t0 + Number(s.sourceKey.slice(5)) + 1),
      ).toBe(true)
      expect(await sourceIdsOf()).toStrictEqual([...ids.slice(120), 'manual'].sort())
      const last = (await store.listPublications(0)).find(
        (p) => p.publication.source.id === ids[149],
      )
      expect(last?.publication.expiresAt).toBe(t0 + 2 * hour)
    })

    it('writes nothing of a batch when one of its rows fails', async () => {
      const a = await store.createIntegration(integration(acme))
      const source = sourceState(a.id, 'call:1')
      await commitEvent('e1', t0, source)
      await store.putPublication(alice.id, call(`integration:${a.id}:call:1`))
      const error = await rejection(
        store.commitIntegrationBatch({
          integrationId: a.id,
          seenAt: t0 + 1,
          eventIds: ['e2', 'e3'],
          sources: [{ ...source, lastAt: t0 + 1, ended: true, updatedAt: t0 + 1 }],
          publications: {
            delete: [{ userId: alice.id, sourceId: `integration:${a.id}:call:1` }],
            put: [
              { userId: alice.id, publication: call(`integration:${a.id}:call:2`) },
              { userId: 'no-such-user', publication: call(`integration:${a.id}:call:3`) },
            ],
          },
        }),
      )
      expect(error).toBeInstanceOf(Error)
      expect(await seen(a.id, 'e2')).toBe(false)
      expect(await store.listIntegrationSources(a.id)).toStrictEqual([source])
      expect(await sourceIdsOf()).toStrictEqual([`integration:${a.id}:call:1`])
    })

    it('prunes old event ids and source states, and expired integration publications only', async () => {
      const a = await store.createIntegration(integration(acme))
      const source = (sourceKey: string, updatedAt: number) =>
        sourceState(a.id, sourceKey, { lastAt: updatedAt, updatedAt })
      await commitEvent('old', t0, source('call:1', t0))
      await commitEvent('new', t0 + 2 * hour, source('call:2', t0 + 2 * hour))
      const publication = (id: string, expiresAt: number) => ({
        source: { id, kind: 'phone' as const },
        state: { activities: [{ kind: 'in-a-call' as const }] },
        publishedAt: t0,
        expiresAt,
      })
      await store.putPublication(alice.id, publication(`integration:${a.id}:call:1`, t0 + hour))
      await store.putPublication(alice.id, publication(`integration:${a.id}:call:2`, t0 + 3 * hour))
      await store.putPublication(alice.id, {
        ...publication('manual', t0),
        source: { id: 'manual', kind: 'manual' },
      })
      expect(await store.pruneIntegrationState(t0 + hour, t0 + 2 * hour)).toBe(3)
      expect(await seen(a.id, 'old')).toBe(false)
      expect(await seen(a.id, 'new')).toBe(true)
      expect((await store.listIntegrationSources(a.id)).map((s) => s.sourceKey)).toStrictEqual([
        'call:2',
      ])
      const left = await store.listPublications(0)
      expect(left.map((p) => p.publication.source.id).sort()).toStrictEqual([
        `integration:${a.id}:call:2`,
        'manual',
      ])
    })

    it('forgets the sources of a person who is removed', async () => {
      const a = await store.createIntegration(integration(acme))
      const source = sourceState(a.id, 'call:default')
      await commitEvent('e1', t0, source)
      expect(await store.deleteUser(alice.id)).toBe(true)
      expect(await store.listIntegrationSources(a.id)).toStrictEqual([])
    })
  })
}
