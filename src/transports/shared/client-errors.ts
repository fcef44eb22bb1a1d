// Replies to requests that never reach a route: HTTP the parser refuses (headers over the limit, a
// timeout, a malformed request line) and URLs the router cannot read; with NRV codes like every
// other error, never quoting the request; transport layer.
import type { Duplex } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorCode } from '../../core/errors.js'
import { errorTable } from '../../core/errors.js'
import { toErrorReply } from './error-reply.js'

const statusText: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
}

const parserCode = (error: NodeJS.ErrnoException): ErrorCode => {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'NRV_HEADERS_TOO_LARGE'
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'NRV_REQUEST_TIMEOUT'
  return 'NRV_BAD_REQUEST'
}

/** Fastify's `clientErrorHandler`: the parser failed, so the reply is written to the socket. */
export const replyToClientError = (error: NodeJS.ErrnoException, socket: Duplex): void => {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const code = parserCode(error)
  const { status, meaning } = errorTable[code]
  const body = JSON.stringify({ code, message: meaning })
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${statusText[status] ?? 'Bad Request'}\r\nContent-Length: ` +
        `${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy()
}

/** Fastify's `frameworkErrors`: a URL with bad percent-encoding or an over-long path parameter. */
export const replyToFrameworkError = (
  error: Error,
  _request: FastifyRequest,
  reply: FastifyReply,
): void => {
  const { status, body } = toErrorReply(error)
  void reply.code(status).send(body)
}
