// Server-Sent Events for read-only watchers: `GET /v1/events`, resumable with Last-Event-ID; transport.
// Each event's id is `epoch.seq`, so one id is a complete cursor for every presentity of the stream.
import { randomUUID } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { NarvaroServices } from '../../app/services.js'
import type { User } from '../../app/accounts/index.js'
import type { WatchFrom } from '../../app/watching/index.js'
import { whoAnswerMessage, whoChangeMessage } from '../../app/availability/index.js'
import { NarvaroError } from '../../core/errors.js'
import { whoQueryOf, WhoQuerySchema } from '../shared/who-query.js'
import { authenticateRequest, callerOf, callerParty } from '../shared/authenticate.js'
import { toErrorReply } from '../shared/error-reply.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { errorReplies } from '../shared/error-replies.js'
import { SseStream } from './sse-stream.js'
import type { SseStreamOptions } from './sse-stream.js'

export const EventsQuery = Type.Object({
  addresses: Type.Optional(
    Type.String({
      maxLength: 100_000,
      description: 'comma-separated; default: all my subscriptions',
    }),
  ),
  since: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9-]{1,64}\\.[0-9]{1,20}$',
      description: 'a cursor `epoch.seq`, like Last-Event-ID',
    }),
  ),
  access_token: Type.Optional(
    Type.String({ maxLength: 200, description: 'for EventSource, which cannot set headers' }),
  ),
})

/** Where a stream starts; a cursor of this run that it has not reached yet was never given out. */
const fromCursor = (
  cursor: string | undefined,
  server: Pick<NarvaroServices, 'epoch' | 'engine'>,
): WatchFrom => {
  if (!cursor) return { kind: 'snapshot' }
  const [cursorEpoch, seq] = cursor.split('.')
  if (cursorEpoch !== server.epoch || seq === undefined || !/^\d+$/.test(seq))
    return { kind: 'resync' }
  if (Number(seq) > server.engine.cursor) return { kind: 'resync' }
  return { kind: 'resume', cursor: Number(seq) }
}

const lastEventId = (request: FastifyRequest): string | undefined => {
  const header = request.headers['last-event-id']
  return typeof header === 'string' && header.length <= 100 ? header : undefined
}

/** What the routes of this file share: the services, and the open streams to end at close. */
interface SseContext {
  readonly services: NarvaroServices
  readonly streams: Set<SseStream>
}

export const registerSseRoutes = (app: RestApp, services: NarvaroServices): void => {
  const streams = new Set<SseStream>()
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end()
  })
  registerEventsRoute(app, { services, streams })
  registerLiveWhoRoute(app, { services, streams })
}

/** A stream on the hijacked reply, kept among the open streams until it ends. */
const openStream = (
  context: SseContext,
  reply: FastifyReply,
  options: Omit<SseStreamOptions, 'onEnd'> & { readonly onEnd?: () => void },
): SseStream => {
  const stream = new SseStream(reply.hijack().raw, context.services, {
    ...options,
    onEnd: () => {
      context.streams.delete(stream)
      options.onEnd?.()
    },
  })
  context.streams.add(stream)
  context.services.metrics.connections.inc({ transport: 'sse' })
  return stream
}

/** The presentities a stream watches: those asked for, else all of my subscriptions (bounded). */
const addressesToWatch = async (
  services: NarvaroServices,
  user: User,
  requested: string | undefined,
): Promise<readonly string[]> => {
  const asked = requested
    ?.split(',')
    .map((a) => a.trim())
    .filter(Boolean)
  const addresses =
    asked ?? (await services.subscriptions.list(user)).map((s) => s.presentityAddress)
  const limit = services.settings.maxWatchesPerConnection
  if (addresses.length > limit)
    throw new NarvaroError('NRV_VALIDATION', `at most ${limit} presentities per stream`)
  return addresses
}

const registerEventsRoute = (app: RestApp, context: SseContext): void => {
  const { services } = context
  app.get(
    '/v1/events',
    {
      preHandler: authenticateRequest(services),
      schema: {
        tags: ['real time'],
        summary: 'Server-Sent Events of my watched presentities (docs/protocol.md)',
        querystring: EventsQuery,
        response: errorReplies,
      },
    },
    async (request, reply) => {
      const { user, token } = callerOf(request)
      const addresses = await addressesToWatch(services, user, request.query.addresses)
      const { subscribed, failed } = await services.subscriptions.subscribeMany(user, addresses)
      const from = fromCursor(lastEventId(request) ?? request.query.since, services)
      const watcher = { address: user.address, organizationId: user.organizationId }
      const stream = openStream(context, reply, { watcher, token })
      stream.sendDirect({
        type: 'welcome',
        protocol: 'narvaro.v1',
        session: randomUUID(),
        address: user.address,
        epoch: services.epoch,
        heartbeatMs: services.settings.heartbeatMs,
        subscribed,
        failed: failed.map(({ address, error }) => ({
          address,
          code: toErrorReply(error).body.code,
        })),
      })
      services.hub.attachUser(stream)
      for (const address of subscribed) services.hub.watch(stream, address, from)
    },
  )
}

const registerLiveWhoRoute = (app: RestApp, context: SseContext): void => {
  const { services } = context
  app.get(
    '/v1/availability/live',
    {
      preHandler: authenticateRequest(services),
      schema: {
        tags: ['real time', 'team availability'],
        summary:
          'A live "who is available" query as Server-Sent Events: `who` (the answer), then `who-change` per join or leave',
        querystring: Type.Intersect([
          WhoQuerySchema,
          Type.Object({ access_token: Type.Optional(Type.String({ maxLength: 200 })) }),
        ]),
        response: errorReplies,
      },
    },
    async (request, reply) => {
      const { access_token: _token, ...query } = request.query
      const { selection, filter } = whoQueryOf(query)
      const asker = callerParty(request)
      // Changes that come before the stream exists (between the answer and the hijack) wait here.
      const out: { stream?: SseStream; early: { body: string; key: string }[] } = { early: [] }
      const { id, text } = await services.liveWho.open(asker, selection, filter, (change) => {
        const { key, text } = whoChangeMessage(change)
        if (out.stream) out.stream.send(text, key, 0)
        else out.early.push({ body: text, key })
      })
      const token = callerOf(request).token
      const stream = openStream(context, reply, {
        watcher: asker,
        token,
        onEnd: () => services.liveWho.close(id),
      })
      out.stream = stream
      stream.sendDirect(whoAnswerMessage({ type: 'who', query: id }, text))
      for (const { body, key } of out.early) stream.send(body, key, 0)
    },
  )
}
