// REST routes of groups and teams (admins manage; members read); transport layer.
import { Type } from 'typebox'
import type { NarvaroServices } from '../../app/services.js'
import { AddressSchema, EpochMsSchema, readonlyArray } from '../shared/presence-schemas.js'
import { authenticateRequest, callerOf } from '../shared/authenticate.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { IdParam } from './rest-schemas.js'
import { errorReplies } from '../shared/error-replies.js'

export const GroupSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: EpochMsSchema,
  members: readonlyArray(Type.String()),
})
const Members = readonlyArray(AddressSchema, { maxItems: 10_000 })
const NewGroupBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), members: Type.Optional(Members) },
  { additionalProperties: false },
)

const tags = ['groups']

export const registerGroupRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerListGroupsRoute(app, services)
  registerCreateGroupRoute(app, services)
  registerSetMembersRoute(app, services)
  registerDeleteGroupRoute(app, services)
}

/** The groups and teams of my organization. */
const registerListGroupsRoute = (app: RestApp, services: NarvaroServices): void => {
  app.get(
    '/v1/groups',
    {
      preHandler: authenticateRequest(services),
      schema: {
        tags,
        summary: "My organization's groups and teams",
        response: { 200: readonlyArray(GroupSchema), ...errorReplies },
      },
    },
    async (request) => services.groups.list(callerOf(request).user),
  )
}

/** Creating a group (admin). */
const registerCreateGroupRoute = (app: RestApp, services: NarvaroServices): void => {
  app.post(
    '/v1/groups',
    {
      preHandler: authenticateRequest(services),
      schema: {
        tags,
        summary: 'Create a group (admin)',
        body: NewGroupBody,
        response: { 201: GroupSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const group = await services.groups.create(callerOf(request).user, {
        name: request.body.name,
        members: request.body.members ?? [],
      })
      void reply.code(201)
      return group
    },
  )
}

/** Replacing a group's members (admin). */
const registerSetMembersRoute = (app: RestApp, services: NarvaroServices): void => {
  app.put(
    '/v1/groups/:id/members',
    {
      preHandler: authenticateRequest(services),
      schema: {
        tags,
        summary: "Replace a group's members (admin)",
        params: IdParam,
        body: Members,
        response: { 200: GroupSchema, ...errorReplies },
      },
    },
    async (request) =>
      services.groups.setMembers(callerOf(request).user, request.params.id, request.body),
  )
}

/** Deleting a group (admin). */
const registerDeleteGroupRoute = (app: RestApp, services: NarvaroServices): void => {
  app.delete(
    '/v1/groups/:id',
    {
      preHandler: authenticateRequest(services),
      schema: {
        tags,
        summary: 'Delete a group (admin)',
        params: IdParam,
        response: { 204: Type.Null(), ...errorReplies },
      },
    },
    async (request, reply) => {
      await services.groups.remove(callerOf(request).user, request.params.id)
      void reply.code(204)
    },
  )
}
