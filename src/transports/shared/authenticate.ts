// Bearer-token authentication of every API call, and the per-token request rate limit; transport layer.
import type { FastifyRequest } from 'fastify'
import { NarvaroError } from '../../core/errors.js'
import type { Authenticated } from '../../app/accounts/index.js'
import type { NarvaroServices } from '../../app/services.js'

/** An integration as its token authenticates it. */
type Integration = Awaited<ReturnType<NarvaroServices['integrations']['authenticate']>>

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null
    /** The integration of a request to the events endpoint (an `nri_` token, not a user's). */
    integration: Integration | null
  }
}

/** A bearer token from an Authorization header, else from an `access_token` query value. */
export const bearerFrom = (
  authorization: string | undefined,
  accessToken: unknown,
): string | undefined => {
  if (authorization?.toLowerCase().startsWith('bearer ')) return authorization.slice(7).trim()
  return typeof accessToken === 'string' ? accessToken : undefined
}

/** The bearer token of a request: the Authorization header, or `access_token` where headers cannot be set. */
export const bearerOf = (request: FastifyRequest): string | undefined =>
  bearerFrom(
    request.headers.authorization,
    (request.query as Record<string, unknown> | undefined)?.['access_token'],
  )

/**
 * The route hook that authenticates the caller; only a route with `passwordChange` accepts the
 * token of a user whose password is one-time (others answer `NRV_PASSWORD_CHANGE_REQUIRED`).
 */
export const authenticateRequest =
  (services: NarvaroServices, options: { passwordChange?: boolean } = {}) =>
  async (request: FastifyRequest): Promise<void> => {
    request.auth = await authenticateBearer(services, bearerOf(request), options)
  }

/**
 * Authenticates a bearer token and takes one request from its limit: a REST call or a WebSocket
 * upgrade. Over the limit, `NRV_RATE_LIMITED` says when to come back (`retryAfterMs`).
 */
export const authenticateBearer = async (
  services: NarvaroServices,
  secret: string | undefined,
  options: { passwordChange?: boolean } = {},
): Promise<Authenticated> => {
  const auth = await services.auth.authenticate(secret, options)
  const waitMs = services.requestLimiter.take(auth.token.id)
  if (waitMs > 0)
    throw new NarvaroError('NRV_RATE_LIMITED', 'too many requests with this token', {
      details: { retryAfterMs: waitMs },
    })
  return auth
}

/** The authenticated caller; routes behind `authenticateRequest` always have one. */
export const callerOf = (request: FastifyRequest): Authenticated => {
  if (!request.auth)
    throw new NarvaroError('NRV_UNAUTHENTICATED', 'a valid bearer token is required')
  return request.auth
}

/** The authenticated caller as a party of the policy engine (address and organization). */
export const callerParty = (
  request: FastifyRequest,
): { address: string; organizationId: string } => {
  const { user } = callerOf(request)
  return { address: user.address, organizationId: user.organizationId }
}

/**
 * Authenticates an integration by its `nri_` token, from the Authorization header only (never the
 * query string: integration tokens live long and URLs end up in logs); rate-limited per integration.
 */
export const authenticateIntegrationRequest =
  (services: NarvaroServices) =>
  async (request: FastifyRequest): Promise<void> => {
    const secret = bearerFrom(request.headers.authorization, undefined)
    const integration = await services.integrations.authenticate(secret)
    const waitMs = services.requestLimiter.take(`integration:${integration.id}`)
    // The error reply says when to come back (Retry-After), as for every NRV_RATE_LIMITED.
    if (waitMs > 0)
      throw new NarvaroError('NRV_RATE_LIMITED', 'too many requests with this integration token', {
        details: { retryAfterMs: waitMs },
      })
    request.integration = integration
  }

/** The authenticated integration; routes behind `authenticateIntegrationRequest` always have one. */
export const integrationOf = (request: FastifyRequest): Integration => {
  if (!request.integration) {
    throw new NarvaroError('NRV_UNAUTHENTICATED', 'a valid integration token is required')
  }
  return request.integration
}
