// REST routes of my personal contact lists (`/v1/me/contact-lists`): only their owner sees them;
// transport layer.
import { Type } from 'typebox'
import type { NarvaroServices } from '../../app/services.js'
import { readonlyArray } from '../shared/presence-schemas.js'
import { authenticateRequest, callerOf } from '../shared/authenticate.js'
import {
  ContactListMemberParam,
  ContactListMembersBody,
  ContactListParam,
  ContactListSchema,
  NewContactListBody,
} from './directory-schemas.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { errorReplies } from '../shared/error-replies.js'

const tags = ['contact lists']
const one = { 200: ContactListSchema, ...errorReplies }

export const registerContactListRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerListsRoutes(app, services)
  registerOneListRoutes(app, services)
  registerMemberRoutes(app, services)
  registerDeleteListRoute(app, services)
}

/** My contact lists, and a new one. */
const registerListsRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const lists = services.contactLists

  app.get(
    '/v1/me/contact-lists',
    {
      preHandler,
      schema: {
        tags,
        summary: 'My contact lists',
        response: { 200: readonlyArray(ContactListSchema), ...errorReplies },
      },
    },
    async (request) => lists.list(callerOf(request).user),
  )

  app.post(
    '/v1/me/contact-lists',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Create a contact list',
        body: NewContactListBody,
        response: { 201: ContactListSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const list = await lists.create(
        callerOf(request).user,
        request.body.name,
        request.body.members ?? [],
      )
      void reply.code(201)
      return list
    },
  )
}

/** One of my lists, and the replacement of its members. */
const registerOneListRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const lists = services.contactLists

  app.get(
    '/v1/me/contact-lists/:name',
    {
      preHandler,
      schema: { tags, summary: 'One of my contact lists', params: ContactListParam, response: one },
    },
    async (request) => lists.get(callerOf(request).user, request.params.name),
  )

  app.put(
    '/v1/me/contact-lists/:name',
    {
      preHandler,
      schema: {
        tags,
        summary: "Replace a list's members",
        params: ContactListParam,
        body: ContactListMembersBody,
        response: one,
      },
    },
    async (request) =>
      lists.replace(callerOf(request).user, request.params.name, request.body.members),
  )
}

/** Members added to or removed from a list. */
const registerMemberRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const lists = services.contactLists

  app.post(
    '/v1/me/contact-lists/:name/members',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Add members to a list',
        params: ContactListParam,
        body: ContactListMembersBody,
        response: one,
      },
    },
    async (request) => lists.add(callerOf(request).user, request.params.name, request.body.members),
  )

  app.delete(
    '/v1/me/contact-lists/:name/members/:address',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Remove a member from a list',
        params: ContactListMemberParam,
        response: one,
      },
    },
    async (request) =>
      lists.remove(callerOf(request).user, request.params.name, [request.params.address]),
  )
}

/** A list deleted. */
const registerDeleteListRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const lists = services.contactLists

  app.delete(
    '/v1/me/contact-lists/:name',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Delete a list',
        params: ContactListParam,
        response: { 204: Type.Null(), ...errorReplies },
      },
    },
    async (request, reply) => {
      await lists.delete(callerOf(request).user, request.params.name)
      void reply.code(204)
    },
  )
}
