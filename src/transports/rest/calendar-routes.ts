// REST routes of my calendars: upload an iCalendar file or subscribe to an ICS URL, list, replace,
// refresh and remove; transport layer.
import { Type } from 'typebox'
import type { NarvaroServices } from '../../app/services.js'
import { readonlyArray } from '../shared/presence-schemas.js'
import { authenticateRequest, callerOf } from './authenticate.js'
import {
  CalendarCreateBody,
  CalendarImportSchema,
  CalendarParams,
  CalendarReplaceBody,
  CalendarSchema,
  calendarBodyLimitBytes,
  calendarImportReply,
  calendarReply,
} from './calendar-schemas.js'
import type { RestApp } from './rest-app.js'
import { errorReplies } from './rest-schemas.js'

const tags = ['calendars']

const registerImportRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  app.post(
    '/v1/me/calendars',
    {
      preHandler,
      bodyLimit: calendarBodyLimitBytes,
      schema: {
        tags,
        summary: 'Upload an iCalendar file, or subscribe to an ICS URL: meetings and out-of-office',
        body: CalendarCreateBody,
        response: { 201: CalendarImportSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const { user } = callerOf(request)
      const body = request.body
      const result =
        'ics' in body
          ? await services.calendars.upload(user, body)
          : await services.calendars.subscribe(user, body)
      void reply.code(201)
      return calendarImportReply(result)
    },
  )
  app.put(
    '/v1/me/calendars/:id',
    {
      preHandler,
      bodyLimit: calendarBodyLimitBytes,
      schema: {
        tags,
        summary: 'Replace the file of an uploaded calendar',
        params: CalendarParams,
        body: CalendarReplaceBody,
        response: { 200: CalendarImportSchema, ...errorReplies },
      },
    },
    async (request) => {
      const { user } = callerOf(request)
      const { id } = request.params
      return calendarImportReply(await services.calendars.replace(user, id, request.body.ics))
    },
  )
  app.post(
    '/v1/me/calendars/:id/refresh',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Fetch a subscribed calendar now (or read an uploaded one again)',
        params: CalendarParams,
        response: { 200: CalendarImportSchema, ...errorReplies },
      },
    },
    async (request) => {
      const { user } = callerOf(request)
      return calendarImportReply(await services.calendars.refresh(user, request.params.id))
    },
  )
}

export const registerCalendarRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  registerImportRoutes(app, services)
  app.get(
    '/v1/me/calendars',
    {
      preHandler,
      schema: {
        tags,
        summary: 'My calendars, with when each was last read and why it failed (never the file)',
        response: { 200: readonlyArray(CalendarSchema), ...errorReplies },
      },
    },
    async (request) => (await services.calendars.list(callerOf(request).user)).map(calendarReply),
  )
  app.delete(
    '/v1/me/calendars/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Remove a calendar (its meetings and out-of-office end at once)',
        params: CalendarParams,
        response: { 204: Type.Null(), ...errorReplies },
      },
    },
    async (request, reply) => {
      await services.calendars.remove(callerOf(request).user, request.params.id)
      void reply.code(204)
    },
  )
}
