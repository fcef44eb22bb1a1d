// The availability concept of the application layer: what other concepts, the transports and the server
// may use of it; everything else in this folder is its own.

export { whoAnswerMessage, whoChangeMessage } from './who-messages.js'

export { AvailabilityService, maxMembers } from './availability-service.js'
export type { MemberSelection, WhoEntry } from './availability-service.js'
export type { IndexedEntry } from './shared-answer.js'
export { WhoEntrySchema } from './who-json.js'
export { GatherService } from './gather-service.js'
export type { Gathering } from './gather-service.js'
export { LiveWho } from './live-who.js'
export type { WhoChange } from './live-who.js'
export { NotifyService } from './notify-service.js'
export { createAvailability, stopAvailability } from './create-availability.js'
export type { AvailabilityParts } from './create-availability.js'
