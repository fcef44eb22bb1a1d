// REST routes of subscriptions: watch, stop watching, list with views; transport layer.
import { Type } from 'typebox'
import { readonlyArray } from '../shared/presence-schemas.js'
import type { NarvaroServices } from '../../app/services.js'
import { authenticateRequest, callerOf } from '../shared/authenticate.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { AddressParam, SubscribeBody, SubscriptionSchema } from './rest-schemas.js'
import { errorReplies } from '../shared/error-replies.js'

export const registerSubscriptionRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerListSubscriptionsRoute(app, services)
  registerSubscribeRoute(app, services)
  registerUnsubscribeRoute(app, services)
}

/** The presentities I watch. */
const registerListSubscriptionsRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const tags = ['subscriptions']

  app.get(
    '/v1/subscriptions',
    {
      preHandler,
      schema: {
        tags,
        summary: 'The presentities I watch, with their views',
        response: { 200: readonlyArray(SubscriptionSchema), ...errorReplies },
      },
    },
    async (request) => services.subscriptions.list(callerOf(request).user),
  )
}

/** Watching a presentity. */
const registerSubscribeRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const tags = ['subscriptions']

  app.post(
    '/v1/subscriptions',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Watch a presentity (policy decides)',
        body: SubscribeBody,
        response: { 201: SubscriptionSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const subscription = await services.subscriptions.subscribe(
        callerOf(request).user,
        request.body.address,
      )
      void reply.code(201)
      return subscription
    },
  )
}

/** Stopping watching one. */
const registerUnsubscribeRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const tags = ['subscriptions']

  app.delete(
    '/v1/subscriptions/:address',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Stop watching a presentity',
        params: AddressParam,
        response: { 204: Type.Null(), ...errorReplies },
      },
    },
    async (request, reply) => {
      await services.subscriptions.unsubscribe(callerOf(request).user, request.params.address)
      void reply.code(204)
    },
  )
}
