// The integrations concept of the application layer: what other concepts, the transports and the server
// may use of it; everything else in this folder is its own.

export { integrationEventStates, integrationEventTypes } from './integration-rules.js'
export { IntegrationService } from './integration-service.js'
export { createIntegrations, stopIntegrations } from './create-integrations.js'
export type { IntegrationsParts } from './create-integrations.js'
// The integration records and kinds as the transports show and validate them.
export type { Integration } from '../../ports/integration-store.js'
export { integrationKinds } from '../../ports/integration-store.js'
