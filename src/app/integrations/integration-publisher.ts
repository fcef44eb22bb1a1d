// Applies batches of integration events to presence: idempotent by event id, ordered by `at` per
// source (integration-batch.ts decides), each activity a durable publication with a safety expiry.
// A batch is one read round and one transaction; presence changes only once it is stored. App layer.
import type { Clock } from '../../ports/clock.js'
import type { Integration, IntegrationStore } from '../../ports/integration-store.js'
import type { PresenceStore } from '../../ports/store.js'
import type { BatchPlan, IntegrationEvent, IntegrationEventResult } from './integration-batch.js'
import { planBatch, prepareBatch } from './integration-batch.js'
import { integrationSourceId } from './integration-rules.js'
import type { PresenceEngine } from '../presence/index.js'
import type { ProfileDirectory } from '../directory/index.js'

export class IntegrationPublisher {
  constructor(
    private readonly deps: {
      readonly store: IntegrationStore & PresenceStore
      readonly engine: PresenceEngine
      readonly profiles: ProfileDirectory
      readonly clock: Clock
    },
  ) {}

  /**
   * Applies a batch in order; expected refusals are results, not exceptions. A store error rejects
   * the whole batch and leaves presence as it was: nothing of it is applied.
   */
  async applyBatch(
    integration: Integration,
    events: readonly IntegrationEvent[],
  ): Promise<readonly IntegrationEventResult[]> {
    const prepared = prepareBatch(integration, events, this.deps.clock.now())
    const hasCandidates = prepared.keys.eventIds.length > 0
    const reads = hasCandidates
      ? await this.deps.store.readIntegrationBatch(prepared.keys)
      : { seenEventIds: [], users: [], sources: [] }
    const plan = planBatch(prepared, reads)
    if (plan.write === undefined) return plan.results
    await this.loadProfiles(plan)
    await this.deps.store.commitIntegrationBatch(plan.write)
    for (const effect of plan.effects) {
      if (effect.kind === 'publish')
        this.deps.engine.publish(effect.user.address, effect.publication)
      else this.deps.engine.retract(effect.user.address, effect.sourceId)
    }
    return plan.results
  }

  /** Views need the profile of everyone who gets an activity; loaded before anything is stored. */
  private async loadProfiles(plan: BatchPlan): Promise<void> {
    for (const effect of plan.effects) {
      if (effect.kind !== 'publish' || this.deps.profiles.get(effect.user.address)) continue
      await this.deps.profiles.refresh(effect.user)
    }
  }

  /** Ends the live activities of an integration (it was revoked). */
  async retractAll(integration: Integration): Promise<void> {
    for (const source of await this.deps.store.listIntegrationSources(integration.id)) {
      if (source.ended) continue
      const address =
        this.deps.profiles.addressOf(source.userId) ??
        (await this.deps.store.getUser(source.userId))?.address
      if (address === undefined) continue
      const sourceId = integrationSourceId(integration.id, source.sourceKey)
      await this.deps.store.deletePublication(source.userId, sourceId)
      this.deps.engine.retract(address, sourceId)
    }
  }
}
