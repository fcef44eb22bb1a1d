// REST routes of users (the organization's directory, admin management) and of my own profile; transport.
import { Type } from 'typebox'
import { readonlyArray } from '../shared/presence-schemas.js'
import type { NarvaroServices } from '../../app/services.js'
import { isValidTimeZone } from '../../core/model/hours.js'
import { NarvaroError } from '../../core/errors.js'
import { authenticateRequest, callerOf } from './authenticate.js'
import { PasswordBody, PasswordReply } from './directory-schemas.js'
import { userReply } from './reply-mappers.js'
import type { RestApp } from './rest-app.js'
import {
  AddressParam,
  ContactMethodsBody,
  ContactMethodsReply,
  NewUserBody,
  NewUserReply,
  ProfilePatch,
  UserSchema,
  errorReplies,
} from './rest-schemas.js'

const checkTimeZone = (timeZone: string | undefined): void => {
  if (timeZone !== undefined && !isValidTimeZone(timeZone)) {
    throw new NarvaroError('NRV_VALIDATION', `unknown time zone: ${timeZone}`)
  }
}

export const registerUserRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const tags = ['users']

  app.get('/v1/users', { preHandler, schema: { tags, summary: 'Users of my organization', response: { 200: readonlyArray(UserSchema), ...errorReplies } } }, async (request) =>
    (await services.users.list(callerOf(request).user)).map(userReply),
  )

  app.post(
    '/v1/users',
    { preHandler, schema: { tags, summary: 'Add a user (admin)', body: NewUserBody, response: { 201: NewUserReply, ...errorReplies } } },
    async (request, reply) => {
      checkTimeZone(request.body.timeZone)
      const { user, generatedPassword } = await services.users.add(callerOf(request).user, request.body)
      void reply.code(201)
      return { user: userReply(user), ...(generatedPassword ? { password: generatedPassword } : {}) }
    },
  )

  app.get('/v1/users/:address', { preHandler, schema: { tags, summary: 'One user of my organization', params: AddressParam, response: { 200: UserSchema, ...errorReplies } } }, async (request) =>
    userReply(await services.users.get(callerOf(request).user, request.params.address)),
  )

  app.delete(
    '/v1/users/:address',
    { preHandler, schema: { tags, summary: 'Remove a user (admin)', params: AddressParam, response: { 204: Type.Null(), ...errorReplies } } },
    async (request, reply) => {
      await services.users.remove(callerOf(request).user, request.params.address)
      void reply.code(204)
    },
  )

  app.put(
    '/v1/users/:address/password',
    { preHandler, schema: { tags, summary: "Set a user's password (admin); without one, a one-time password is generated", params: AddressParam, body: PasswordBody, response: { 200: PasswordReply, ...errorReplies } } },
    async (request) => {
      const { user, generatedPassword } = await services.users.setPassword(callerOf(request).user, request.params.address, request.body.password)
      return { address: user.address, ...(generatedPassword ? { password: generatedPassword } : {}) }
    },
  )

  app.get('/v1/me', { preHandler, schema: { tags, summary: 'My account', response: { 200: UserSchema, ...errorReplies } } }, async (request) =>
    userReply(callerOf(request).user),
  )

  app.patch(
    '/v1/me',
    { preHandler, schema: { tags, summary: 'Change my profile or password', body: ProfilePatch, response: { 200: UserSchema, ...errorReplies } } },
    async (request) => {
      const { user } = callerOf(request)
      const { password, ...profile } = request.body
      checkTimeZone(profile.timeZone)
      if (password !== undefined) await services.auth.changePassword(user, password)
      return userReply(await services.users.updateProfile(user, profile))
    },
  )

  app.get('/v1/me/contact-methods', { preHandler, schema: { tags, summary: 'My contact methods', response: { 200: ContactMethodsReply, ...errorReplies } } }, async (request) =>
    services.store.listContactMethods(callerOf(request).user.id),
  )

  app.put(
    '/v1/me/contact-methods',
    { preHandler, schema: { tags, summary: 'Replace my contact methods', body: ContactMethodsBody, response: { 200: ContactMethodsReply, ...errorReplies } } },
    async (request) => services.users.replaceContactMethods(callerOf(request).user, request.body),
  )
}
