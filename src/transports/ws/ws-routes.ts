// The WebSocket endpoint `/v1/ws`: the HTTP upgrade is taken straight from the server (no route, no
// request and reply objects of the framework per connection), authenticated and rate limited like
// every REST call, refused with the same `{ code, message }` replies; then heartbeats, and close
// frames on shutdown; transport layer.
import { STATUS_CODES } from 'node:http'
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { WebSocketServer } from 'ws'
import type { WebSocket } from 'ws'
import { NarvaroError } from '../../core/errors.js'
import type { Authenticated } from '../../app/accounts/index.js'
import type { NarvaroServices } from '../../app/services.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { authenticateBearer, bearerFrom } from '../shared/authenticate.js'
import { retryAfterSeconds, toErrorReply } from '../shared/error-reply.js'
import { StaggeredTicker } from '../shared/staggered-ticker.js'
import { holdForTurn } from '../shared/write-for-turn.js'
import { WsSession, type WsSessionEnds } from './ws-session.js'

export const wsPath = '/v1/ws'

type Log = RestApp['log']

/**
 * What an error of a connection's socket does. A frame over `limit` (ws closes it with 1009) or any
 * other protocol error is the client's: a warning without a stack, and ws's own close frame, not a
 * terminated connection. Anything else is logged as an error, and the connection terminated.
 */
const onSocketError = (
  error: Error,
  socket: WebSocket,
  log: Log,
  ip: string | undefined,
  limit: number,
) => {
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && code.startsWith('WS_ERR_')) {
    log.warn({ code, ip, limit }, error.message)
    return
  }
  log.error({ err: error }, 'WebSocket error')
  socket.terminate()
}

/** Answers a refused upgrade as REST answers the error, and closes the connection. */
const refuse = (socket: Socket, error: unknown, log: Log): void => {
  const { status, body, unexpected } = toErrorReply(error)
  if (unexpected) log.error({ err: error }, 'unexpected error')
  const text = JSON.stringify(body)
  const seconds = retryAfterSeconds(body)
  const retry = seconds === undefined ? '' : `Retry-After: ${seconds}\r\n`
  if (!socket.writable) return void socket.destroy()
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n${retry}Connection: close\r\n\r\n${text}`,
  )
}

interface Endpoint extends WsSessionEnds {
  readonly app: RestApp
  readonly services: NarvaroServices
  readonly server: WebSocketServer
  readonly sessions: StaggeredTicker<WsSession>
  closing: boolean
}

/** A connection's session, once its upgrade was authenticated. */
const accept = (endpoint: Endpoint, ws: WebSocket, socket: Socket, auth: Authenticated): void => {
  const { services, sessions } = endpoint
  if (endpoint.closing) {
    ws.on('error', (error) => endpoint.socketError(error, ws, socket))
    return ws.close(1001, 'server shutting down')
  }
  // The session reports its socket's errors and its end to the endpoint (shared handlers, not
  // closures of each connection).
  const session = new WsSession(ws, socket, auth, services, endpoint)
  services.metrics.connections.inc({ transport: 'websocket' })
  session.start()
  sessions.add(session)
}

const upgrade = async (
  endpoint: Endpoint,
  request: IncomingMessage,
  socket: Socket,
  head: Buffer,
): Promise<void> => {
  const url = new URL(request.url ?? '/', 'http://upgrade.invalid')
  if (url.pathname !== wsPath)
    throw new NarvaroError('NRV_NOT_FOUND', 'WebSocket connections are made to /v1/ws')
  if (endpoint.closing) throw new NarvaroError('NRV_SHUTTING_DOWN', 'the server is shutting down')
  const secret = bearerFrom(request.headers.authorization, url.searchParams.get('access_token'))
  const auth = await authenticateBearer(endpoint.services, secret)
  // The handshake's response and the welcome leave together, in one write.
  holdForTurn(socket)
  endpoint.server.handleUpgrade(request, socket, head, (ws) => accept(endpoint, ws, socket, auth))
}

const endpointOf = (app: RestApp, services: NarvaroServices): Endpoint => {
  const endpoint: Endpoint = {
    app,
    services,
    server: new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: services.settings.maxMessageBytes,
      perMessageDeflate: false,
    }),
    // Each session is pinged once a period, a slice of them at a time (a ping each for thousands
    // of sessions in one turn held the event loop for tens of milliseconds).
    sessions: new StaggeredTicker<WsSession>(services.settings.heartbeatMs, (session) =>
      session.heartbeat(),
    ),
    closing: false,
    socketError: (error, ws, socket) =>
      onSocketError(error, ws, app.log, socket.remoteAddress, services.settings.maxMessageBytes),
    closed: (session) => endpoint.sessions.delete(session),
  }
  return endpoint
}

export const registerWsRoutes = (app: RestApp, services: NarvaroServices): void => {
  const endpoint = endpointOf(app, services)
  app.server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    // A connection that breaks while it is authenticated is the client's: nothing to log.
    socket.on('error', destroySocket)
    upgrade(endpoint, request, socket, head).catch((error: unknown) => {
      if (isAuthFailure(error))
        app.log.debug(
          { reason: (error as Error).message, ip: socket.remoteAddress },
          'authentication failed',
        )
      refuse(socket, error, app.log)
    })
  })
  // A plain GET (no upgrade) is told what the path is for.
  app.get(wsPath, { schema: { hide: true } }, async (_request, reply) => {
    void reply.header('upgrade', 'websocket')
    throw new NarvaroError('NRV_BAD_REQUEST', 'connect with a WebSocket upgrade (docs/protocol.md)')
  })
  // On shutdown every client gets a close frame saying why (1001), so it reconnects and resumes.
  app.addHook('preClose', async () => {
    endpoint.closing = true
    endpoint.sessions.stop()
    for (const session of [...endpoint.sessions.members()])
      session.close(1001, 'server shutting down')
    await new Promise<void>((resolve) => endpoint.server.close(() => resolve()))
  })
}

/** A connection that breaks while it is authenticated is destroyed (one function for every socket). */
function destroySocket(this: Socket): void {
  this.destroy()
}

const isAuthFailure = (error: unknown): boolean =>
  error instanceof NarvaroError && error.code === 'NRV_UNAUTHENTICATED'
