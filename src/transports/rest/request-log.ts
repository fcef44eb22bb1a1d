// Debug-level logging of requests and of failed authentication: never a token, a password or a
// secret in a URL's query; transport layer.
import type { FastifyReply, FastifyRequest } from 'fastify'

const secretParameter = /([?&](?:access_token|token|secret|password)=)[^&#]*/gi

/** The request URL as logs may show it: query values that carry credentials are redacted. */
export const loggableUrl = (url: string): string => url.replace(secretParameter, '$1[redacted]')

/** One debug line per answered request: method, URL (redacted), status and time taken. */
export const logRequest = (request: FastifyRequest, reply: FastifyReply): void => {
  request.log.debug(
    {
      method: request.method,
      url: loggableUrl(request.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    },
    'request',
  )
}

/** One debug line per refused credential: why and from where, never the credential itself. */
export const logAuthFailure = (request: FastifyRequest, reason: string): void => {
  request.log.debug(
    { reason, ip: request.ip, method: request.method, url: loggableUrl(request.url) },
    'authentication failed',
  )
}
