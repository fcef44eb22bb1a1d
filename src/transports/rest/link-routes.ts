// REST route of a serverless peer's direct requests: a chat or a call to someone on the link goes
// to that person's own peer, which answers at once (accepted, busy, or unavailable with the note and
// another way); a server that is no peer answers 404. Transport layer.
import { Type } from 'typebox'
import type { NarvaroServices } from '../../app/services.js'
import { authenticateRequest } from '../shared/authenticate.js'
import { errorReplies } from '../shared/error-replies.js'
import { AddressSchema, ContactKindSchema } from '../shared/presence-schemas.js'
import type { RestApp } from '../shared/rest-app-type.js'

const DirectRequestBody = Type.Object(
  { address: AddressSchema, kind: ContactKindSchema },
  { additionalProperties: false },
)

const DirectAnswerReply = Type.Object({
  outcome: Type.Union([
    Type.Literal('accepted'),
    Type.Literal('busy'),
    Type.Literal('unavailable'),
  ]),
  text: Type.String(),
  note: Type.Optional(Type.String()),
  alternative: Type.Optional(Type.Object({ kind: ContactKindSchema, address: Type.String() })),
})

export const registerLinkRoutes = (app: RestApp, services: NarvaroServices): void => {
  app.post(
    '/v1/link/requests',
    {
      preHandler: authenticateRequest(services),
      schema: {
        tags: ['link'],
        summary:
          'Serverless peer: ask someone on the link directly for a chat or call (accepted, busy, unavailable)',
        body: DirectRequestBody,
        response: { 200: DirectAnswerReply, ...errorReplies },
      },
    },
    async (request) => services.directRequests.request(request.body.address, request.body.kind),
  )
}
