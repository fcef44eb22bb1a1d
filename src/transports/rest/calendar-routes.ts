// REST routes of my calendars: upload an iCalendar file or subscribe to an ICS URL, list, replace,
// refresh and remove; transport layer.
import { Type } from 'typebox'
import type { NarvaroServices } from '../../app/services.js'
import type { User } from '../../app/accounts/index.js'
import { readonlyArray } from '../shared/presence-schemas.js'
import { authenticateRequest, callerOf } from '../shared/authenticate.js'
import { NarvaroError } from '../../core/errors.js'
import {
  CalendarCreateBody,
  CalendarImportSchema,
  CalendarParams,
  CalendarSchema,
  CalendarUploadQuery,
  calendarBodyLimitBytes,
  icsContentType,
  jsonOrIcs,
  CalendarReplaceBody,
  calendarImportReply,
  calendarReply,
} from './calendar-schemas.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { errorReplies } from '../shared/error-replies.js'

const tags = ['calendars']

/** The routes that take a file: in their own scope, the only one that reads `text/calendar`. */
const registerImportRoutes = async (app: RestApp, services: NarvaroServices): Promise<void> => {
  app.addContentTypeParser(
    icsContentType,
    { parseAs: 'string', bodyLimit: calendarBodyLimitBytes },
    (_request, body, done) => {
      done(null, body)
    },
  )
  registerCreateRoute(app, services)
  registerReplaceRoutes(app, services)
}

/** Upload a file or subscribe to a URL. */
const registerCreateRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  app.post(
    '/v1/me/calendars',
    {
      preHandler,
      bodyLimit: calendarBodyLimitBytes,
      schema: {
        tags,
        summary: 'Upload an iCalendar file, or subscribe to an ICS URL: meetings and out-of-office',
        description:
          'JSON `{name, ics}` or `{name, url}`; or the file itself as `text/calendar` with `?name=`.',
        querystring: CalendarUploadQuery,
        body: jsonOrIcs(CalendarCreateBody),
        response: { 201: CalendarImportSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const result = await createCalendar(services, callerOf(request).user, request)
      void reply.code(201)
      return calendarImportReply(result)
    },
  )
}

/** What the routes read of a request that may carry a file. */
interface FileRequest {
  readonly headers: { 'content-type'?: string }
  readonly body: unknown
  readonly query: { name?: string }
}

/** A calendar from a create request: a file as text/calendar, or JSON with the file or a URL. */
const createCalendar = async (services: NarvaroServices, user: User, request: FileRequest) => {
  const body = request.body as unknown as string | CalendarCreateBody
  if (typeof body === 'string') {
    return services.calendars.upload(user, { name: nameFor(request.query), ics: icsOf(request) })
  }
  return 'ics' in body
    ? services.calendars.upload(user, body)
    : services.calendars.subscribe(user, body)
}

/** Replace the file of an uploaded calendar, or read a calendar again (in the scope of the files). */
const registerReplaceRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  app.put(
    '/v1/me/calendars/:id',
    {
      preHandler,
      bodyLimit: calendarBodyLimitBytes,
      schema: {
        tags,
        summary:
          'Replace the file of an uploaded calendar (JSON `{ics}`, or the file as text/calendar)',
        params: CalendarParams,
        body: jsonOrIcs(CalendarReplaceBody),
        response: { 200: CalendarImportSchema, ...errorReplies },
      },
    },
    async (request) => {
      const { user } = callerOf(request)
      const { id } = request.params
      const body = request.body as unknown as string | { ics: string }
      const ics = typeof body === 'string' ? icsOf(request) : body.ics
      return calendarImportReply(await services.calendars.replace(user, id, ics))
    },
  )
  registerRefreshRoute(app, services)
}

const registerRefreshRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
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

/**
 * The file of a body that is not JSON: only as text/calendar, the type whose schema checked it (a
 * text/plain body reaches the route unchecked, by Fastify's default parser).
 */
const icsOf = (request: { headers: { 'content-type'?: string }; body: unknown }): string => {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase()
  if (type !== icsContentType || typeof request.body !== 'string') {
    throw new NarvaroError('NRV_VALIDATION', `send JSON or the file as ${icsContentType}`)
  }
  return request.body
}

/** The name of a file sent as text/calendar: the `name` query parameter, which it needs. */
const nameFor = (query: { name?: string }): string => {
  if (query.name === undefined) {
    throw new NarvaroError('NRV_VALIDATION', 'a text/calendar upload needs ?name=', {
      details: { field: 'name' },
    })
  }
  return query.name
}

export const registerCalendarRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  void app.register(async (scope) => registerImportRoutes(scope, services))
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
