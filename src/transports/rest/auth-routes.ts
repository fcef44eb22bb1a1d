// REST routes of sign-in and API tokens; transport layer.
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { readonlyArray } from '../shared/presence-schemas.js'
import type { NarvaroServices } from '../../app/services.js'
import type { User } from '../../app/accounts/index.js'
import { authenticateRequest, callerOf } from '../shared/authenticate.js'
import { tokenReply, userReply } from './reply-mappers.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { IdParam, IssuedTokenSchema, LoginBody, NewTokenBody, TokenSchema } from './rest-schemas.js'
import { errorReplies } from '../shared/error-replies.js'

export const registerAuthRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerLoginRoute(app, services)
  registerTokenRoutes(app, services)
}

/** Sign-in with address and password, which issues the first token. */
const registerLoginRoute = (app: RestApp, services: NarvaroServices): void => {
  app.post(
    '/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with address and password; returns a bearer token',
        description:
          'Failed sign-ins are limited per address and per client address (429 NRV_RATE_LIMITED with ' +
          'Retry-After); 503 NRV_BUSY when too many passwords are being checked. With ' +
          '`mustChangePassword: true` the password was one-time: the token may only change it ' +
          '(PUT /v1/me/password).',
        body: LoginBody,
        response: { 200: IssuedTokenSchema, ...errorReplies },
      },
    },
    async (request) => {
      const { address, password, tokenName } = request.body
      // Throttled per address and per client address inside (docs/security.md).
      const issued = await services.auth.login({
        address,
        password,
        clientIp: request.ip,
        ...(tokenName ? { tokenName } : {}),
      })
      return {
        token: issued.secret,
        tokenInfo: tokenReply(issued.token),
        user: userReply(issued.user),
        mustChangePassword: issued.mustChangePassword,
      }
    },
  )
}

/** Another token for `user`, as the reply shows it (the secret only this once). */
const issueToken = async (
  services: NarvaroServices,
  user: User,
  body: Static<typeof NewTokenBody>,
) => {
  const ttlMs = body.ttlSeconds === undefined ? undefined : body.ttlSeconds * 1000
  const issued = await services.auth.issueToken(user, {
    name: body.name,
    ...(ttlMs ? { ttlMs } : {}),
  })
  return { token: issued.secret, tokenInfo: tokenReply(issued.token), user: userReply(user) }
}

/** My tokens: list, create and revoke. */
const registerTokenRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerListTokensRoute(app, services)
  registerCreateTokenRoute(app, services)
  registerRevokeTokenRoute(app, services)
}

/** The tokens I hold. */
const registerListTokensRoute = (app: RestApp, services: NarvaroServices): void => {
  app.get(
    '/v1/auth/tokens',
    {
      preHandler: authenticateRequest(services),
      schema: {
        tags: ['auth'],
        summary: 'List my tokens',
        response: { 200: readonlyArray(TokenSchema), ...errorReplies },
      },
    },
    async (request) => (await services.auth.listTokens(callerOf(request).user)).map(tokenReply),
  )
}

/** Another token for myself. */
const registerCreateTokenRoute = (app: RestApp, services: NarvaroServices): void => {
  app.post(
    '/v1/auth/tokens',
    {
      preHandler: authenticateRequest(services),
      schema: {
        tags: ['auth'],
        summary: 'Create another token for myself (for a device or a script)',
        body: NewTokenBody,
        response: { 201: IssuedTokenSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      void reply.code(201)
      return issueToken(services, callerOf(request).user, request.body)
    },
  )
}

/** Revoking one of my tokens. */
const registerRevokeTokenRoute = (app: RestApp, services: NarvaroServices): void => {
  app.delete(
    '/v1/auth/tokens/:id',
    {
      preHandler: authenticateRequest(services),
      schema: {
        tags: ['auth'],
        summary: 'Revoke one of my tokens',
        params: IdParam,
        response: { 204: Type.Null(), ...errorReplies },
      },
    },
    async (request, reply) => {
      const { user } = callerOf(request)
      await services.auth.revokeToken(user, request.params.id)
      void reply.code(204)
    },
  )
}
