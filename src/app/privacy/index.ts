// The privacy concept of the application layer: a person's own rules, approvals of their watchers,
// the preview of what a watcher sees, and the organization policy an admin sets; what other
// concepts, the transports and the server may use of it.

export { PrivacyService } from './privacy-service.js'
export { createPrivacy } from './create-privacy.js'
export type { PrivacyParts } from './create-privacy.js'
