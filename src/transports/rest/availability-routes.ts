// REST routes of team availability: who of a team or a set of people can be reached now, "can I
// reach X by voice?", message routing and skill routing. The app layer decides everything from the
// asker's views; these routes only parse and serialize; transport layer.
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { urgencies } from '../../core/reach/route-message.js'
import type { WhoEntry } from '../../app/availability/index.js'
import { maxMembers } from '../../app/availability/index.js'
import type { NarvaroServices } from '../../app/services.js'
import {
  ContactKindSchema,
  ViewContactMethodSchema,
  WhoEntrySchema,
  readonlyArray,
  union,
} from '../shared/presence-schemas.js'
import { authenticateRequest, callerParty } from '../shared/authenticate.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { AddressParam } from './rest-schemas.js'
import { errorReplies } from '../shared/error-replies.js'
import { WhoQuerySchema, whoQueryOf } from '../shared/who-query.js'

export { WhoEntrySchema }

const ReachAnswerSchema = Type.Object({
  address: Type.String(),
  reachable: Type.Boolean(),
  via: Type.Optional(ViewContactMethodSchema),
  priorityAccess: Type.Optional(Type.Boolean()),
  reason: Type.Optional(Type.String({ description: 'why not, a machine-readable code' })),
  text: Type.String(),
  until: Type.Optional(Type.Integer()),
  alternative: Type.Optional(ViewContactMethodSchema),
})

const RouteAnswerSchema = Type.Object({
  address: Type.String(),
  deliver: Type.String({ description: 'im, voice, sms, email, voicemail, or none' }),
  via: Type.Optional(ViewContactMethodSchema),
  reason: Type.String(),
  priorityAccess: Type.Optional(Type.Boolean()),
  text: Type.String(),
})

const PickBody = Type.Object(
  {
    team: Type.String({ maxLength: 200, description: 'the team to pick from, by id or name' }),
    skill: Type.Optional(
      Type.String({ maxLength: 48, description: 'only people with this tag (a skill)' }),
    ),
    via: ContactKindSchema,
  },
  { additionalProperties: false },
)

const PickAnswerSchema = Type.Object({
  picked: Type.Optional(WhoEntrySchema),
  candidates: Type.Integer(),
  firstFreeAt: Type.Optional(Type.Integer()),
})

/** A who entry as the API shows it (the same shape over REST and WebSocket). */
export const whoEntryBody = (entry: WhoEntry): Static<typeof WhoEntrySchema> => entry

const tags = ['team availability']

export const registerAvailabilityRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerWhoRoute(app, services)
  registerReachRoutes(app, services)
  registerPickRoute(app, services)
}

/** Paging of a who answer: the page size and the cursor of the page after the previous one. */
const WhoPageQuerySchema = Type.Object(
  {
    ...WhoQuerySchema.properties,
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: maxMembers,
        description:
          'at most this many people in the reply; the header Narvaro-Next-Cursor then names the page after',
      }),
    ),
    cursor: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description: 'the Narvaro-Next-Cursor of the previous page',
      }),
    ),
  },
  { additionalProperties: false },
)

/** Who of a team or of some people is available now, page by page. */
const registerWhoRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.get(
    '/v1/availability',
    {
      preHandler,
      schema: {
        tags,
        summary:
          'Who of a team or of some people is available now, and the best way to reach each (best reachable first)',
        querystring: WhoPageQuerySchema,
        response: {
          200: {
            ...readonlyArray(WhoEntrySchema),
            headers: Type.Object({
              'Narvaro-Next-Cursor': Type.Optional(
                Type.String({
                  description: 'pass as `cursor` for the next page; absent on the last',
                }),
              ),
            }),
          },
          ...errorReplies,
        },
      },
    },
    async (request, reply) => {
      const { limit, cursor, ...query } = request.query
      const { selection, filter } = whoQueryOf(query)
      const page = await services.availability.whoPage(callerParty(request), selection, filter, {
        limit: limit ?? maxMembers,
        ...(cursor !== undefined ? { cursor } : {}),
      })
      if (page.next !== undefined) void reply.header('narvaro-next-cursor', page.next)
      // The entries' texts come from the schema's compiled serializer (whoPageText).
      const text: unknown = page.text
      return reply.type('application/json; charset=utf-8').send(text as WhoEntry[])
    },
  )
}

/** Can I reach a person by a contact kind, and where would a message go. */
const registerReachRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerReachRoute(app, services)
  registerMessageRouteRoute(app, services)
}

/** Can I reach a person by a contact kind now. */
const registerReachRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.get(
    '/v1/reach/:address',
    {
      preHandler,
      schema: {
        tags,
        summary:
          'Can I reach this person by a contact kind now? Yes, or no with the reason and the best alternative',
        params: AddressParam,
        querystring: Type.Object({ via: ContactKindSchema }, { additionalProperties: false }),
        response: { 200: ReachAnswerSchema, ...errorReplies },
      },
    },
    async (request) => {
      const { address, answer } = await services.availability.reach(
        callerParty(request),
        request.params.address,
        request.query.via,
      )
      return { address, ...answer }
    },
  )
}

/** Where a message of some urgency to a person would go now. */
const registerMessageRouteRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.get(
    '/v1/route/:address',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Where to deliver a message of a given urgency to this person now, and why',
        params: AddressParam,
        querystring: Type.Object({ urgency: union(urgencies) }, { additionalProperties: false }),
        response: { 200: RouteAnswerSchema, ...errorReplies },
      },
    },
    async (request) => {
      const { address, answer } = await services.availability.route(
        callerParty(request),
        request.params.address,
        request.query.urgency,
      )
      return { address, ...answer }
    },
  )
}

/** Skill routing: one available person of a team. */
const registerPickRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.post(
    '/v1/pick',
    {
      preHandler,
      schema: {
        tags,
        summary:
          'Pick one available person of a team (with a skill) reachable by a contact kind, least recently picked first',
        body: PickBody,
        response: { 200: PickAnswerSchema, ...errorReplies },
      },
    },
    async (request) => {
      const { team, skill, via } = request.body
      const selection = {
        group: team,
        ...(skill !== undefined ? { tag: skill } : {}),
        key: `team:${team}\nskill:${skill ?? ''}`,
      }
      const result = await services.availability.pick(callerParty(request), selection, via)
      return {
        candidates: result.candidates,
        ...(result.picked ? { picked: whoEntryBody(result.picked) } : {}),
        ...(result.firstFreeAt !== undefined ? { firstFreeAt: result.firstFreeAt } : {}),
      }
    },
  )
}
