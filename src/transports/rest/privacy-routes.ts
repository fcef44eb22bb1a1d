// REST routes of privacy: my rules and settings, the preview, watcher info, the organization policy
// and the audit log; transport layer.
import { Type } from 'typebox'
import type { NarvaroServices } from '../../app/services.js'
import { readonlyArray } from '../shared/presence-schemas.js'
import { authenticateRequest, callerOf } from '../shared/authenticate.js'
import {
  AuditEventSchema,
  AuditQuery,
  OrganizationPolicySchema,
  PersonalSettingsSchema,
  PreviewQuery,
  PreviewReply,
  PrivacyReply,
  WatcherInfoSchema,
} from './privacy-schemas.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { AddressParam } from './rest-schemas.js'
import { errorReplies } from '../shared/error-replies.js'

const tags = ['privacy']
const none = { 204: Type.Null(), ...errorReplies }

export const registerPrivacyRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerOwnPrivacyRoutes(app, services)
  registerWatcherRoutes(app, services)
  registerAuditAndPolicyRoutes(app, services)
}

/** My rules and settings, and the preview of what a watcher sees. */
const registerOwnPrivacyRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerRulesRoutes(app, services)
  registerPreviewRoute(app, services)
}

/** My rules and settings. */
const registerRulesRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const { privacy } = services

  app.get(
    '/v1/me/privacy',
    {
      preHandler,
      schema: {
        tags,
        summary: 'My rules and privacy settings',
        response: { 200: PrivacyReply, ...errorReplies },
      },
    },
    async (request) => privacy.privacyOf(callerOf(request).user),
  )

  app.put(
    '/v1/me/privacy',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Replace my rules and privacy settings (effective at once)',
        body: PersonalSettingsSchema,
        response: { 200: PrivacyReply, ...errorReplies },
      },
    },
    async (request) => {
      const settings = await privacy.setPrivacy(callerOf(request).user, request.body)
      return { settings, usingDefaultRules: settings.rules === undefined }
    },
  )
}

/** What a watcher sees of me now. */
const registerPreviewRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const { privacy } = services

  app.get(
    '/v1/me/privacy/preview',
    {
      preHandler,
      schema: {
        tags,
        summary: 'What does this watcher see of me now?',
        querystring: PreviewQuery,
        response: { 200: PreviewReply, ...errorReplies },
      },
    },
    async (request) => privacy.preview(callerOf(request).user, request.query.watcher),
  )
}

/** Who watches me, and my answers to their requests. */
const registerWatcherRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerWatcherListRoutes(app, services)
  registerWatcherDecisionRoutes(app, services)
}

/** My watchers, and approving one. */
const registerWatcherListRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const { privacy } = services

  app.get(
    '/v1/me/watchers',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Who watches me and who asked (watcher info)',
        response: { 200: readonlyArray(WatcherInfoSchema), ...errorReplies },
      },
    },
    async (request) => privacy.watchers(callerOf(request).user),
  )

  app.post(
    '/v1/me/watchers/:address/approve',
    {
      preHandler,
      schema: { tags, summary: 'Approve a pending request', params: AddressParam, response: none },
    },
    async (request, reply) => {
      await privacy.approve(callerOf(request).user, request.params.address)
      void reply.code(204)
    },
  )
}

/** Denying and revoking a watcher. */
const registerWatcherDecisionRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const { privacy } = services

  app.post(
    '/v1/me/watchers/:address/deny',
    {
      preHandler,
      schema: { tags, summary: 'Deny a request', params: AddressParam, response: none },
    },
    async (request, reply) => {
      await privacy.deny(callerOf(request).user, request.params.address)
      void reply.code(204)
    },
  )

  app.delete(
    '/v1/me/watchers/:address',
    {
      preHandler,
      schema: { tags, summary: 'Revoke a watcher', params: AddressParam, response: none },
    },
    async (request, reply) => {
      await privacy.revoke(callerOf(request).user, request.params.address)
      void reply.code(204)
    },
  )
}

/** My disclosures, the organization policy and the audit log. */
const registerAuditAndPolicyRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerDisclosuresRoute(app, services)
  registerOrganizationPolicyRoutes(app, services)
  registerOrganizationAuditRoute(app, services)
}

/** Who received which of my details. */
const registerDisclosuresRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const { privacy } = services

  app.get(
    '/v1/me/disclosures',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Who received which of my contact methods or locations, when',
        querystring: AuditQuery,
        response: { 200: readonlyArray(AuditEventSchema), ...errorReplies },
      },
    },
    async (request) => privacy.disclosures(callerOf(request).user, request.query),
  )
}

/** The organization policy. */
const registerOrganizationPolicyRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const { privacy } = services

  app.get(
    '/v1/organization/policy',
    {
      preHandler,
      schema: {
        tags,
        summary: "My organization's policy (defaults and ceilings)",
        response: { 200: OrganizationPolicySchema, ...errorReplies },
      },
    },
    async (request) => privacy.organizationPolicy(callerOf(request).user),
  )

  app.put(
    '/v1/organization/policy',
    {
      preHandler,
      schema: {
        tags,
        summary: "Replace the organization's policy (admin; effective at once)",
        body: OrganizationPolicySchema,
        response: { 200: OrganizationPolicySchema, ...errorReplies },
      },
    },
    async (request) => privacy.setOrganizationPolicy(callerOf(request).user, request.body),
  )
}

/** The organization's audit of changes. */
const registerOrganizationAuditRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const { privacy } = services

  app.get(
    '/v1/organization/audit',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Policy, rule, subscription, account and admin changes (admin)',
        querystring: AuditQuery,
        response: { 200: readonlyArray(AuditEventSchema), ...errorReplies },
      },
    },
    async (request) => privacy.changes(callerOf(request).user, request.query),
  )
}
