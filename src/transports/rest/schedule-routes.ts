// REST routes of my schedule (scheduled do-not-disturb, planned notes and work locations) and of
// free/busy as policy lets me see it; transport layer.
import { Type } from 'typebox'
import type { NarvaroServices } from '../../app/services.js'
import { normalizeAddress } from '../../core/model/address.js'
import { readonlyArray } from '../shared/presence-schemas.js'
import { authenticateRequest, callerOf, callerParty } from '../shared/authenticate.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { errorReplies } from '../shared/error-replies.js'
import {
  FreeBusyParams,
  FreeBusyQuery,
  FreeBusySchema,
  ScheduleCreateBody,
  ScheduleEntrySchema,
  ScheduleParams,
  scheduleReply,
} from './schedule-schemas.js'

const week = 7 * 24 * 60 * 60_000

const tags = ['schedules']

export const registerScheduleRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerEntryRoutes(app, services)
  registerRemoveRoute(app, services)
  registerFreeBusyRoute(app, services)
}

/** My schedule entries, and a new one. */
const registerEntryRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.post(
    '/v1/me/schedule',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Plan a change: do-not-disturb, a note or a work location, once or every week',
        body: ScheduleCreateBody,
        response: { 201: ScheduleEntrySchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const entry = await services.schedules.create(callerOf(request).user, request.body)
      void reply.code(201)
      return scheduleReply(entry)
    },
  )

  app.get(
    '/v1/me/schedule',
    {
      preHandler,
      schema: {
        tags,
        summary: 'My schedule entries',
        response: { 200: readonlyArray(ScheduleEntrySchema), ...errorReplies },
      },
    },
    async (request) => (await services.schedules.list(callerOf(request).user)).map(scheduleReply),
  )
}

/** A schedule entry removed. */
const registerRemoveRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.delete(
    '/v1/me/schedule/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Remove a schedule entry (what it set ends at once)',
        params: ScheduleParams,
        response: { 204: Type.Null(), ...errorReplies },
      },
    },
    async (request, reply) => {
      await services.schedules.remove(callerOf(request).user, request.params.id)
      void reply.code(204)
    },
  )
}

/** Someone's busy times, as policy lets me see them. */
const registerFreeBusyRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.get(
    '/v1/people/:address/free-busy',
    {
      preHandler,
      schema: {
        tags,
        summary: "Someone's busy times (calendar, schedules) as policy lets me see them; no detail",
        params: FreeBusyParams,
        querystring: FreeBusyQuery,
        response: { 200: FreeBusySchema, ...errorReplies },
      },
    },
    async (request) => {
      const from = request.query.from ?? services.clock.now()
      const to = request.query.to ?? from + week
      const address = normalizeAddress(request.params.address)
      return services.schedules.freeBusy(callerParty(request), address, { from, to })
    },
  )
}
