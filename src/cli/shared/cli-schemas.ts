// TypeBox schemas of the CLI's own inputs (the saved credentials file) and compiled validators of
// the API's schemas that the CLI checks before anything is sent (STYLE.md, "Validation at the
// edge"); CLI layer.
import { Type, type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import {
  OrganizationPolicySchema,
  PersonalSettingsSchema,
} from '../../transports/rest/privacy-schemas.js'
import { ManualBody, NoteSchema } from '../../transports/rest/rest-schemas.js'
import { PublishMessage } from '../../transports/ws/ws-messages.js'

export const CredentialsSchema = Type.Object({
  server: Type.String({ minLength: 1 }),
  address: Type.String({ minLength: 3 }),
  token: Type.String({ minLength: 1 }),
  /** Lets `logout` revoke exactly this token. */
  tokenId: Type.Optional(Type.String({ minLength: 1 })),
})
export type Credentials = Static<typeof CredentialsSchema>

export const credentialsValidator = Compile(CredentialsSchema)
export const manualBodyValidator = Compile(ManualBody)
export const noteValidator = Compile(NoteSchema)
export const publishValidator = Compile(PublishMessage)
export const personalSettingsValidator = Compile(PersonalSettingsSchema)
export const organizationPolicyValidator = Compile(OrganizationPolicySchema)

/** The first schema error of `value`, as `path: message`, or undefined when it is valid. */
export const firstError = (
  validator: { Check(value: unknown): boolean; Errors(value: unknown): Iterable<unknown> },
  value: unknown,
): string | undefined => {
  if (validator.Check(value)) return undefined
  const [first] = [...validator.Errors(value)] as { instancePath?: string; message?: string }[]
  const where = first?.instancePath ? `${first.instancePath}: ` : ''
  return `${where}${first?.message ?? 'invalid'}`
}
