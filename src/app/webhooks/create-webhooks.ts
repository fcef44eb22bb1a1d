// The webhooks concept composed: endpoints that watch as their owner, with signed, retried
// deliveries tuned by the settings; app layer.
import type { ChangeBus } from '../../ports/bus.js'
import type { Clock } from '../../ports/clock.js'
import type { NarvaroStore } from '../../ports/narvaro-store.js'
import type { ProfileDirectory } from '../directory/index.js'
import type { PolicyDirectory } from '../policy/index.js'
import type { OutboundPolicy } from '../shared/index.js'
import type { WatchHub } from '../watching/index.js'
import { WebhookService } from './webhook-service.js'

/** Webhook limits; the defaults of `defaultWebhookTuning` where absent. */
export interface WebhookSettings {
  readonly webhookTimeoutMs?: number
  readonly webhookMaxAttempts?: number
  readonly webhookDisableAfter?: number
}

export interface WebhooksParts {
  /** Webhooks out: endpoints that watch as their owner, with signed, retried deliveries. */
  readonly webhooks: WebhookService
}

export const createWebhooks = (deps: {
  readonly store: NarvaroStore
  readonly clock: Clock
  readonly settings: WebhookSettings
  readonly hub: WatchHub
  readonly profiles: ProfileDirectory
  readonly policies: PolicyDirectory
  readonly outbound: OutboundPolicy
  readonly onError: (error: unknown) => void
  readonly bus: ChangeBus
  /** In a cluster: changes of endpoints reach the other nodes. */
  readonly cluster?: { readonly node: string }
}): WebhooksParts => {
  const { store, clock, settings, hub, profiles, policies, outbound, onError } = deps
  const cluster = deps.cluster ? { bus: deps.bus, node: deps.cluster.node } : undefined
  const webhooks = new WebhookService({
    store,
    hub,
    profiles,
    policies,
    clock,
    onError,
    outbound,
    ...(cluster ? { cluster } : {}),
  })
  webhooks.setTuning({
    ...(settings.webhookTimeoutMs === undefined ? {} : { timeoutMs: settings.webhookTimeoutMs }),
    ...(settings.webhookMaxAttempts === undefined
      ? {}
      : { maxAttempts: settings.webhookMaxAttempts }),
    ...(settings.webhookDisableAfter === undefined
      ? {}
      : { disableAfterFailures: settings.webhookDisableAfter }),
  })
  return { webhooks }
}

/** Attaches every enabled endpoint (at start). */
export const startWebhooks = (parts: WebhooksParts): Promise<void> => parts.webhooks.start()

export const stopWebhooks = (parts: WebhooksParts): Promise<void> => parts.webhooks.close()
