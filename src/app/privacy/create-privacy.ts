// The privacy concept composed: a person's own rules and approvals, previews and the organization
// policy; app layer.
import type { Clock } from '../../ports/clock.js'
import type { NarvaroStore } from '../../ports/narvaro-store.js'
import type { ProfileDirectory } from '../directory/index.js'
import type { AuditLog, PolicyDirectory } from '../policy/index.js'
import type { PresenceEngine } from '../presence/index.js'
import type { SubscriptionRecords, WatchHub } from '../watching/index.js'
import { PrivacyService } from './privacy-service.js'

export interface PrivacyParts {
  readonly privacy: PrivacyService
}

export const createPrivacy = (deps: {
  readonly store: NarvaroStore
  readonly clock: Clock
  readonly policies: PolicyDirectory
  readonly profiles: ProfileDirectory
  readonly engine: PresenceEngine
  readonly hub: WatchHub
  readonly audit: AuditLog
  readonly subscriptionRecords: SubscriptionRecords
}): PrivacyParts => {
  const { store, clock, policies, profiles, engine, hub, audit } = deps
  const records = deps.subscriptionRecords
  return {
    privacy: new PrivacyService({ store, records, clock, policies, profiles, engine, hub, audit }),
  }
}
