// The IntegrationStore methods of the SQL stores (integrations, their batches of events, their
// source states), kept apart from the main store class by size; adapter layer.
import type {
  Integration,
  IntegrationBatchKeys,
  IntegrationBatchReads,
  IntegrationBatchWrite,
  IntegrationPatch,
  IntegrationSourceState,
  IntegrationStore,
  NewIntegration,
} from '../../../ports/integration-store.js'
import * as integrationBatches from './integration-batch-queries.js'
import * as integrations from './integration-queries.js'
import { KyselyWebhookStore } from './kysely-webhook-store.js'

/** The base of `KyselyScheduleStore`; `run` (which wraps driver errors) comes from a subclass. */
export abstract class KyselyIntegrationStore
  extends KyselyWebhookStore
  implements IntegrationStore
{
  createIntegration(input: NewIntegration): Promise<Integration> {
    return this.run('createIntegration', (db) => integrations.insertIntegration(db, input))
  }

  getIntegration(id: string): Promise<Integration | undefined> {
    return this.run('getIntegration', (db) => integrations.selectIntegration(db, { id }))
  }

  listIntegrations(organizationId: string): Promise<readonly Integration[]> {
    return this.run('listIntegrations', (db) => integrations.selectIntegrations(db, organizationId))
  }

  findIntegrationByToken(tokenHash: string): Promise<Integration | undefined> {
    return this.run('findIntegrationByToken', (db) =>
      integrations.selectIntegration(db, { tokenHash }),
    )
  }

  updateIntegration(id: string, patch: IntegrationPatch): Promise<Integration | undefined> {
    return this.run('updateIntegration', (db) => integrations.updateIntegration(db, id, patch))
  }

  listIntegrationSources(integrationId: string): Promise<readonly IntegrationSourceState[]> {
    return this.run('listIntegrationSources', (db) =>
      integrations.selectIntegrationSources(db, integrationId),
    )
  }

  readIntegrationBatch(keys: IntegrationBatchKeys): Promise<IntegrationBatchReads> {
    return this.run('readIntegrationBatch', (db) =>
      integrationBatches.readIntegrationBatch(db, keys),
    )
  }

  commitIntegrationBatch(write: IntegrationBatchWrite): Promise<void> {
    return this.run('commitIntegrationBatch', (db) =>
      integrationBatches.commitIntegrationBatch(db, write),
    )
  }

  pruneIntegrationState(before: number, now: number): Promise<number> {
    return this.run('pruneIntegrationState', (db) =>
      integrations.pruneIntegrationState(db, before, now),
    )
  }
}
