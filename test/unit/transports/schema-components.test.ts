// The REST app's named schemas change nothing a route does: with them and without, the same bodies
// are refused with the same answer, and the same replies are written, byte for byte.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import fc from 'fast-check'
import Fastify from 'fastify'
import { Type } from 'typebox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorReplies } from '../../../src/transports/shared/error-replies.js'
import {
  OrganizationPolicySchema,
  PersonalSettingsSchema,
} from '../../../src/transports/rest/privacy-schemas.js'
import { restAjvOptions } from '../../../src/transports/rest/rest-app.js'
import {
  DevicePublicationBody,
  OwnPresenceReply,
  ProfilePatch,
} from '../../../src/transports/rest/rest-schemas.js'
import { ScheduleCreateBody } from '../../../src/transports/rest/schedule-schemas.js'
import { registerSchemaComponents } from '../../../src/transports/rest/schema-components.js'
import { computedViewArb, presenceArb } from '../../support/arbitraries.js'

const rule = {
  id: 'r1',
  conditions: { everyone: true, workingHours: 'inside', addresses: ['bob@acme.example'] },
  subscription: 'allow',
  grant: { activities: true, location: 'city', contactScopes: ['work'], contactMethodIds: ['m1'] },
}
const weekly = [{ days: ['mon', 'tue'], start: '08:00', end: '17:00' }]

/** A valid body of each route, and its schema: the inputs are these, changed in one place. */
const bodies = {
  '/settings': {
    schema: PersonalSettingsSchema,
    valid: {
      rules: [rule],
      appearOfflineTo: ['eve@acme.example'],
      priorityAccess: [{ addresses: ['bob@acme.example'], kinds: ['voice'] }],
    },
  },
  '/policy': {
    schema: OrganizationPolicySchema,
    valid: {
      defaultRules: [rule],
      colleagueCeiling: { subscription: 'allow', grant: { note: true } },
      externalCeiling: { subscription: 'confirm', grant: {} },
      offWorkOutsideHours: true,
    },
  },
  '/publication': {
    schema: DevicePublicationBody,
    valid: {
      availability: 'available',
      activities: [{ kind: 'in-a-call', text: 'standup', until: 5 }],
      note: { text: 'back soon', expiresAt: 9 },
      location: { city: 'Umeå', latitude: 63.8 },
      workLocation: { mode: 'office', site: 'HQ' },
      device: { name: 'laptop', kind: 'desktop', capabilities: ['im'] },
      ttlSeconds: 60,
    },
  },
  '/profile': { schema: ProfilePatch, valid: { displayName: 'Ann', workingHours: weekly } },
  '/schedule': {
    schema: ScheduleCreateBody,
    valid: { name: 'focus', set: { workLocation: { mode: 'remote' } }, when: { weekly } },
  },
} as const

const build = async (named: boolean) => {
  const app = Fastify({ ajv: restAjvOptions }).withTypeProvider<TypeBoxTypeProvider>()
  if (named) registerSchemaComponents(app)
  for (const [path, { schema }] of Object.entries(bodies)) {
    const route = { schema: { body: schema, response: { 204: Type.Null(), ...errorReplies } } }
    app.put(path, route, async (_request, reply) => reply.code(204).send(null))
  }
  app.post(
    '/echo',
    { schema: { response: { 200: OwnPresenceReply } } },
    (request) => request.body as never,
  )
  await app.ready()
  return app
}

type Path = readonly string[]

/** The path of every value in `value`, itself included. */
const pathsOf = (value: unknown, path: Path = []): Path[] => [
  path,
  ...(value !== null && typeof value === 'object'
    ? Object.entries(value).flatMap(([key, member]) => pathsOf(member, [...path, key]))
    : []),
]

const changedAt = (value: unknown, path: Path, change: (old: unknown) => unknown): unknown => {
  const [key, ...rest] = path
  if (key === undefined) return change(value)
  if (Array.isArray(value))
    return value.map((m, i) => (String(i) === key ? changedAt(m, rest, change) : m))
  const record = value as Record<string, unknown>
  return { ...record, [key]: changedAt(record[key], rest, change) }
}

/** `valid` with one value replaced, removed, or given a property more. */
const mutatedArb = (valid: unknown) =>
  fc
    .tuple(
      fc.constantFrom(...pathsOf(valid)),
      fc.oneof(
        fc.jsonValue({ maxDepth: 1 }),
        fc.string({ maxLength: 600 }),
        fc.constant(undefined),
      ),
      fc.boolean(),
    )
    .map(([path, replacement, add]) =>
      changedAt(valid, path, (old) =>
        add && old !== null && typeof old === 'object' && !Array.isArray(old)
          ? { ...old, extra: replacement }
          : replacement,
      ),
    )

/** `value` with an extra property on every object in it, at every depth. */
const salted = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(salted)
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value).map(([k, v]) => [k, salted(v)])
  return { ...Object.fromEntries(entries), secret: 'not in the schema' }
}

describe('the named schemas of the REST app', () => {
  let plain: Awaited<ReturnType<typeof build>>
  let named: Awaited<ReturnType<typeof build>>
  beforeAll(async () => {
    plain = await build(false)
    named = await build(true)
  })
  afterAll(async () => {
    await plain.close()
    await named.close()
  })

  const answers = async (method: 'PUT' | 'POST', url: string, payload: unknown) =>
    Promise.all(
      [plain, named].map(async (app) => {
        const reply = await app.inject({ method, url, payload: payload as object })
        return { status: reply.statusCode, body: reply.body }
      }),
    )

  it('take the valid bodies, through references', async () => {
    for (const [url, { valid }] of Object.entries(bodies)) {
      const [before, after] = await answers('PUT', url, valid)
      expect(before?.status, url).toBe(204)
      expect(after).toEqual(before)
    }
  })

  it('refuse exactly the bodies the inline schemas refuse, with the same answer', async () => {
    for (const [url, { valid }] of Object.entries(bodies)) {
      await fc.assert(
        fc.asyncProperty(mutatedArb(valid), async (body) => {
          const [before, after] = await answers('PUT', url, body)
          expect(after).toEqual(before)
        }),
      )
    }
  })

  it('write the same reply, never a property the schema lacks', async () => {
    await fc.assert(
      fc.asyncProperty(presenceArb(), computedViewArb, async (presence, view) => {
        const body = salted({ seq: 7, presence, view })
        const [before, after] = await answers('POST', '/echo', body)
        expect(before?.status).toBe(200)
        expect(after).toEqual(before)
        expect(after?.body).not.toContain('not in the schema')
      }),
      { numRuns: 50 },
    )
  })

  it('are registered by name, in the app that names them only', () => {
    expect(Object.keys(named.getSchemas())).toEqual(expect.arrayContaining(['View', 'Rule']))
    expect(Object.keys(plain.getSchemas())).toEqual([])
  })
})
