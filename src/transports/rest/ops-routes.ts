// Operations endpoints: liveness, readiness and Prometheus metrics (behind a token when the
// administrator sets one); transport layer.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { NarvaroServices } from '../../app/services.js'
import { NarvaroError } from '../../core/errors.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { errorReplies } from '../shared/error-replies.js'

export interface OpsOptions {
  readonly draining: () => boolean
  /** NARVARO_METRICS_TOKEN: when set, /metrics answers only `Authorization: Bearer <it>`. */
  readonly metricsToken?: string
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest()

/** A preHandler refusing requests without the token; compared in constant time (as digests). */
const requireToken = (token: string) => {
  const expected = digest(token)
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization ?? ''
    const given = header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : ''
    if (!timingSafeEqual(digest(given), expected)) {
      const message = 'the metrics token is required (NARVARO_METRICS_TOKEN)'
      throw new NarvaroError('NRV_UNAUTHENTICATED', message)
    }
  }
}

const tags = ['operations']

export const registerOpsRoutes = (
  app: RestApp,
  services: NarvaroServices,
  state: OpsOptions,
): void => {
  registerHealthRoute(app)
  registerReadyRoute(app, services, state)
  registerMetricsRoute(app, services, state)
}

/** Liveness. */
const registerHealthRoute = (app: RestApp): void => {
  app.get(
    '/healthz',
    {
      schema: {
        tags,
        summary: 'The process is alive',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({
      status: 'ok' as const,
    }),
  )
}

/**
 * Readiness: not draining, and each dependency answers; when one does not, the 503 names each one's
 * state (a probe's answer, not an internal error, so it is shown as it is).
 */
const registerReadyRoute = (app: RestApp, services: NarvaroServices, state: OpsOptions): void => {
  app.get(
    '/readyz',
    {
      schema: {
        tags,
        summary:
          'The server can take traffic: not shutting down, and each dependency (the store, the change channel) answers',
        response: {
          200: Type.Object({
            status: Type.Literal('ready'),
            node: Type.Optional(Type.String({ description: 'this node, in a cluster' })),
            dependencies: Type.Object({
              store: Type.Literal('ok'),
              changeChannel: Type.Literal('ok'),
            }),
          }),
          ...errorReplies,
        },
      },
    },
    async (_request, reply) => {
      if (state.draining())
        throw new NarvaroError('NRV_SHUTTING_DOWN', 'the server is shutting down')
      const dependencies = await services.readiness.dependencies()
      const { store, changeChannel } = dependencies
      const node = services.node === undefined ? {} : { node: services.node }
      if (store === 'ok' && changeChannel === 'ok')
        return { status: 'ready' as const, ...node, dependencies: { store, changeChannel } }
      const down = Object.keys(dependencies).filter(
        (name) => dependencies[name as 'store'] !== 'ok',
      )
      return reply.code(503).send({
        code: 'NRV_STORE_UNAVAILABLE',
        message: `unreachable: ${down.join(', ')}`,
        details: { dependencies },
      })
    },
  )
}

/** Prometheus metrics, behind the metrics token when one is set. */
const registerMetricsRoute = (app: RestApp, services: NarvaroServices, state: OpsOptions): void => {
  const preHandler = state.metricsToken ? requireToken(state.metricsToken) : undefined
  const metricsRoute = {
    ...(preHandler ? { preHandler } : {}),
    schema: { tags, summary: 'Prometheus metrics (Bearer NARVARO_METRICS_TOKEN when set)' },
  }
  app.get('/metrics', metricsRoute, async (_request, reply) => {
    const { metrics, engine, hub, webhooks } = services
    const counts = engine.counts()
    metrics.livePresentities.set(counts.presentities)
    metrics.livePublications.set(counts.publications)
    metrics.resumeHistoryEntries.set(engine.history.counts().entries)
    metrics.liveWatches.set(hub.liveWatches)
    metrics.webhookEndpoints.set(webhooks.liveEndpoints)
    void reply.header('content-type', metrics.registry.contentType)
    return metrics.registry.metrics()
  })
}
