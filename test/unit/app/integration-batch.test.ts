// Deciding a batch of integration events in memory: the keys read before it, one write with only the
// last change of each source and publication, and every change to presence in event order; unit tests.
import { describe, expect, it } from 'vitest'
import type { IntegrationEvent } from '../../../src/app/integrations/integration-batch.js'
import { planBatch, prepareBatch } from '../../../src/app/integrations/integration-batch.js'
import type { Integration } from '../../../src/ports/integration-store.js'
import type { User } from '../../../src/ports/store.js'

const now = 1_700_000_000_000
const integration: Integration = {
  id: 'int1',
  organizationId: 'org1',
  name: 'pbx',
  kinds: ['phone'],
  createdAt: now,
}
const ann = { id: 'u1', organizationId: 'org1', address: 'ann@acme.example' } as User
const event = (id: string, fields: Partial<IntegrationEvent>): IntegrationEvent => ({
  id,
  person: ann.address,
  type: 'call',
  state: 'started',
  at: now,
  ...fields,
})
const noReads = { seenEventIds: [], users: [ann], sources: [] }

describe('planBatch', () => {
  it('reads only the keys of events that passed the checks without the store', () => {
    const prepared = prepareBatch(
      integration,
      [
        event('e1', { key: 'a' }),
        event('e2', { type: 'conference' }),
        event('e3', { person: 'Not An Address' }),
        event('e4', { person: 'ANN@acme.example', key: 'b' }),
      ],
      now,
    )
    expect(prepared.keys).toStrictEqual({
      integrationId: 'int1',
      eventIds: ['e1', 'e3', 'e4'],
      sources: [
        { address: ann.address, sourceKey: 'call:a' },
        { address: ann.address, sourceKey: 'call:b' },
      ],
    })
  })

  it('a source started and ended in one batch writes only its deletion, and presence gets both', () => {
    const events = [event('e1', { at: now - 10 }), event('e2', { state: 'ended' })]
    const plan = planBatch(prepareBatch(integration, events, now), noReads)
    const sourceId = 'integration:int1:call:default'
    expect(plan.effects.map((e) => e.kind)).toStrictEqual(['publish', 'retract'])
    expect(plan.write).toStrictEqual({
      integrationId: 'int1',
      seenAt: now,
      eventIds: ['e1', 'e2'],
      sources: [
        {
          integrationId: 'int1',
          userId: 'u1',
          sourceKey: 'call:default',
          lastAt: now,
          ended: true,
          updatedAt: now,
        },
      ],
      publications: { put: [], delete: [{ userId: 'u1', sourceId }] },
    })
  })

  it('a batch with nothing applied writes nothing', () => {
    const events = [event('e1', {}), event('e2', { person: 'nobody@acme.example' })]
    const plan = planBatch(prepareBatch(integration, events, now), {
      ...noReads,
      seenEventIds: ['e1'],
    })
    expect(plan.results.map((r) => r.result)).toStrictEqual(['duplicate', 'rejected'])
    expect(plan.write).toBeUndefined()
    expect(plan.effects).toStrictEqual([])
  })

  it('a person of another organization is not found', () => {
    const other = { ...ann, organizationId: 'org2' }
    const plan = planBatch(prepareBatch(integration, [event('e1', {})], now), {
      ...noReads,
      users: [other],
    })
    expect(plan.results[0]).toMatchObject({ result: 'rejected', code: 'NRV_NOT_FOUND' })
  })
})
