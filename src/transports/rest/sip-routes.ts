// REST routes of SIP passwords: one's own, or (an admin) anyone's of the organization; the password
// is kept only as digest HA1s, and changing or removing it ends the SIP subscriptions made with the
// old one. Transport layer.
import { Type } from 'typebox'
import type { NarvaroServices } from '../../app/services.js'
import { authenticateRequest, callerOf } from '../shared/authenticate.js'
import { errorReplies } from '../shared/error-replies.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { AddressParam } from './rest-schemas.js'

const tags = ['sip']

const SipPasswordBody = Type.Object(
  {
    password: Type.String({
      minLength: 1,
      maxLength: 1024,
      description: 'at least 12 characters and not a common password (else 400 NRV_PASSWORD_WEAK)',
    }),
  },
  { additionalProperties: false },
)

const setDescription =
  'The password SIP phones sign in with (digest, RFC 8760: SHA-256 and MD5), user name the part ' +
  'of the address before @, realm the part after. Kept only as digest hashes; a new one ends ' +
  'every SIP subscription made with the old one.'

type Target = (request: { params: unknown }, own: string) => string

/** The two paths: mine, and (an admin) anyone's of the organization. */
const paths: readonly { path: string; who: string; params: object; target: Target }[] = [
  { path: '/v1/me/sip-password', who: 'my', params: {}, target: (_r, own) => own },
  {
    path: '/v1/users/:address/sip-password',
    who: "a user's (admin)",
    params: { params: AddressParam },
    target: (request) => (request.params as { address: string }).address,
  },
]

export const registerSipRoutes = (app: RestApp, services: NarvaroServices): void => {
  for (const route of paths) {
    registerSetRoute(app, services, route)
    registerRemoveRoute(app, services, route)
  }
}

const registerSetRoute = (
  app: RestApp,
  services: NarvaroServices,
  { path, who, params, target }: (typeof paths)[number],
): void => {
  app.put(
    path,
    {
      preHandler: authenticateRequest(services),
      schema: {
        tags,
        summary: `Set ${who} SIP password`,
        description: setDescription,
        ...params,
        body: SipPasswordBody,
        response: { 204: Type.Null(), ...errorReplies },
      },
    },
    async (request, reply) => {
      const { user } = callerOf(request)
      const body = request.body as { password: string }
      await services.sipCredentials.set(user, target(request, user.address), body.password)
      void reply.code(204)
    },
  )
}

const registerRemoveRoute = (
  app: RestApp,
  services: NarvaroServices,
  { path, who, params, target }: (typeof paths)[number],
): void => {
  app.delete(
    path,
    {
      preHandler: authenticateRequest(services),
      schema: {
        tags,
        summary: `Remove ${who} SIP password: its phones can no longer sign in`,
        ...params,
        response: { 204: Type.Null(), ...errorReplies },
      },
    },
    async (request, reply) => {
      const { user } = callerOf(request)
      await services.sipCredentials.remove(user, target(request, user.address))
      void reply.code(204)
    },
  )
}
