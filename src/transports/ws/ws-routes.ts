// The WebSocket endpoint `/v1/ws`: authentication at the upgrade, heartbeats, and close frames on
// shutdown; transport layer.
import fastifyWebsocket from '@fastify/websocket'
import { ServerResponse } from 'node:http'
import type { FastifyBaseLogger, FastifyRequest } from 'fastify'
import type { WebSocket } from 'ws'
import type { NarvaroServices } from '../../app/services.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { authenticateRequest, callerOf } from '../shared/authenticate.js'
import { StaggeredTicker } from '../shared/staggered-ticker.js'
import { WsSession } from './ws-session.js'

/**
 * What an error of a connection's socket does. A frame over `limit` (ws closes it with 1009) or any
 * other protocol error is the client's: a warning without a stack, and ws's own close frame, not a
 * terminated connection. Anything else is logged as an error, and the connection terminated.
 */
const socketErrors =
  (limit: number) =>
  (error: Error, socket: WebSocket, log: () => FastifyBaseLogger, ip: string): void => {
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string' && code.startsWith('WS_ERR_')) {
      log().warn({ code, ip, limit }, error.message)
      return
    }
    log().error({ err: error }, 'WebSocket error')
    socket.terminate()
  }

export const registerWsRoutes = async (app: RestApp, services: NarvaroServices): Promise<void> => {
  // Each session is pinged once a period, a slice of them at a time (a ping each for thousands of
  // sessions in one turn held the event loop for tens of milliseconds).
  const sessions = new StaggeredTicker<WsSession>(services.settings.heartbeatMs, (session) =>
    session.heartbeat(),
  )
  const onSocketError = socketErrors(services.settings.maxMessageBytes)
  await app.register(fastifyWebsocket, {
    options: { maxPayload: services.settings.maxMessageBytes, perMessageDeflate: false },
    errorHandler: (error, socket, request) =>
      onSocketError(error, socket, () => request.log, request.ip),
    // On shutdown every client gets a close frame saying why (1001), so it reconnects and resumes.
    preClose: async () => {
      sessions.stop()
      for (const session of [...sessions.members()]) session.close(1001, 'server shutting down')
      await new Promise<void>((resolve) => app.websocketServer.close(() => resolve()))
    },
  })

  app.get(
    '/v1/ws',
    {
      websocket: true,
      preValidation: authenticateRequest(services),
      schema: { tags: ['real time'], summary: 'WebSocket, protocol narvaro.v1 (docs/protocol.md)' },
    },
    (socket, request) => {
      const session = startSession(socket, request, { app, services, onSocketError })
      sessions.add(session)
      socket.on('close', () => sessions.delete(session))
    },
  )
}

/** A connection's session, once its upgrade was authenticated. */
const startSession = (
  socket: WebSocket,
  request: FastifyRequest,
  context: {
    app: RestApp
    services: NarvaroServices
    onSocketError: ReturnType<typeof socketErrors>
  },
): WsSession => {
  const { app, services, onSocketError } = context
  // The plugin's own error listener keeps the upgrade's request and reply (and their headers) for
  // as long as the connection lives; this one keeps only the request's id and address (its logger
  // is made again if an error comes).
  const { id: reqId, ip } = request
  socket.removeAllListeners('error')
  socket.on('error', (error) => onSocketError(error, socket, () => app.log.child({ reqId }), ip))
  // The upgrade went through the router with a stand-in response that stays attached to the TCP
  // socket (with its request) unless detached, as Node detaches a finished response.
  const raw = request.raw.socket
  const standIn = (raw as { _httpMessage?: unknown })._httpMessage
  if (standIn instanceof ServerResponse) standIn.detachSocket(raw)
  const session = new WsSession(socket, raw, callerOf(request), services)
  services.metrics.connections.inc({ transport: 'websocket' })
  session.start()
  return session
}
