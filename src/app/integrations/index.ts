// The integrations concept of the application layer: what other concepts, the transports and the server
// may use of it; everything else in this folder is its own.

export { integrationEventStates, integrationEventTypes } from './integration-rules.js'
export { IntegrationService } from './integration-service.js'
export { createIntegrations, stopIntegrations } from './create-integrations.js'
export type { IntegrationsParts } from './create-integrations.js'
