// The REST calls of the admin sections that the SDK's client has no named method for, through its
// typed `api` (a non-2xx reply throws there, so a reply here always has its body); web app.
import type { BodyOf, ReplyOf } from '@narvaro/sdk'
import { client, user } from '../../session.js'

export type Team = ReplyOf<'/v1/groups', 'get'>[number]
export type DirectoryEntry = ReplyOf<'/v1/directory', 'get'>['entries'][number]
export type OrganizationPolicy = ReplyOf<'/v1/organization/policy', 'get'>
export type Integration = ReplyOf<'/v1/integrations', 'get'>[number]
export type IssuedIntegration = ReplyOf<'/v1/integrations', 'post'>
export type Webhook = ReplyOf<'/v1/webhooks', 'get'>[number]
export type WebhookWithSecret = ReplyOf<'/v1/webhooks', 'post'>
export type Delivery = ReplyOf<'/v1/webhooks/{id}/deliveries', 'get'>[number]

const bodyOf = async <T>(answer: Promise<{ data?: T }>): Promise<T> => (await answer).data as T
const id = (value: string) => ({ params: { path: { id: value } } })

/**
 * An address as typed: `anna` is a colleague, `anna@` + the organization's domain (the server
 * accepts a bare name too, but its schema refuses one shorter than three characters).
 */
export const qualified = (typed: string): string => {
  const domain = user.value?.address.split('@')[1]
  return typed.includes('@') || !domain ? typed : `${typed}@${domain}`
}

/** The most members a team's page lists at once (the directory's largest page). */
export const teamPageSize = 500

export const adminApi = {
  removeTeam: (team: string) => bodyOf(client.api.DELETE('/v1/groups/{id}', id(team))),
  /** One page of a team's members with their titles and skills, by address. */
  teamMembers: (team: string) =>
    bodyOf(client.api.GET('/v1/directory', { params: { query: { team, limit: teamPageSize } } })),
  entry: (address: string) =>
    bodyOf(client.api.GET('/v1/users/{address}/directory', { params: { path: { address } } })),
  setEntry: (address: string, body: BodyOf<'/v1/users/{address}/directory', 'patch'>) =>
    bodyOf(
      client.api.PATCH('/v1/users/{address}/directory', { params: { path: { address } }, body }),
    ),
  policy: () => bodyOf(client.api.GET('/v1/organization/policy')),
  setPolicy: (body: BodyOf<'/v1/organization/policy', 'put'>) =>
    bodyOf(client.api.PUT('/v1/organization/policy', { body })),
  integrations: () => bodyOf(client.api.GET('/v1/integrations')),
  createIntegration: (body: BodyOf<'/v1/integrations', 'post'>) =>
    bodyOf(client.api.POST('/v1/integrations', { body })),
  rotateIntegration: (value: string) =>
    bodyOf(client.api.POST('/v1/integrations/{id}/rotate', id(value))),
  revokeIntegration: (value: string) =>
    bodyOf(client.api.DELETE('/v1/integrations/{id}', id(value))),
  webhooks: () => bodyOf(client.api.GET('/v1/webhooks')),
  createWebhook: (body: BodyOf<'/v1/webhooks', 'post'>) =>
    bodyOf(client.api.POST('/v1/webhooks', { body })),
  setWebhook: (value: string, body: BodyOf<'/v1/webhooks/{id}', 'patch'>) =>
    bodyOf(client.api.PATCH('/v1/webhooks/{id}', { ...id(value), body })),
  rotateWebhook: (value: string) =>
    bodyOf(client.api.POST('/v1/webhooks/{id}/rotate-secret', id(value))),
  removeWebhook: (value: string) => bodyOf(client.api.DELETE('/v1/webhooks/{id}', id(value))),
  deliveries: (value: string) =>
    bodyOf(
      client.api.GET('/v1/webhooks/{id}/deliveries', {
        params: { path: { id: value }, query: { limit: 100 } },
      }),
    ),
}
