// Integration sources: admins create, list, revoke and rotate integrations of their organization (each
// with its own `nri_` token, scoped to source kinds); integrations authenticate and send events, which
// the IntegrationPublisher applies; old event ids are pruned on a timer. App layer.
import { randomBytes } from 'node:crypto'
import { NarvaroError } from '../../core/errors.js'
import type { Clock, TimerHandle } from '../../ports/clock.js'
import type {
  Integration,
  IntegrationKind,
  IntegrationStore,
} from '../../ports/integration-store.js'
import type { PresenceStore, User } from '../../ports/store.js'
import type { AuditLog } from '../policy/index.js'
import { hashToken } from '../accounts/index.js'
import type { IntegrationEvent, IntegrationEventResult } from './integration-batch.js'
import { eventMemoryMs } from './integration-batch.js'
import { IntegrationPublisher } from './integration-publisher.js'
import { requireAdmin, requireInOrganization } from '../shared/index.js'
import type { PresenceEngine } from '../presence/index.js'
import type { ProfileDirectory } from '../directory/index.js'

export const integrationTokenPrefix = 'nri_'

const pruneEveryMs = 3_600_000
const touchEveryMs = 60_000

export interface IssuedIntegration {
  readonly integration: Integration
  /** `nri_<random>`: shown once, never stored or logged. */
  readonly token: string
}

const newToken = (): string => integrationTokenPrefix + randomBytes(32).toString('base64url')

export class IntegrationService {
  private readonly publisher: IntegrationPublisher
  /** Events of one integration are applied one at a time, in the order they came. */
  private readonly queues = new Map<string, Promise<unknown>>()
  private readonly touched = new Map<string, number>()
  private pruneTimer: TimerHandle | undefined

  constructor(
    private readonly deps: {
      readonly store: IntegrationStore & PresenceStore
      readonly engine: PresenceEngine
      readonly profiles: ProfileDirectory
      readonly clock: Clock
      readonly audit: AuditLog
      readonly onError: (error: unknown) => void
    },
  ) {
    this.publisher = new IntegrationPublisher(deps)
  }

  /** An integration of the actor's organization; others do not exist for the actor. */
  private async owned(actor: User, id: string): Promise<Integration> {
    requireAdmin(actor, 'manage integrations')
    const integration = await this.deps.store.getIntegration(id)
    return requireInOrganization(actor, integration, { kind: 'integration', id })
  }

  /** Records an admin action on an integration (never its token). */
  private audit(actor: User, action: string, integration: Integration): void {
    this.deps.audit.action('admin', {
      organizationId: actor.organizationId,
      actor: actor.address,
      action,
      data: { integrationId: integration.id, name: integration.name, kinds: integration.kinds },
    })
  }

  async create(
    actor: User,
    input: { name: string; kinds: readonly IntegrationKind[] },
  ): Promise<IssuedIntegration> {
    requireAdmin(actor, 'manage integrations')
    const token = newToken()
    const integration = await this.deps.store.createIntegration({
      organizationId: actor.organizationId,
      name: input.name,
      kinds: [...new Set(input.kinds)],
      tokenHash: hashToken(token),
      createdAt: this.deps.clock.now(),
    })
    this.audit(actor, 'integration.created', integration)
    return { integration, token }
  }

  async list(actor: User): Promise<readonly Integration[]> {
    requireAdmin(actor, 'manage integrations')
    return this.deps.store.listIntegrations(actor.organizationId)
  }

  /** Revokes the token at once and ends every activity the integration set. */
  async revoke(actor: User, id: string): Promise<Integration> {
    const integration = await this.owned(actor, id)
    if (integration.revokedAt !== undefined) return integration
    const revoked = await this.deps.store.updateIntegration(id, {
      revokedAt: this.deps.clock.now(),
    })
    await this.serially(id, () => this.publisher.retractAll(integration))
    this.audit(actor, 'integration.revoked', integration)
    return revoked ?? integration
  }

  /** A new token; the old one stops working at once. */
  async rotate(actor: User, id: string): Promise<IssuedIntegration> {
    const integration = await this.owned(actor, id)
    if (integration.revokedAt !== undefined) {
      throw new NarvaroError('NRV_FORBIDDEN', 'a revoked integration cannot get a new token')
    }
    const token = newToken()
    const updated = await this.deps.store.updateIntegration(id, { tokenHash: hashToken(token) })
    this.audit(actor, 'integration.rotated', integration)
    return { integration: updated ?? integration, token }
  }

  /** Resolves an integration token, or throws `NRV_UNAUTHENTICATED`. */
  async authenticate(secret: string | undefined): Promise<Integration> {
    if (!secret?.startsWith(integrationTokenPrefix) || secret.length > 200) {
      throw new NarvaroError('NRV_UNAUTHENTICATED', 'a valid integration token is required')
    }
    const integration = await this.deps.store.findIntegrationByToken(hashToken(secret))
    if (!integration) {
      throw new NarvaroError('NRV_UNAUTHENTICATED', 'the integration token is unknown or revoked')
    }
    const now = this.deps.clock.now()
    if (now - (this.touched.get(integration.id) ?? 0) > touchEveryMs) {
      this.touched.set(integration.id, now)
      await this.deps.store.updateIntegration(integration.id, { lastUsedAt: now })
    }
    return integration
  }

  /** Applies a batch of events in order, all or nothing; each gets its own result. */
  events(
    integration: Integration,
    events: readonly IntegrationEvent[],
  ): Promise<readonly IntegrationEventResult[]> {
    return this.serially(integration.id, async () => {
      // A batch that waited behind a revocation must not bring the integration's activities back.
      if ((await this.deps.store.getIntegration(integration.id))?.revokedAt !== undefined) {
        throw new NarvaroError('NRV_UNAUTHENTICATED', 'the integration token is unknown or revoked')
      }
      return this.publisher.applyBatch(integration, events)
    })
  }

  private serially<T>(integrationId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(integrationId) ?? Promise.resolve()
    const next = previous.then(work)
    const settled = next.catch(() => undefined)
    this.queues.set(integrationId, settled)
    void settled.then(() => {
      if (this.queues.get(integrationId) === settled) this.queues.delete(integrationId)
    })
    return next
  }

  /** Forgets event ids and ordering state older than a day now, and then every hour. */
  startPruning(): void {
    const prune = () => {
      const now = this.deps.clock.now()
      this.deps.store.pruneIntegrationState(now - eventMemoryMs, now).catch(this.deps.onError)
      this.pruneTimer = this.deps.clock.setTimer(pruneEveryMs, prune)
    }
    prune()
  }

  stop(): void {
    this.pruneTimer?.cancel()
    this.pruneTimer = undefined
  }
}
