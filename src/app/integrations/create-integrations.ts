// The integrations concept composed: sources such as phone systems and conference services that set
// people's activities; app layer.
import type { Clock } from '../../ports/clock.js'
import type { NarvaroStore } from '../../ports/narvaro-store.js'
import type { ProfileDirectory } from '../directory/index.js'
import type { AuditLog } from '../policy/index.js'
import type { PresenceEngine } from '../presence/index.js'
import { IntegrationService } from './integration-service.js'

export interface IntegrationsParts {
  /** Integration sources (phone systems, conference services) that set people's activities. */
  readonly integrations: IntegrationService
}

export const createIntegrations = (deps: {
  readonly store: NarvaroStore
  readonly clock: Clock
  readonly engine: PresenceEngine
  readonly profiles: ProfileDirectory
  readonly audit: AuditLog
  readonly onError: (error: unknown) => void
}): IntegrationsParts => {
  const { store, clock, engine, profiles, audit, onError } = deps
  return {
    integrations: new IntegrationService({ store, engine, profiles, clock, audit, onError }),
  }
}

export const stopIntegrations = (parts: IntegrationsParts): void => parts.integrations.stop()
