// REST routes of quick meetings ("gather"): start one for a team or some people, follow it, answer
// an invitation, cancel; the live side (invitations, answers) goes over WebSocket and SSE as
// `invitation` and `gathering` messages; transport layer.
import { Type } from 'typebox'
import type { Static } from 'typebox'
import type { Gathering } from '../../app/availability/index.js'
import type { NarvaroServices } from '../../app/services.js'
import { AddressSchema, readonlyArray, union } from '../shared/presence-schemas.js'
import { authenticateRequest, callerParty } from '../shared/authenticate.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { errorReplies } from '../shared/error-replies.js'

const GatherBody = Type.Object(
  {
    team: Type.Optional(Type.String({ maxLength: 200, description: 'a team, by name or id' })),
    addresses: Type.Optional(Type.Array(AddressSchema, { maxItems: 1000 })),
    topic: Type.String({ minLength: 1, maxLength: 200 }),
    inviteLater: Type.Boolean({
      description: 'invite the others once they are free (else leave them alone)',
    }),
    expiresInSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 28_800, default: 3600 })),
  },
  { additionalProperties: false },
)

export const GatheringSchema = Type.Object({
  id: Type.String(),
  organizer: Type.String(),
  topic: Type.String(),
  createdAt: Type.Integer(),
  expiresAt: Type.Integer(),
  inviteLater: Type.Boolean(),
  invitees: readonlyArray(
    Type.Object({
      address: Type.String(),
      state: union(['invited', 'waiting', 'accepted', 'declined'] as const),
      at: Type.Integer(),
    }),
  ),
})

const InvitationSchema = Type.Object({
  gathering: Type.String(),
  organizer: Type.String(),
  topic: Type.String(),
  expiresAt: Type.Integer(),
  state: Type.String(),
})

const IdParam = Type.Object({ id: Type.String({ maxLength: 64 }) })

const gatheringBody = (g: Gathering): Static<typeof GatheringSchema> => ({
  id: g.id,
  organizer: g.organizer,
  topic: g.topic,
  createdAt: g.createdAt,
  expiresAt: g.expiresAt,
  inviteLater: g.inviteLater,
  invitees: [...g.invitees].map(([address, { state, at }]) => ({ address, state, at })),
})

const tags = ['team availability']

export const registerGatherRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerGatheringRoutes(app, services)
  registerInvitationRoutes(app, services)
}

/** My gatherings: start, read and cancel. */
const registerGatheringRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerStartGatheringRoute(app, services)
  registerGetGatheringRoute(app, services)
  registerCancelGatheringRoute(app, services)
}

/** Starting a gathering. */
const registerStartGatheringRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.post(
    '/v1/gatherings',
    {
      preHandler,
      schema: {
        tags,
        summary:
          'Gather a quick meeting: invite now only who is free; optionally the others once free',
        body: GatherBody,
        response: { 201: GatheringSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const { team, addresses, topic, inviteLater, expiresInSeconds } = request.body
      const gathering = await services.gather.start(callerParty(request), {
        selection: { ...(team !== undefined ? { group: team } : {}), addresses: addresses ?? [] },
        topic,
        inviteLater,
        expiresInMs: (expiresInSeconds ?? 3600) * 1000,
      })
      void reply.code(201)
      return gatheringBody(gathering)
    },
  )
}

/** One gathering of mine. */
const registerGetGatheringRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.get(
    '/v1/gatherings/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'A gathering of mine, with every invitee’s state',
        params: IdParam,
        response: { 200: GatheringSchema, ...errorReplies },
      },
    },
    async (request) =>
      gatheringBody(services.gather.get(callerParty(request).address, request.params.id)),
  )
}

/** Cancelling a gathering of mine. */
const registerCancelGatheringRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.delete(
    '/v1/gatherings/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Cancel a gathering of mine (invitees are told)',
        params: IdParam,
        response: { 204: Type.Null(), ...errorReplies },
      },
    },
    async (request, reply) => {
      services.gather.cancel(callerParty(request).address, request.params.id)
      void reply.code(204)
    },
  )
}

/** The invitations I received, and my answers. */
const registerInvitationRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerListInvitationsRoute(app, services)
  registerAnswerInvitationRoute(app, services)
}

/** The invitations I received. */
const registerListInvitationsRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.get(
    '/v1/me/invitations',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Invitations to open gatherings I received',
        response: { 200: readonlyArray(InvitationSchema), ...errorReplies },
      },
    },
    async (request) =>
      services.gather.invitationsOf(callerParty(request).address).map(({ gathering, state }) => ({
        gathering: gathering.id,
        organizer: gathering.organizer,
        topic: gathering.topic,
        expiresAt: gathering.expiresAt,
        state,
      })),
  )
}

/** My answer to an invitation. */
const registerAnswerInvitationRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.post(
    '/v1/me/invitations/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Accept or decline an invitation; the organizer sees it at once',
        params: IdParam,
        body: Type.Object(
          { answer: union(['accept', 'decline'] as const) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ gathering: Type.String(), state: Type.String() }),
          ...errorReplies,
        },
      },
    },
    async (request) => ({
      gathering: request.params.id,
      state: services.gather.answer(
        callerParty(request).address,
        request.params.id,
        request.body.answer,
      ),
    }),
  )
}
