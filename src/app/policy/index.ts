// The policy concept of the application layer: what other concepts, the transports and the server
// may use of it; everything else in this folder is its own.

export { AuditLog, disclosedDetails } from './audit-log.js'
export { PolicyDirectory } from './policy-directory.js'
export type { Asker, AskerClass, PolicyChange } from './policy-directory.js'
export { createPolicy, stopPolicy } from './create-policy.js'
export type { PolicyParts, PolicySettings } from './create-policy.js'
