// REST routes of my rules as an RFC 5025 pres-rules document (`application/auth-policy+xml`): export,
// and import that replaces my rules (my other privacy settings stay), checked against the same schema
// and by the same policy engine as JSON rules. Transport layer.
import { Type } from 'typebox'
import { Compile } from 'typebox/compile'
import type { NarvaroServices } from '../../app/services.js'
import { NarvaroError } from '../../core/errors.js'
import { authenticateRequest, callerOf } from '../shared/authenticate.js'
import { errorReplies } from '../shared/error-replies.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { PresRulesError, presRulesType, presRulesXml, rulesOfPresRules } from './pres-rules.js'
import { PersonalSettingsSchema, PrivacyReply } from './privacy-schemas.js'

const tags = ['privacy']
const path = '/v1/me/privacy/pres-rules'
const bodyLimit = 64 * 1024
const settingsCheck = Compile(PersonalSettingsSchema)
const PresRulesDocument = Type.String({ description: 'an RFC 5025 pres-rules document' })

export const registerPresRulesRoutes = (app: RestApp, services: NarvaroServices): void => {
  app.get(
    path,
    {
      preHandler: authenticateRequest(services),
      schema: {
        tags,
        summary: 'My rules as an RFC 5025 pres-rules document (application/auth-policy+xml)',
        response: {
          200: { content: { [presRulesType]: { schema: PresRulesDocument } } },
          ...errorReplies,
        },
      },
    },
    async (request, reply) => {
      const { settings } = services.privacy.privacyOf(callerOf(request).user)
      void reply.type(presRulesType)
      return presRulesXml(settings.rules ?? [])
    },
  )
  void app.register(async (scope) => registerImport(scope, services))
}

/** The import, in its own scope: the only one that reads `application/auth-policy+xml`. */
const registerImport = (scope: RestApp, services: NarvaroServices): void => {
  scope.addContentTypeParser(presRulesType, { parseAs: 'string', bodyLimit }, (_r, body, done) =>
    done(null, body),
  )
  scope.put(
    path,
    {
      preHandler: authenticateRequest(services),
      bodyLimit,
      schema: {
        tags,
        summary: 'Replace my rules by an RFC 5025 pres-rules document (my other settings stay)',
        body: { content: { [presRulesType]: { schema: PresRulesDocument } } },
        response: { 200: PrivacyReply, ...errorReplies },
      },
    },
    async (request) => {
      const user = callerOf(request).user
      const settings = {
        ...services.privacy.privacyOf(user).settings,
        rules: rulesOf(request.body),
      }
      if (!settingsCheck.Check(settings))
        throw new NarvaroError('NRV_VALIDATION', 'the document’s rules are not valid rules')
      const saved = await services.privacy.setPrivacy(user, settings)
      return { settings: saved, usingDefaultRules: saved.rules === undefined }
    },
  )
}

const rulesOf = (body: unknown) => {
  try {
    return rulesOfPresRules(String(body))
  } catch (error) {
    if (error instanceof PresRulesError) throw new NarvaroError('NRV_VALIDATION', error.message)
    throw error
  }
}
