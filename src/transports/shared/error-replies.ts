// The error replies every HTTP route declares (REST, and the SSE handshake): one `{ code, message }`
// schema per status the error table uses; transport layer.
import { ErrorSchema } from './presence-schemas.js'

export const errorReplies = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  413: ErrorSchema,
  429: ErrorSchema,
  503: ErrorSchema,
} as const
