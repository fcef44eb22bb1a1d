// REST routes of my presence (device publications, manual choice, note) and of others' views; transport.
import type { NarvaroServices } from '../../app/services.js'
import { manualSourceId, noteSourceId, workLocationSourceId } from '../../app/presence/index.js'
import { everything } from '../../core/policy/decide-permissions.js'
import { computeView } from '../../core/policy/compute-view.js'
import { authenticateRequest, callerOf } from '../shared/authenticate.js'
import type { RestApp } from '../shared/rest-app-type.js'
import {
  AddressParam,
  DevicePublicationBody,
  ManualBody,
  NoteSchema,
  OutcomeReply,
  OwnPresenceReply,
  SourceIdParam,
  WorkLocationBody,
  ViewReply,
} from './rest-schemas.js'
import { errorReplies } from '../shared/error-replies.js'

const outcome = (result: string) =>
  ({ outcome: result === 'changed' ? 'changed' : 'unchanged' }) as const

const tags = ['presence']
const outcomeReply = { 200: OutcomeReply, ...errorReplies }

export const registerPresenceRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerSourceRoutes(app, services)
  registerDurableRoutes(app, services)
  registerViewRoutes(app, services)
}

/** My presence with provenance, and my devices' publications. */
const registerSourceRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerMyPresenceRoute(app, services)
  registerPublishSourceRoute(app, services)
  registerRetractSourceRoute(app, services)
}

/** My own presence, with provenance. */
const registerMyPresenceRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.get(
    '/v1/me/presence',
    {
      preHandler,
      schema: {
        tags,
        summary: 'My presence, with provenance (why am I shown as busy?)',
        response: { 200: OwnPresenceReply, ...errorReplies },
      },
    },
    async (request) => {
      const own = await services.presence.own(callerOf(request).user)
      const view = computeView({ ...own, permissions: everything, now: services.clock.now() })
      return { seq: own.seq, presence: own.presence, view }
    },
  )
}

/** Publishing the state of one of my sources. */
const registerPublishSourceRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.put(
    '/v1/me/presence/sources/:sourceId',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Publish for one of my devices, living ttlSeconds',
        params: SourceIdParam,
        body: DevicePublicationBody,
        response: outcomeReply,
      },
    },
    async (request) => {
      const { ttlSeconds, ...input } = request.body
      const source = { id: request.params.sourceId, kind: 'device' as const }
      const ttlMs = ttlSeconds === undefined ? undefined : ttlSeconds * 1000
      const result = await services.presence.publishSource(callerOf(request).user, source, {
        ...input,
        ...(ttlMs ? { ttlMs } : {}),
      })
      services.metrics.publications.inc(1, result)
      return outcome(result)
    },
  )
}

/** Retracting one of my sources. */
const registerRetractSourceRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.delete(
    '/v1/me/presence/sources/:sourceId',
    {
      preHandler,
      schema: {
        tags,
        summary: 'End the publication of one of my devices',
        params: SourceIdParam,
        response: outcomeReply,
      },
    },
    async (request) =>
      outcome(services.presence.retractSource(callerOf(request).user, request.params.sourceId)),
  )
}

/** My manual choice, note and work location, which stay until cleared or their time ends. */
const registerDurableRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerManualRoutes(app, services)
  registerNoteRoutes(app, services)
  registerWorkLocationRoutes(app, services)
}

/** My manual choice of availability. */
const registerManualRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.put(
    '/v1/me/presence/manual',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Set my manual choice, until a time',
        body: ManualBody,
        response: outcomeReply,
      },
    },
    async (request) => {
      const result = await services.presence.setManual(callerOf(request).user, request.body)
      services.metrics.publications.inc(1, result)
      return outcome(result)
    },
  )

  app.delete(
    '/v1/me/presence/manual',
    { preHandler, schema: { tags, summary: 'Clear my manual choice', response: outcomeReply } },
    async (request) =>
      outcome(await services.presence.clearDurable(callerOf(request).user, manualSourceId)),
  )
}

/** My note. */
const registerNoteRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.put(
    '/v1/me/presence/note',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Set my status note, with an optional expiry',
        body: NoteSchema,
        response: outcomeReply,
      },
    },
    async (request) =>
      outcome(await services.presence.setNote(callerOf(request).user, request.body)),
  )

  app.delete(
    '/v1/me/presence/note',
    { preHandler, schema: { tags, summary: 'Clear my status note', response: outcomeReply } },
    async (request) =>
      outcome(await services.presence.clearDurable(callerOf(request).user, noteSourceId)),
  )
}

/** Where I work today. */
const registerWorkLocationRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.put(
    '/v1/me/presence/work-location',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Set where I work (office site, remote, travelling), until a time',
        body: WorkLocationBody,
        response: outcomeReply,
      },
    },
    async (request) =>
      outcome(await services.presence.setWorkLocation(callerOf(request).user, request.body)),
  )

  app.delete(
    '/v1/me/presence/work-location',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Clear the work location I set (schedules and devices decide again)',
        response: outcomeReply,
      },
    },
    async (request) =>
      outcome(await services.presence.clearDurable(callerOf(request).user, workLocationSourceId)),
  )
}

/** Someone's presence as policy lets me see it. */
const registerViewRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.get(
    '/v1/presence/:address',
    {
      preHandler,
      schema: {
        tags,
        summary: "Someone's presence as policy lets me see it",
        params: AddressParam,
        response: { 200: ViewReply, ...errorReplies },
      },
    },
    async (request) =>
      services.subscriptions.viewOf(callerOf(request).user, request.params.address),
  )
}
