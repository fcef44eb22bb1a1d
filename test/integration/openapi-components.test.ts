// Integration: the served OpenAPI document states each shared schema once, as a named component
// (the view, the error reply, the rules...), and the server still refuses what those schemas refuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Harness } from '../support/server-harness.js'
import { addUsers, api, startHarness } from '../support/server-harness.js'

interface Operation {
  readonly responses: Record<string, Record<string, unknown>>
}
interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Operation>>
  readonly components: Record<string, Record<string, unknown>>
}

let h: Harness
let document: OpenApiDocument
let text: string

beforeAll(async () => {
  h = await startHarness()
  const served = await fetch(`${h.url}/openapi.json`)
  text = await served.text()
  document = JSON.parse(text) as OpenApiDocument
})
afterAll(() => h.stop())

const operations = () =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ name: `${method} ${path}`, operation })),
  )

/** The schema of an operation's JSON reply for `status`. */
const replySchema = (path: string, method: string, status: string) => {
  const content = document.paths[path]?.[method]?.responses[status]?.['content']
  return (content as Record<string, { schema: unknown }>)['application/json']?.schema
}

describe('the OpenAPI document', () => {
  it("gives every operation's error replies as the one error response", () => {
    const inline = operations().flatMap(({ name, operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400)
        .filter(([, response]) => response['$ref'] !== '#/components/responses/ErrorReply')
        .map(([status]) => `${name} ${status}`),
    )
    expect(operations().length).toBeGreaterThan(50)
    expect(inline).toEqual([])
    expect(JSON.stringify(document.components['responses']?.['ErrorReply'])).toContain(
      '#/components/schemas/ErrorReply',
    )
  })

  it('refers to the view, the user and the rules by name', () => {
    expect(replySchema('/v1/presence/{address}', 'get', '200')).toMatchObject({
      properties: { view: { $ref: '#/components/schemas/View' } },
    })
    expect(replySchema('/v1/me', 'get', '200')).toEqual({ $ref: '#/components/schemas/User' })
    expect(replySchema('/v1/me/privacy', 'get', '200')).toMatchObject({
      properties: { settings: { $ref: '#/components/schemas/PersonalSettings' } },
    })
    expect(document.components['schemas']?.['PersonalSettings']).toMatchObject({
      properties: { rules: { items: { $ref: '#/components/schemas/Rule' } } },
    })
  })

  it('names only components it has', () => {
    const refs = new Set(text.match(/"#\/components\/[^"]+"/g) ?? [])
    const missing = [...refs].filter((ref) => {
      const [, , kind, name] = JSON.parse(ref).split('/') as string[]
      return document.components[kind!]?.[name!] === undefined
    })
    expect(refs.size).toBeGreaterThan(10)
    expect(missing).toEqual([])
  })

  it('stays small: inline copies of the shared schemas made it a megabyte', () => {
    expect(text.length).toBeLessThan(150_000)
  })
})

describe('a body checked through named schemas', () => {
  it('is refused for a property a rule grant does not have, three references deep', async () => {
    const { tokens } = await addUsers(h.url, ['amy'])
    const rule = { id: 'r1', conditions: { everyone: true }, grant: { note: true } }
    const good = await api(h.url, {
      method: 'PUT',
      path: '/v1/me/privacy',
      token: tokens['amy']!,
      body: { rules: [rule] },
    })
    expect(good.status).toBe(200)
    const bad = await api(h.url, {
      method: 'PUT',
      path: '/v1/me/privacy',
      token: tokens['amy']!,
      body: { rules: [{ ...rule, grant: { note: true, everything: true } }] },
    })
    expect(bad.status).toBe(400)
    expect(bad.body['code']).toBe('NRV_VALIDATION')
  })
})
