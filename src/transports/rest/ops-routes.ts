// Operations endpoints: liveness, readiness and Prometheus metrics; transport layer.
import { Type } from 'typebox'
import type { NarvaroServices } from '../../app/services.js'
import { NarvaroError } from '../../core/errors.js'
import type { RestApp } from './rest-app.js'
import { errorReplies } from './rest-schemas.js'

export const registerOpsRoutes = (
  app: RestApp,
  services: NarvaroServices,
  state: { readonly draining: () => boolean },
): void => {
  const tags = ['operations']
  app.get('/healthz', { schema: { tags, summary: 'The process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({
    status: 'ok' as const,
  }))

  app.get('/readyz', { schema: { tags, summary: 'The server can take traffic (store reachable, not shutting down)', response: { 200: Type.Object({ status: Type.Literal('ready') }), ...errorReplies } } }, async () => {
    if (state.draining()) throw new NarvaroError('NRV_SHUTTING_DOWN', 'the server is shutting down')
    try {
      await services.store.ping()
    } catch (cause) {
      throw new NarvaroError('NRV_STORE_UNAVAILABLE', 'the store is unreachable', { cause })
    }
    return { status: 'ready' as const }
  })

  app.get('/metrics', { schema: { tags, summary: 'Prometheus metrics' } }, async (_request, reply) => {
    const { metrics, engine, hub } = services
    const counts = engine.counts()
    metrics.livePresentities.set(counts.presentities)
    metrics.livePublications.set(counts.publications)
    metrics.resumeHistoryEntries.set(engine.history.counts().entries)
    metrics.liveWatches.set(hub.liveWatches)
    void reply.header('content-type', metrics.registry.contentType)
    return metrics.registry.metrics()
  })
}
