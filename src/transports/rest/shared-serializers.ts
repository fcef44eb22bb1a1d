// Response serializers built once per process: fast-json-stringify builds a route's serializer from
// the route's schema and every shared schema, about 1.6 s for all routes at each server start. A
// process that starts servers again (the tests, hundreds of starts) reuses what an earlier start
// built for the same schemas; one start builds exactly what it did before. Transport layer.
import { createHash } from 'node:crypto'
import SerializerSelector from '@fastify/fast-json-stringify-compiler'
import type { SerializerFactory } from '@fastify/fast-json-stringify-compiler'

type Serializer = (doc: unknown) => string

/** Built serializers by the digest of (shared schemas, options, route schema, status, type). */
const built = new Map<string, Serializer>()

const digest = (value: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(value) ?? '')
    .digest('base64')

/**
 * Fastify's own serializer factory (`@fastify/fast-json-stringify-compiler`), each route's serializer
 * kept for the process under what it was built from. Fastify builds a server's routes in the same
 * order each time, so a kept serializer is the one this start would build.
 */
export const sharedSerializers: SerializerFactory = (externalSchemas, options) => {
  const build = SerializerSelector()(externalSchemas, options)
  const shared = digest([externalSchemas, options])
  return (route) => {
    const { schema, httpStatus } = route
    const contentType = (route as { contentType?: string }).contentType ?? ''
    const key = `${shared} ${digest([schema, httpStatus, contentType])}`
    let serializer = built.get(key)
    if (!serializer) built.set(key, (serializer = build(route)))
    return serializer
  }
}
