// Webhooks out: a user's endpoints (create, change, rotate, delete, the delivery log), checked as any
// subscription; WebhookDeliveries delivers to them and never holds up the notification path. In a
// cluster each endpoint is delivered by one live node, its owner (rendezvous hashing). App layer.
import { NarvaroError } from '../../core/errors.js'
import { normalizeAddress } from '../../core/model/address.js'
import type { Party } from '../../core/policy/decide-permissions.js'
import type { ChangeBus } from '../../ports/bus.js'
import type { Clock } from '../../ports/clock.js'
import type { PresenceStore, User } from '../../ports/store.js'
import type {
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventType,
  WebhookPatch,
  WebhookStore,
} from '../../ports/webhook-store.js'
import type { PolicyDirectory } from '../policy/index.js'
import type { ProfileDirectory } from '../directory/index.js'
import type { WatchHub } from '../watching/index.js'
import type { WebhookPost, WebhookTuning } from './webhook-outbox.js'
import { WebhookDeliveries } from './webhook-deliveries.js'
import type { OutboundPolicy } from '../shared/index.js'
import { newWebhookSecret } from './webhook-signature.js'
import { isHiddenFrom, presentityNotFound } from '../../core/subscriptions/hidden-presentity.js'
import { ownerAmong } from '../presence/index.js'

/** Each endpoint costs a queue and a watch per address: a user has a few, not hundreds. */
export const maxEndpointsPerOwner = 25

/** How long the secret before a rotation keeps signing. */
export const rotationGraceMs = 24 * 3_600_000

export interface WebhookInput {
  readonly url: string
  readonly addresses: readonly string[]
  readonly events: readonly WebhookEventType[]
}

const notFound = (id: string): NarvaroError => new NarvaroError('NRV_NOT_FOUND', `no webhook ${id}`)

const checkUrl = (url: string): string => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new NarvaroError('NRV_VALIDATION', `not a URL: ${url}`, { details: { field: 'url' } })
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new NarvaroError('NRV_VALIDATION', 'a webhook URL is http: or https:', {
      details: { field: 'url' },
    })
  }
  return parsed.toString()
}

export class WebhookService {
  private readonly delivering: WebhookDeliveries
  /** In a cluster: the live nodes, which share the endpoints; none known before this node joins. */
  private liveNodes: readonly string[] = []
  /** Changes of the live nodes, applied one after the other. */
  private rebalancing: Promise<void> = Promise.resolve()

  constructor(
    private readonly deps: {
      readonly store: WebhookStore & PresenceStore
      readonly hub: WatchHub
      readonly profiles: ProfileDirectory
      readonly policies: PolicyDirectory
      readonly clock: Clock
      readonly onError: (error: unknown) => void
      readonly post?: WebhookPost
      /** Where deliveries may connect; anywhere by default. */
      readonly outbound?: OutboundPolicy
      /** In a cluster: each endpoint's owner node delivers it, and follows changes made on the others. */
      readonly cluster?: { readonly bus: ChangeBus; readonly node: string }
    },
  ) {
    this.delivering = new WebhookDeliveries(deps)
    const cluster = deps.cluster
    cluster?.bus.subscribe((event) => {
      if (event.type !== 'webhook-changed' || event.node === cluster.node) return
      this.follow(event.id).catch(deps.onError)
    })
  }

  /** Tells the other nodes of a cluster that endpoint `id` changed. */
  private announce(id: string): void {
    const cluster = this.deps.cluster
    if (!cluster) return
    const event = { type: 'webhook-changed', id, node: cluster.node } as const
    cluster.bus.publish(event).catch(this.deps.onError)
  }

  /** Delivers endpoint `id` as the store now has it (another node changed or deleted it). */
  private async follow(id: string): Promise<void> {
    await this.delivering.settled(id)
    const endpoint = await this.deps.store.getWebhook(id)
    this.delivering.detach(id)
    if (endpoint?.enabled) await this.attach(endpoint)
  }

  /** Whether this node delivers endpoint `id`: always alone, its owner among the live nodes in a cluster. */
  private owns(id: string): boolean {
    const cluster = this.deps.cluster
    return !cluster || ownerAmong(id, this.liveNodes) === cluster.node
  }

  /**
   * The live nodes of the cluster changed (one joined, left or died): this node starts delivering the
   * endpoints it now owns (their kept workflow messages first, presence afresh) and stops the others.
   */
  nodesChanged(nodes: readonly string[]): Promise<void> {
    this.liveNodes = nodes
    this.rebalancing = this.rebalancing.then(async () => {
      for (const endpoint of await this.deps.store.listWebhooks()) {
        const mine = endpoint.enabled && this.owns(endpoint.id)
        if (!mine) this.delivering.detach(endpoint.id)
        else if (!this.delivering.has(endpoint.id)) await this.attach(endpoint)
      }
    })
    this.rebalancing = this.rebalancing.catch(this.deps.onError)
    return this.rebalancing
  }

  /** A URL to deliver to: http(s), and a host the administrator allows (NARVARO_OUTBOUND_HOSTS). */
  private async allowedUrl(url: string): Promise<string> {
    const checked = checkUrl(url)
    await this.deps.outbound?.check(new URL(checked))
    return checked
  }

  /** Changes retry, timeout and disabling limits (operators and tests). */
  setTuning(tuning: Partial<WebhookTuning>): void {
    this.delivering.setTuning(tuning)
  }

