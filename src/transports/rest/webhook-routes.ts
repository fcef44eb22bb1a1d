// REST routes of webhooks out: create (the secret is returned once), list, get, update, rotate the
// secret, delete, and the delivery log; transport layer.
import type { NarvaroServices } from '../../app/services.js'
import { readonlyArray } from '../shared/presence-schemas.js'
import { authenticateRequest, callerOf } from '../shared/authenticate.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { errorReplies } from '../shared/error-replies.js'
import {
  DeliveriesQuery,
  DeliverySchema,
  WebhookCreateBody,
  WebhookParams,
  WebhookSchema,
  WebhookUpdateBody,
  WebhookWithSecretSchema,
  deliveryReply,
  webhookReply,
} from './webhook-schemas.js'

const tags = ['webhooks']
const params = WebhookParams

export const registerWebhookRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerEndpointsRoutes(app, services)
  registerOneEndpointRoutes(app, services)
  registerSecretAndDeleteRoutes(app, services)
  registerDeliveryRoute(app, services)
}

/** My webhook endpoints, and a new one (its secret shown once). */
const registerEndpointsRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.post(
    '/v1/webhooks',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Subscribe an HTTP endpoint to presence changes (as me) and my workflow events',
        body: WebhookCreateBody,
        response: { 201: WebhookWithSecretSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const endpoint = await services.webhooks.create(callerOf(request).user, request.body)
      void reply.code(201)
      return { ...webhookReply(endpoint), secret: endpoint.secret }
    },
  )

  app.get(
    '/v1/webhooks',
    {
      preHandler,
      schema: {
        tags,
        summary: 'My webhook endpoints',
        response: { 200: readonlyArray(WebhookSchema), ...errorReplies },
      },
    },
    async (request) => (await services.webhooks.list(callerOf(request).user)).map(webhookReply),
  )
}

/** One endpoint, and changes to it. */
const registerOneEndpointRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.get(
    '/v1/webhooks/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'One webhook endpoint, with why it is disabled',
        params,
        response: { 200: WebhookSchema, ...errorReplies },
      },
    },
    async (request) =>
      webhookReply(await services.webhooks.get(callerOf(request).user, request.params.id)),
  )

  app.patch(
    '/v1/webhooks/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Change the URL, addresses or events, or enable or disable',
        params,
        body: WebhookUpdateBody,
        response: { 200: WebhookSchema, ...errorReplies },
      },
    },
    async (request) =>
      webhookReply(
        await services.webhooks.update(callerOf(request).user, request.params.id, request.body),
      ),
  )
}

/** A new secret for an endpoint, and its deletion. */
const registerSecretAndDeleteRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.post(
    '/v1/webhooks/:id/rotate-secret',
    {
      preHandler,
      schema: {
        tags,
        summary: 'A new secret; the previous one also signs for 24 hours',
        params,
        response: { 200: WebhookWithSecretSchema, ...errorReplies },
      },
    },
    async (request) => {
      const endpoint = await services.webhooks.rotate(callerOf(request).user, request.params.id)
      return { ...webhookReply(endpoint), secret: endpoint.secret }
    },
  )

  app.delete(
    '/v1/webhooks/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Delete a webhook endpoint and its delivery log',
        params,
        response: { 204: { type: 'null' }, ...errorReplies },
      },
    },
    async (request, reply) => {
      await services.webhooks.delete(callerOf(request).user, request.params.id)
      void reply.code(204)
    },
  )
}

/** The delivery log of an endpoint. */
const registerDeliveryRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      preHandler,
      schema: {
        tags,
        summary: 'The latest delivery attempts, newest first',
        params,
        querystring: DeliveriesQuery,
        response: { 200: readonlyArray(DeliverySchema), ...errorReplies },
      },
    },
    async (request) =>
      (
        await services.webhooks.deliveries(
          callerOf(request).user,
          request.params.id,
          request.query.limit,
        )
      ).map(deliveryReply),
  )
}
