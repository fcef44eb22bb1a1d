// The PolicyStore contract for the audit log: batches, filters, order, limits and retention;
// contract tests, run from describePolicyStoreContract.
import { beforeEach, describe, expect, it } from 'vitest'
import type { AuditEvent, AuditQuery } from '../../src/ports/policy-store.js'
import type { Organization } from '../../src/ports/store.js'
import { disclosure } from './policy-store-fixtures.js'
import type { FullStore, PolicyFixture } from './policy-store-fixtures.js'
import { expectCode, hour, t0 } from './presence-store-fixtures.js'

/** `count` disclosures in Acme, one a millisecond from t0, alternating between two subjects. */
const manyDisclosures = (acme: Organization, count: number): readonly AuditEvent[] =>
  Array.from({ length: count }, (_, i) =>
    disclosure(acme, t0 + i, {
      actor: 'bob@acme.example',
      subject: i % 2 === 0 ? 'alice@acme.example' : 'eve@acme.example',
    }),
  )

/** The events as listed: newest first, each with its id. */
const asListed = (events: readonly AuditEvent[]) =>
  [...events].reverse().map((event) => ({ ...event, id: expect.any(String) }))

/** Registers its tests inside the caller's describe, after the caller's own beforeEach. */
export const describeAuditContract = (fixture: () => PolicyFixture): void => {
  let store: FullStore
  let acme: Organization
  let beta: Organization

  beforeEach(() => {
    ;({ store, acme, beta } = fixture())
  })

  const policyChange: () => AuditEvent = () => ({
    organizationId: acme.id,
    kind: 'policy-change',
    at: t0 + hour,
    actorAddress: 'admin@acme.example',
    data: { policy: { offWorkOutsideHours: false }, note: 'späť', list: [1, 'två', null] },
  })

  describe('audit log', () => {
    it('reads events back exactly, newest first, each with its own id', async () => {
      const first = disclosure(acme, t0, {
        actor: 'bob@acme.example',
        subject: 'alice@acme.example',
      })
      await store.appendAudit([first, policyChange()])
      const listed = await store.listAudit({ organizationId: acme.id })
      expect(listed).toStrictEqual(asListed([first, policyChange()]))
      expect(listed[0]).not.toHaveProperty('subjectAddress')
      expect(listed[0]?.id).not.toBe(listed[1]?.id)
    })

    it('appends an empty batch harmlessly, and keeps organizations apart', async () => {
      await store.appendAudit([])
      await store.appendAudit([disclosure(beta, t0, { actor: 'carol@beta.example' })])
      expect(await store.listAudit({ organizationId: acme.id })).toStrictEqual([])
      expect(await store.listAudit({ organizationId: beta.id })).toHaveLength(1)
      expect(await store.listAudit({ organizationId: 'missing' })).toStrictEqual([])
    })

    it('appends a batch of thousands, all or nothing', async () => {
      const events = manyDisclosures(acme, 3_000)
      const ghost = { ...policyChange(), organizationId: 'missing' }
      await expectCode(store.appendAudit([...events, ghost]), 'NRV_NOT_FOUND')
      expect(await store.listAudit({ organizationId: acme.id })).toStrictEqual([])
      await store.appendAudit(events)
      expect(await store.listAudit({ organizationId: acme.id, limit: 1 })).toStrictEqual(
        asListed(events.slice(-1)),
      )
      expect(await store.pruneAudit(Number.MAX_SAFE_INTEGER)).toBe(3_000)
    })

    it('filters by kinds, subject, actor and time, each alone and together', async () => {
      const events = manyDisclosures(acme, 6)
      const change = policyChange()
      await store.appendAudit([...events, change])
      const list = (query: Omit<AuditQuery, 'organizationId'>) =>
        store.listAudit({ organizationId: acme.id, ...query })
      expect(await list({ kinds: ['policy-change'] })).toStrictEqual(asListed([change]))
      expect(await list({ kinds: ['policy-change', 'disclosure'] })).toHaveLength(7)
      expect(await list({ kinds: ['rule-change'] })).toStrictEqual([])
      expect(await list({ kinds: [] })).toStrictEqual([])
      expect(await list({ subjectAddress: 'eve@acme.example' })).toStrictEqual(
        asListed([events[1]!, events[3]!, events[5]!]),
      )
      expect(await list({ actorAddress: 'admin@acme.example' })).toStrictEqual(asListed([change]))
      expect(await list({ since: t0 + 4 })).toStrictEqual(
        asListed([events[4]!, events[5]!, change]),
      )
      const together = {
        kinds: ['disclosure'] as const,
        subjectAddress: 'alice@acme.example',
        since: t0 + 1,
      }
      expect(await list({ ...together, actorAddress: 'bob@acme.example' })).toStrictEqual(
        asListed([events[2]!, events[4]!]),
      )
      expect(await list({ ...together, actorAddress: 'admin@acme.example' })).toStrictEqual([])
    })

    it('lists 100 events unless told otherwise, and never more than 1000', async () => {
      const events = manyDisclosures(acme, 1_100)
      await store.appendAudit(events)
      const list = (limit?: number) =>
        store.listAudit({ organizationId: acme.id, ...(limit === undefined ? {} : { limit }) })
      expect(await list()).toStrictEqual(asListed(events.slice(-100)))
      expect(await list(3)).toStrictEqual(asListed(events.slice(-3)))
      expect(await list(5_000)).toStrictEqual(asListed(events.slice(-1_000)))
      expect(await list(0)).toStrictEqual([])
    })

    it('prunes only events before the given time, in every organization, and counts them', async () => {
      const events = manyDisclosures(acme, 4)
      const betaEvent = disclosure(beta, t0, { actor: 'carol@beta.example' })
      await store.appendAudit([...events, betaEvent])
      expect(await store.pruneAudit(t0 + 2)).toBe(3)
      expect(await store.pruneAudit(t0 + 2)).toBe(0)
      expect(await store.listAudit({ organizationId: acme.id })).toStrictEqual(
        asListed(events.slice(2)),
      )
      expect(await store.listAudit({ organizationId: beta.id })).toStrictEqual([])
    })
  })
}
