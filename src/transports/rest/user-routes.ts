// REST routes of users (the organization's directory, admin management) and of my own profile; transport.
import { Type } from 'typebox'
import { readonlyArray } from '../shared/presence-schemas.js'
import type { NarvaroServices } from '../../app/services.js'
import { authenticateRequest, callerOf } from '../shared/authenticate.js'
import {
  PasswordBody,
  PasswordChangeBody,
  PasswordChangeReply,
  PasswordReply,
} from './directory-schemas.js'
import { userReply } from './reply-mappers.js'
import type { RestApp } from '../shared/rest-app-type.js'
import {
  AddressParam,
  ContactMethodsBody,
  ContactMethodsReply,
  NewUserBody,
  NewUserReply,
  ProfilePatch,
  UserSchema,
} from './rest-schemas.js'
import { errorReplies } from '../shared/error-replies.js'

const tags = ['users']

export const registerUserRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerOrganizationUserRoutes(app, services)
  registerOneUserRoutes(app, services)
  registerPasswordResetRoute(app, services)
  registerOwnAccountRoutes(app, services)
  registerOwnPasswordRoute(app, services)
  registerContactMethodRoutes(app, services)
}

/** The users of my organization, and an admin adding one. */
const registerOrganizationUserRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.get(
    '/v1/users',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Users of my organization',
        response: { 200: readonlyArray(UserSchema), ...errorReplies },
      },
    },
    async (request) => (await services.users.list(callerOf(request).user)).map(userReply),
  )

  app.post(
    '/v1/users',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Add a user (admin)',
        body: NewUserBody,
        response: { 201: NewUserReply, ...errorReplies },
      },
    },
    async (request, reply) => {
      const { user, generatedPassword } = await services.users.add(
        callerOf(request).user,
        request.body,
      )
      void reply.code(201)
      return {
        user: userReply(user),
        ...(generatedPassword ? { password: generatedPassword } : {}),
      }
    },
  )
}

/** One user of my organization, and an admin removing them. */
const registerOneUserRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.get(
    '/v1/users/:address',
    {
      preHandler,
      schema: {
        tags,
        summary: 'One user of my organization',
        params: AddressParam,
        response: { 200: UserSchema, ...errorReplies },
      },
    },
    async (request) =>
      userReply(await services.users.get(callerOf(request).user, request.params.address)),
  )

  app.delete(
    '/v1/users/:address',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Remove a user (admin)',
        params: AddressParam,
        response: { 204: Type.Null(), ...errorReplies },
      },
    },
    async (request, reply) => {
      await services.users.remove(callerOf(request).user, request.params.address)
      void reply.code(204)
    },
  )
}

/** An admin resetting a user's password. */
const registerPasswordResetRoute = (app: RestApp, services: NarvaroServices): void => {
  app.put(
    '/v1/users/:address/password',
    {
      preHandler: authenticateRequest(services),
      schema: {
        tags,
        summary:
          "Reset a user's password (admin): a one-time password (the one given, else a generated one), and the user's tokens are revoked",
        params: AddressParam,
        body: PasswordBody,
        response: { 200: PasswordReply, ...errorReplies },
      },
    },
    async (request) => {
      const { user, generatedPassword } = await services.users.setPassword(
        callerOf(request).user,
        request.params.address,
        request.body.password,
      )
      return {
        address: user.address,
        ...(generatedPassword ? { password: generatedPassword } : {}),
      }
    },
  )
}

/** My account and profile. */
const registerOwnAccountRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.get(
    '/v1/me',
    {
      preHandler,
      schema: { tags, summary: 'My account', response: { 200: UserSchema, ...errorReplies } },
    },
    async (request) => userReply(callerOf(request).user),
  )

  app.patch(
    '/v1/me',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Change my profile (the password: PUT /v1/me/password)',
        body: ProfilePatch,
        response: { 200: UserSchema, ...errorReplies },
      },
    },
    async (request) => {
      const { user } = callerOf(request)
      return userReply(await services.users.updateProfile(user, request.body))
    },
  )
}

/** Changing my own password: the one route a token of a one-time password may use. */
const registerOwnPasswordRoute = (app: RestApp, services: NarvaroServices): void => {
  app.put(
    '/v1/me/password',
    {
      // The one route a token of a one-time password may use.
      preHandler: authenticateRequest(services, { passwordChange: true }),
      schema: {
        tags,
        summary: 'Change my password',
        description:
          'Needs the current password (a wrong one counts as a failed sign-in: 403, then 429). ' +
          'The new one: at least 12 characters, not a common password (400 NRV_PASSWORD_WEAK). ' +
          'With `revokeOtherTokens`, every other token of mine is revoked and its sessions end.',
        body: PasswordChangeBody,
        response: { 200: PasswordChangeReply, ...errorReplies },
      },
    },
    async (request) => {
      const auth = callerOf(request)
      const { revoked } = await services.auth.changeOwnPassword(auth, {
        ...request.body,
        clientIp: request.ip,
      })
      return { address: auth.user.address, revokedTokens: revoked.length }
    },
  )
}

/** My contact methods. */
const registerContactMethodRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)

  app.get(
    '/v1/me/contact-methods',
    {
      preHandler,
      schema: {
        tags,
        summary: 'My contact methods',
        response: { 200: ContactMethodsReply, ...errorReplies },
      },
    },
    async (request) => services.users.contactMethods(callerOf(request).user),
  )

  app.put(
    '/v1/me/contact-methods',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Replace my contact methods',
        body: ContactMethodsBody,
        response: { 200: ContactMethodsReply, ...errorReplies },
      },
    },
    async (request) => services.users.replaceContactMethods(callerOf(request).user, request.body),
  )
}