  /** Attaches every enabled endpoint (at start); in a cluster, those it owns once it joined. */
  async start(): Promise<void> {
    if (this.deps.cluster) return
    for (const endpoint of await this.deps.store.listWebhooks()) {
      if (endpoint.enabled) await this.attach(endpoint)
    }
  }

  async create(owner: User, input: WebhookInput): Promise<WebhookEndpoint> {
    if ((await this.deps.store.listWebhooks(owner.id)).length >= maxEndpointsPerOwner) {
      throw new NarvaroError('NRV_FORBIDDEN', `at most ${maxEndpointsPerOwner} webhooks per user`)
    }
    const addresses = await this.checkAddresses(owner, input.addresses)
    const now = this.deps.clock.now()
    const endpoint = await this.deps.store.createWebhook({
      ownerId: owner.id,
      url: await this.allowedUrl(input.url),
      secret: newWebhookSecret(),
      addresses,
      events: [...new Set(input.events)],
      enabled: true,
      failureCount: 0,
      createdAt: now,
      updatedAt: now,
    })
    await this.attach(endpoint, owner)
    this.announce(endpoint.id)
    return endpoint
  }

  list(owner: User): Promise<readonly WebhookEndpoint[]> {
    return this.deps.store.listWebhooks(owner.id)
  }

  /** One endpoint of `owner`; someone else's is `NRV_NOT_FOUND`. */
  async get(owner: User, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.deps.store.getWebhook(id)
    if (!endpoint || endpoint.ownerId !== owner.id) throw notFound(id)
    return endpoint
  }

  async update(
    owner: User,
    id: string,
    patch: Partial<WebhookInput> & { enabled?: boolean },
  ): Promise<WebhookEndpoint> {
    await this.get(owner, id)
    const changes: WebhookPatch = {
      ...(patch.url === undefined ? {} : { url: await this.allowedUrl(patch.url) }),
      ...(patch.addresses === undefined
        ? {}
        : { addresses: await this.checkAddresses(owner, patch.addresses) }),
      ...(patch.events === undefined ? {} : { events: [...new Set(patch.events)] }),
      ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
      ...(patch.enabled === false ? { disabledReason: 'disabled by its owner' } : {}),
      ...(patch.enabled === true
        ? { failureCount: 0, clear: ['disabledReason', 'firstFailureAt'] as const }
        : {}),
      updatedAt: this.deps.clock.now(),
    }
    await this.delivering.settled(id)
    const updated = await this.deps.store.updateWebhook(id, changes)
    if (!updated) throw notFound(id)
    this.delivering.detach(id)
    if (updated.enabled) await this.attach(updated, owner)
    this.announce(id)
    return updated
  }

  /** A new secret; the previous one keeps signing too for `rotationGraceMs`. */
  async rotate(owner: User, id: string): Promise<WebhookEndpoint> {
    const current = await this.get(owner, id)
    const now = this.deps.clock.now()
    await this.delivering.settled(id)
    const updated = await this.deps.store.updateWebhook(id, {
      secret: newWebhookSecret(),
      previousSecret: current.secret,
      previousSecretExpiresAt: now + rotationGraceMs,
      updatedAt: now,
    })
    if (!updated) throw notFound(id)
    this.delivering.replaced(updated)
    this.announce(id)
    return updated
  }

  async delete(owner: User, id: string): Promise<void> {
    await this.get(owner, id)
    this.delivering.detach(id)
    await this.delivering.settled(id)
    await this.deps.store.deleteWebhook(id)
    this.delivering.forget(id)
    this.announce(id)
  }

  async deliveries(owner: User, id: string, limit = 100): Promise<readonly WebhookDelivery[]> {
    await this.get(owner, id)
    await this.delivering.settled(id)
    return this.deps.store.listWebhookDeliveries(id, limit)
  }

  /** The normalized addresses, each one `owner` may watch; otherwise `NRV_NOT_FOUND`, as for a subscription. */
  private async checkAddresses(owner: User, raw: readonly string[]): Promise<string[]> {
    const addresses = [...new Set(raw.map(normalizeAddress))]
    const party: Party = { address: owner.address, organizationId: owner.organizationId }
    for (const address of addresses) {
      const profile = await this.deps.profiles.ensure(address)
      const permissions =
        profile && this.deps.policies.permissionsFor(party, profile, this.deps.clock.now())
      if (isHiddenFrom(permissions)) {
        throw presentityNotFound(address)
      }
    }
    return addresses
  }

  /** Delivers `endpoint` here if this node owns it. */
  private async attach(endpoint: WebhookEndpoint, known?: User): Promise<void> {
    if (!this.owns(endpoint.id)) return
    const owner = known ?? (await this.deps.store.getUser(endpoint.ownerId))
    if (owner) await this.delivering.attach(endpoint, owner)
  }

  /** The owner was removed: their endpoints stop at once (the store deletes them with the user). */
  ownerRemoved(address: string): void {
    this.delivering.ownerRemoved(address)
  }

  /** Endpoints delivering now, for metrics. */
  get liveEndpoints(): number {
    return this.delivering.liveEndpoints
  }

  /** Stops every endpoint's deliveries (shutdown) and waits for their store writes. */
  close(): Promise<void> {
    return this.delivering.close()
  }
}
