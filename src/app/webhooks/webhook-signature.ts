// Standard Webhooks signing (https://www.standardwebhooks.com/): secrets `whsec_<base64>`, and the
// `webhook-signature` header `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`; app layer.
import { createHmac, randomBytes } from 'node:crypto'

const secretPrefix = 'whsec_'

/** A new secret: 32 random bytes, `whsec_`-prefixed base64. */
export const newWebhookSecret = (): string => `${secretPrefix}${randomBytes(32).toString('base64')}`

/** The key bytes of a secret (the base64 after `whsec_`). */
const keyOf = (secret: string): Buffer =>
  Buffer.from(
    secret.startsWith(secretPrefix) ? secret.slice(secretPrefix.length) : secret,
    'base64',
  )

/** One `v1,<base64>` signature of a message with one secret. */
export const signatureOf = (args: {
  id: string
  timestamp: number
  body: string
  secret: string
}): string => {
  const { id, timestamp, body, secret } = args
  const mac = createHmac('sha256', keyOf(secret))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64')
  return `v1,${mac}`
}

/** The headers of one delivery; while a secret is being rotated, both sign (space-separated). */
export const webhookHeaders = (args: {
  id: string
  /** Seconds since the epoch. */
  timestamp: number
  body: string
  secrets: readonly string[]
}): Record<string, string> => ({
  'content-type': 'application/json',
  'webhook-id': args.id,
  'webhook-timestamp': String(args.timestamp),
  'webhook-signature': args.secrets.map((secret) => signatureOf({ ...args, secret })).join(' '),
})
