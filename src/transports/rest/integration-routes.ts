// REST routes of integration sources: admins create (the token is returned once), list, revoke and
// rotate integrations; integrations post batches of events with their own token; transport layer.
import type { NarvaroServices } from '../../app/services.js'
import { readonlyArray } from '../shared/presence-schemas.js'
import {
  authenticateIntegrationRequest,
  authenticateRequest,
  callerOf,
  integrationOf,
} from '../shared/authenticate.js'
import {
  IntegrationCreateBody,
  IntegrationEventsBody,
  IntegrationEventsReply,
  IntegrationParams,
  IntegrationSchema,
  IssuedIntegrationSchema,
  integrationReply,
} from './integration-schemas.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { errorReplies } from '../shared/error-replies.js'

const registerManagementRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const tags = ['integrations']
  app.post(
    '/v1/integrations',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Create an integration of my organization (admins); its token is shown once',
        body: IntegrationCreateBody,
        response: { 201: IssuedIntegrationSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const issued = await services.integrations.create(callerOf(request).user, request.body)
      void reply.code(201)
      return { token: issued.token, integration: integrationReply(issued.integration) }
    },
  )
  app.get(
    '/v1/integrations',
    {
      preHandler,
      schema: {
        tags,
        summary: 'The integrations of my organization, revoked ones too (admins)',
        response: { 200: readonlyArray(IntegrationSchema), ...errorReplies },
      },
    },
    async (request) =>
      (await services.integrations.list(callerOf(request).user)).map(integrationReply),
  )
}

const registerChangeRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const tags = ['integrations']
  const params = IntegrationParams
  app.delete(
    '/v1/integrations/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Revoke an integration: its token stops working and its activities end (admins)',
        params,
        response: { 204: { type: 'null' }, ...errorReplies },
      },
    },
    async (request, reply) => {
      await services.integrations.revoke(callerOf(request).user, request.params.id)
      void reply.code(204)
    },
  )
  app.post(
    '/v1/integrations/:id/rotate',
    {
      preHandler,
      schema: {
        tags,
        summary: 'A new token for an integration; the old one stops working at once (admins)',
        params,
        response: { 200: IssuedIntegrationSchema, ...errorReplies },
      },
    },
    async (request) => {
      const issued = await services.integrations.rotate(callerOf(request).user, request.params.id)
      return { token: issued.token, integration: integrationReply(issued.integration) }
    },
  )
}

export const registerIntegrationRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerManagementRoutes(app, services)
  registerChangeRoutes(app, services)
  app.post(
    '/v1/integrations/events',
    {
      preHandler: authenticateIntegrationRequest(services),
      schema: {
        tags: ['integrations'],
        summary:
          'Events of an integration (with its `nri_` token): calls, conferences, video, presenting; one result per event',
        body: IntegrationEventsBody,
        response: { 200: IntegrationEventsReply, ...errorReplies },
      },
    },
    async (request) => ({
      results: await services.integrations.events(integrationOf(request), request.body.events),
    }),
  )
}
