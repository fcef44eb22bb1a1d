// The presence concept of the application layer: what other concepts, the transports and the server
// may use of it; everything else in this folder is its own.

export { LastSeenWriter } from './last-seen-writer.js'
export { PresenceEngine } from './presence-engine.js'
export { NodeMembership, ownerAmong } from './node-membership.js'
export type { PresenceSnapshot } from './presence-engine.js'
export type { HistoryEntry } from './presence-history.js'
export {
  PresenceService,
  manualSourceId,
  noteSourceId,
  workLocationSourceId,
} from './presence-service.js'
export type { PresenceLimits, SourcePublicationInput } from './presence-service.js'
export { createPresence, flushPresence, startPresence, stopPresence } from './create-presence.js'
export type { PresenceParts, PresenceSettings } from './create-presence.js'
