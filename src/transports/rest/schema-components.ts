// The schemas the OpenAPI document names (`#/components/schemas/<Name>`): each is registered with
// Fastify once, and its copies in every route's body and replies become references; transport layer.
import type { FastifySchema } from 'fastify'
import {
  ActivitySchema,
  ContactMethodSchema,
  ErrorSchema,
  LocationSchema,
  NoteSchema,
  PresenceSchema,
  ViewContactMethodSchema,
  ViewSchema,
  WeeklyHoursSchema,
  WhoEntrySchema,
  WorkLocationSchema,
} from '../shared/presence-schemas.js'
import type { RestApp } from '../shared/rest-app-type.js'
import {
  GrantSchema,
  OrganizationPolicySchema,
  PermissionsSchema,
  PersonalSettingsSchema,
  RuleConditionsSchema,
  RuleSchema,
} from './privacy-schemas.js'
import { SubscriptionSchema, TokenSchema, UserSchema } from './rest-schemas.js'
import { CalendarImportSchema, CalendarSchema } from './calendar-schemas.js'
import { ContactListSchema, DirectoryPersonSchema } from './directory-schemas.js'
import { GatheringSchema } from './gather-routes.js'
import { GroupSchema } from './group-routes.js'
import { IntegrationSchema } from './integration-schemas.js'
import { ScheduleEntrySchema } from './schedule-schemas.js'
import { WebhookSchema } from './webhook-schemas.js'
import { SchemaReferrer, schemaNamesOf } from './schema-refs.js'

/**
 * The named schemas: the ones that many bodies and replies share. Each name is also a type of the
 * SDK's generated `components`, so a name is not changed lightly.
 */
export const schemaComponents = {
  ErrorReply: ErrorSchema,
  View: ViewSchema,
  Activity: ActivitySchema,
  Note: NoteSchema,
  Location: LocationSchema,
  WorkLocation: WorkLocationSchema,
  WeeklyHours: WeeklyHoursSchema,
  ContactMethod: ContactMethodSchema,
  ViewContactMethod: ViewContactMethodSchema,
  Presence: PresenceSchema,
  WhoEntry: WhoEntrySchema,
  User: UserSchema,
  Token: TokenSchema,
  Subscription: SubscriptionSchema,
  Grant: GrantSchema,
  RuleConditions: RuleConditionsSchema,
  Rule: RuleSchema,
  PersonalSettings: PersonalSettingsSchema,
  OrganizationPolicy: OrganizationPolicySchema,
  Permissions: PermissionsSchema,
  Group: GroupSchema,
  DirectoryPerson: DirectoryPersonSchema,
  ContactList: ContactListSchema,
  Gathering: GatheringSchema,
  Webhook: WebhookSchema,
  Integration: IntegrationSchema,
  ScheduleEntry: ScheduleEntrySchema,
  Calendar: CalendarSchema,
  CalendarImport: CalendarImportSchema,
} as const

/**
 * Registers the named schemas (before any route), and references them from every route's body and
 * replies. A reference validates and serializes exactly as the copy it replaces: it is the same
 * schema, compared as JSON. Parameters stay inline, since OpenAPI lists them one by one.
 */
export const registerSchemaComponents = (app: RestApp): void => {
  const referrer = new SchemaReferrer(schemaNamesOf(schemaComponents))
  for (const [name, schema] of Object.entries(schemaComponents)) {
    app.addSchema({ ...referrer.referInside(schema), $id: name })
  }
  app.addHook('onRoute', (route) => {
    if (route.schema) route.schema = referInRoute(route.schema, referrer)
  })
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** A body or reply: a schema, or `{ content: { <media type>: { schema } } }` per media type. */
const referInPayload = (payload: unknown, referrer: SchemaReferrer): unknown => {
  if (!isObject(payload) || !isObject(payload['content']) || 'type' in payload) {
    return referrer.refer(payload)
  }
  const content = Object.fromEntries(
    Object.entries(payload['content']).map(([type, media]) => [
      type,
      isObject(media) && 'schema' in media
        ? { ...media, schema: referrer.refer(media['schema']) }
        : media,
    ]),
  )
  return { ...payload, content }
}

const referInRoute = (schema: FastifySchema, referrer: SchemaReferrer): FastifySchema => {
  const result: Json = { ...schema }
  if (schema.body !== undefined) result['body'] = referInPayload(schema.body, referrer)
  if (isObject(schema.response)) {
    result['response'] = Object.fromEntries(
      Object.entries(schema.response).map(([status, reply]) => [
        status,
        referInPayload(reply, referrer),
      ]),
    )
  }
  return result
}

/** The error reply as an OpenAPI response: once in the document's components, for every status. */
const errorResponse = {
  description: (ErrorSchema as { description?: string }).description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorReply' } } },
}

/** `change` applied to each value of a map that is an object. */
const mapObjects = (map: unknown, change: (value: Json) => unknown): Json =>
  Object.fromEntries(
    Object.entries(isObject(map) ? map : {}).map(([key, value]) => [
      key,
      isObject(value) ? change(value) : value,
    ]),
  )

/**
 * The OpenAPI document with each error reply of each operation (eight statuses of every one) as a
 * reference to the one error response of its components; nothing else in it changes.
 */
export const referToErrorResponse = <D extends object>(document: D): D => {
  const text = JSON.stringify(errorResponse)
  const { paths, components } = document as Json
  const referred = mapObjects(paths, (item) =>
    mapObjects(item, (operation) =>
      isObject(operation['responses'])
        ? {
            ...operation,
            responses: mapObjects(operation['responses'], (response) =>
              JSON.stringify(response) === text
                ? { $ref: '#/components/responses/ErrorReply' }
                : response,
            ),
          }
        : operation,
    ),
  )
  const shared = isObject(components) ? components : {}
  const responses = isObject(shared['responses']) ? shared['responses'] : {}
  return {
    ...document,
    paths: referred,
    components: { ...shared, responses: { ...responses, ErrorReply: errorResponse } },
  } as D
}
