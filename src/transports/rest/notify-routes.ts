// REST routes of notify-when-available: one-shot watches whose notification arrives once over the
// asker's WebSocket and SSE connections; transport layer.
import { Type } from 'typebox'
import { normalizeAddress } from '../../core/model/address.js'
import type { NarvaroServices } from '../../app/services.js'
import { AddressSchema, readonlyArray } from '../shared/presence-schemas.js'
import { authenticateRequest, callerParty } from '../shared/authenticate.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { errorReplies } from '../shared/error-replies.js'

const NotifyBody = Type.Object(
  {
    address: AddressSchema,
    expiresInSeconds: Type.Integer({
      minimum: 1,
      maximum: 604_800,
      description: 'how long to wait at most (≤ 7 days)',
    }),
  },
  { additionalProperties: false },
)

const WatchSchema = Type.Object({
  id: Type.String(),
  address: Type.String(),
  createdAt: Type.Integer(),
  expiresAt: Type.Integer(),
})

const CreatedWatchSchema = Type.Intersect([
  WatchSchema,
  Type.Object({
    state: Type.Union([Type.Literal('waiting'), Type.Literal('notified')], {
      description:
        '`notified`: available already, told at once on live connections; the watch ended',
    }),
  }),
])

const tags = ['team availability']

export const registerNotifyRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerCreateWatchRoute(app, services)
  registerOpenWatchRoutes(app, services)
}

/** A new notify-when-available watch. */
const registerCreateWatchRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.post(
    '/v1/me/notify-when-available',
    {
      preHandler,
      schema: {
        tags,
        summary:
          'Tell me once (WebSocket message `available`, SSE event `available`) when a person becomes available',
        body: NotifyBody,
        response: { 201: CreatedWatchSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const { address, expiresInSeconds } = request.body
      const watch = await services.notify.create(
        callerParty(request),
        normalizeAddress(address),
        services.clock.now() + expiresInSeconds * 1000,
      )
      void reply.code(201)
      const { id, createdAt, expiresAt, state } = watch
      return { id, address: watch.address, createdAt, expiresAt, state }
    },
  )
}

/** My open watches, and their cancellation. */
const registerOpenWatchRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.get(
    '/v1/me/notify-when-available',
    {
      preHandler,
      schema: {
        tags,
        summary: 'My open notify-when-available watches',
        response: { 200: readonlyArray(WatchSchema), ...errorReplies },
      },
    },
    async (request) =>
      services.notify.list(callerParty(request).address).map((w) => ({
        id: w.id,
        address: w.address,
        createdAt: w.createdAt,
        expiresAt: w.expiresAt,
      })),
  )

  app.delete(
    '/v1/me/notify-when-available/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Cancel a notify-when-available watch',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 204: Type.Null(), ...errorReplies },
      },
    },
    async (request, reply) => {
      services.notify.cancel(callerParty(request).address, request.params.id)
      void reply.code(204)
    },
  )
}
