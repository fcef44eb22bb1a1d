// The WebSocket endpoint `/v1/ws`: authentication at the upgrade, heartbeats, and close frames on
// shutdown; transport layer.
import fastifyWebsocket from '@fastify/websocket'
import type { NarvaroServices } from '../../app/services.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { authenticateRequest, callerOf } from '../shared/authenticate.js'
import { WsSession } from './ws-session.js'

export const registerWsRoutes = async (app: RestApp, services: NarvaroServices): Promise<void> => {
  const sessions = new Set<WsSession>()
  const heartbeat = setInterval(() => {
    for (const session of sessions) session.heartbeat()
  }, services.settings.heartbeatMs)
  heartbeat.unref()
  await app.register(fastifyWebsocket, {
    options: { maxPayload: services.settings.maxMessageBytes, perMessageDeflate: false },
    // A frame over the limit (ws closes it with 1009) or any other protocol error is the client's:
    // a warning without a stack, and ws's own close frame, not a terminated connection.
    errorHandler: (error, socket, request) => {
      const code = (error as { code?: unknown }).code
      if (typeof code === 'string' && code.startsWith('WS_ERR_')) {
        const limit = services.settings.maxMessageBytes
        request.log.warn({ code, ip: request.ip, limit }, error.message)
        return
      }
      request.log.error({ err: error }, 'WebSocket error')
      socket.terminate()
    },
    // On shutdown every client gets a close frame saying why (1001), so it reconnects and resumes.
    preClose: async () => {
      clearInterval(heartbeat)
      for (const session of sessions) session.close(1001, 'server shutting down')
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
      const session = new WsSession(socket, request.raw.socket, callerOf(request), services)
      sessions.add(session)
      services.metrics.connections.inc({ transport: 'websocket' })
      socket.on('close', () => sessions.delete(session))
      session.start()
    },
  )
}
