// Types of the REST API's requests and replies, picked from the generated OpenAPI types so that they
// follow the server; SDK layer.
import type { paths } from './generated/openapi.js'

export type { paths }

type Json<C> = C extends { content: { 'application/json': infer B } } ? B : never

/** The JSON body an operation takes. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: infer R
}
  ? Json<NonNullable<R>>
  : never

/** The query parameters an operation takes. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  parameters: { query?: infer Q }
}
  ? NonNullable<Q>
  : never

type Success<R> = R extends { 200: infer S } ? S : R extends { 201: infer S } ? S : never

/** The JSON reply of an operation's success. */
export type ReplyOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R
}
  ? Json<Success<R>>
  : never
