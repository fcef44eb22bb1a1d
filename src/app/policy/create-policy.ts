// The policy concept composed: what watchers may see (with its change channel) and the audit log of
// what was disclosed; app layer.
import type { ChangeBus } from '../../ports/bus.js'
import type { Clock } from '../../ports/clock.js'
import type { NarvaroStore } from '../../ports/narvaro-store.js'
import { AuditLog } from './audit-log.js'
import { PolicyDirectory } from './policy-directory.js'

export interface PolicySettings {
  readonly auditRetentionMs: number
}

export interface PolicyParts {
  readonly policies: PolicyDirectory
  readonly audit: AuditLog
}

export const createPolicy = (deps: {
  readonly store: NarvaroStore
  readonly bus: ChangeBus
  readonly clock: Clock
  readonly settings: PolicySettings
  readonly onError: (error: unknown) => void
}): PolicyParts => {
  const { store, bus, clock, settings, onError } = deps
  return {
    policies: new PolicyDirectory(bus, onError),
    audit: new AuditLog(store, clock, { retentionMs: settings.auditRetentionMs, onError }),
  }
}

export const stopPolicy = (parts: PolicyParts): Promise<void> => parts.audit.stop()
