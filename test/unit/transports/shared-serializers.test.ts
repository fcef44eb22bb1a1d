// Response serializers are built once per process for the same schemas, and each one serializes
// exactly as Fastify's own would (extra fields dropped, shared schemas resolved).
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { sharedSerializers } from '../../../src/transports/rest/shared-serializers.js'

const note = {
  $id: 'Note',
  type: 'object',
  properties: { text: { type: 'string' } },
  required: ['text'],
}

/** A server with one route answering `body` under `response`, and what it sends. */
const answer = async (
  response: object,
  body: unknown,
): Promise<{ text: string; used: unknown }> => {
  let used: unknown
  const app = Fastify({
    schemaController: {
      compilersFactory: {
        buildSerializer: (externals, options) => {
          const compile = sharedSerializers(externals, options)
          return (route) => (used = compile(route))
        },
      },
    },
  })
  app.addSchema(note)
  app.get('/x', { schema: { response: { 200: response } } }, async () => body)
  const reply = await app.inject({ method: 'GET', url: '/x' })
  await app.close()
  return { text: reply.body, used }
}

describe('shared response serializers', () => {
  it('are built once for the same schemas and serialize as Fastify does', async () => {
    const response = {
      type: 'object',
      properties: { note: { $ref: 'Note#' }, n: { type: 'integer' } },
    }
    const body = { note: { text: 'in Lund', secret: 'dropped' }, n: 2, other: true }
    const first = await answer(response, body)
    const second = await answer(JSON.parse(JSON.stringify(response)) as object, body)
    expect(JSON.parse(first.text)).toEqual({ note: { text: 'in Lund' }, n: 2 })
    expect(second.text).toBe(first.text)
    expect(second.used).toBe(first.used)
  })

  it('build anew for another schema', async () => {
    const a = await answer(
      { type: 'object', properties: { n: { type: 'integer' } } },
      { n: 1, m: 2 },
    )
    const b = await answer(
      { type: 'object', properties: { m: { type: 'integer' } } },
      { n: 1, m: 2 },
    )
    expect(b.used).not.toBe(a.used)
    expect(JSON.parse(b.text)).toEqual({ m: 2 })
  })
})
