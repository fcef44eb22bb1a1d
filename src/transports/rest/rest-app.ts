// Builds the Fastify application: named schemas, OpenAPI, error replies, logging and every route; transport.
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { LogController } from 'fastify'
import type { FastifyBaseLogger } from 'fastify'
import type { NarvaroServices } from '../../app/services.js'
import { registerAuthRoutes } from './auth-routes.js'
import { registerContactListRoutes } from './contact-list-routes.js'
import { registerDirectoryRoutes } from './directory-routes.js'
import { replyToClientError, replyToFrameworkError } from '../shared/client-errors.js'
import { retryAfterSeconds, toErrorReply } from '../shared/error-reply.js'
import { escapeUnsafe } from '../shared/error-text.js'
import { registerAvailabilityRoutes } from './availability-routes.js'
import { registerGatherRoutes } from './gather-routes.js'
import { registerGroupRoutes } from './group-routes.js'
import { registerIntegrationRoutes } from './integration-routes.js'
import { registerNotifyRoutes } from './notify-routes.js'
import { registerOpsRoutes } from './ops-routes.js'
import { registerPresenceRoutes } from './presence-routes.js'
import { logAuthFailure, logRequest } from './request-log.js'
import { registerPrivacyRoutes } from './privacy-routes.js'
import { registerSubscriptionRoutes } from './subscription-routes.js'
import { registerUserRoutes } from './user-routes.js'
import { registerWebhookRoutes } from './webhook-routes.js'
import { registerLinkRoutes } from './link-routes.js'
import { registerSipRoutes } from './sip-routes.js'
import { registerPresRulesRoutes } from './pres-rules-routes.js'
import { registerScheduleRoutes } from './schedule-routes.js'
import { referToErrorResponse, registerSchemaComponents } from './schema-components.js'
import { registerCalendarRoutes } from './calendar-routes.js'
import { registerWebAppRoutes, replyWithWebApp } from './web-app-routes.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { sharedSerializers } from './shared-serializers.js'

export type { RestApp } from '../shared/rest-app-type.js'

export interface RestAppOptions {
  readonly services: NarvaroServices
  readonly logger: FastifyBaseLogger
  readonly bodyLimitBytes: number
  readonly draining: () => boolean
  readonly version: string
  /** NARVARO_METRICS_TOKEN, when the administrator set one. */
  readonly metricsToken?: string
}

/** Longest path parameter, in characters: room for the longest address. */
export const maxParamLength = 320

/** How every route validates: nothing stripped, only single values coerced to arrays. */
export const restAjvOptions = {
  customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false },
} as const

export const createRestApp = async (options: RestAppOptions): Promise<RestApp> => {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes,
    // Request lines are not logged by Fastify: URLs may carry `access_token`; see the onResponse hook.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    // An address is at most 318 characters (64 + @ + 253); longer parameters are NRV_URI_TOO_LONG.
    routerOptions: { maxParamLength: maxParamLength },
    clientErrorHandler: replyToClientError,
    frameworkErrors: replyToFrameworkError,
    return503OnClosing: true,
    ajv: restAjvOptions,
    schemaController: { compilersFactory: { buildSerializer: sharedSerializers } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorateRequest('auth', null)
  app.decorateRequest('integration', null)
  registerSchemaComponents(app)
  await registerOpenApi(app, options.version)
  setReplyHandlers(app, options.services)
  registerRoutes(app, options)
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  await registerWebAppRoutes(app)
  return app
}

/** The OpenAPI document of every route, and its browsable page at /docs. */
const registerOpenApi = async (app: RestApp, version: string): Promise<void> => {
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Närvaro',
        version,
        description: 'Presence service API. Errors: docs/errors.md. Real time: docs/protocol.md.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transformObject: (document) =>
      'openapiObject' in document ? referToErrorResponse(document.openapiObject) : {},
    // A registered schema is `#/components/schemas/<its $id>`, not a numbered `def-N`.
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) => String(json['$id'] ?? `def-${i}`),
    },
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' })
}

/** Error and not-found replies as `{ code, message }`, and the log and metrics of every response. */
const setReplyHandlers = (app: RestApp, services: NarvaroServices): void => {
  app.setErrorHandler((error, request, reply) => {
    const { status, body, unexpected } = toErrorReply(error)
    if (unexpected) request.log.error({ err: error }, 'unexpected error')
    if (body.code === 'NRV_UNAUTHENTICATED') logAuthFailure(request, body.message)
    // NRV_RATE_LIMITED and NRV_BUSY say when to come back.
    const seconds = retryAfterSeconds(body)
    if (seconds !== undefined) void reply.header('retry-after', seconds)
    void reply.code(status).send(body)
  })
  app.setNotFoundHandler((request, reply) => {
    if (replyWithWebApp(request, reply)) return
    const path = escapeUnsafe(request.url.split('?')[0] ?? '')
    void reply
      .code(404)
      .send({ code: 'NRV_NOT_FOUND', message: `no route ${request.method} ${path}` })
  })
  app.addHook('onResponse', async (request, reply) => {
    logRequest(request, reply)
    const route = request.routeOptions.url ?? 'unknown'
    services.metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    )
  })
}

const registerRoutes = (app: RestApp, options: RestAppOptions): void => {
  const { services } = options
  registerOpsRoutes(app, services, {
    draining: options.draining,
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
  })
  registerAuthRoutes(app, services)
  registerUserRoutes(app, services)
  registerPresenceRoutes(app, services)
  registerSubscriptionRoutes(app, services)
  registerPrivacyRoutes(app, services)
  registerGroupRoutes(app, services)
  registerDirectoryRoutes(app, services)
  registerContactListRoutes(app, services)
  registerNotifyRoutes(app, services)
  registerAvailabilityRoutes(app, services)
  registerGatherRoutes(app, services)
  registerWebhookRoutes(app, services)
  registerSipRoutes(app, services)
  registerLinkRoutes(app, services)
  registerPresRulesRoutes(app, services)
  registerIntegrationRoutes(app, services)
  registerScheduleRoutes(app, services)
  registerCalendarRoutes(app, services)
}
