// Privacy calls that several commands share: my settings with the rules in force (my own, or the
// organization's defaults), saving them after a schema check, and group names; CLI layer.
import type { Static } from 'typebox'
import type {
  OrganizationPolicySchema,
  PrivacyReply,
} from '../../transports/rest/privacy-schemas.js'
import type { BodyOf, NarvaroClient } from '@narvaro/sdk'
import { dataOf } from '../shared/cli-context.js'
import { usageError } from '../shared/cli-error.js'
import { firstError, personalSettingsValidator } from '../shared/cli-schemas.js'
import type { GroupNames } from './privacy-format.js'
import type { PersonalSettings, Rule } from './privacy-rules.js'

export type Privacy = Static<typeof PrivacyReply>
export type OrganizationPolicy = Static<typeof OrganizationPolicySchema>

export interface Group {
  readonly id: string
  readonly name: string
  readonly createdAt: number
  readonly members: readonly string[]
}

/** My privacy, with the rules in force: `GET /v1/me/privacy` does not carry the default rules. */
export interface PrivacyInForce extends Privacy {
  readonly rules: readonly Rule[]
}

export const loadPrivacy = async (client: NarvaroClient): Promise<PrivacyInForce> => {
  const privacy = (await client.privacyRules()) as Privacy
  if (privacy.settings.rules !== undefined) return { ...privacy, rules: privacy.settings.rules }
  const policy = await loadPolicy(client)
  return { ...privacy, rules: policy.defaultRules }
}

/** Replaces my settings (`PUT /v1/me/privacy`), checked against the API's schema first. */
export const savePrivacy = async (
  client: NarvaroClient,
  settings: PersonalSettings,
): Promise<Privacy> => {
  const problem = firstError(personalSettingsValidator, settings)
  if (problem) throw usageError(`the new privacy settings are invalid: ${problem}`)
  const body = settings as BodyOf<'/v1/me/privacy', 'put'>
  return (await client.setPrivacyRules(body)) as Privacy
}

/** The organization's default rules and ceilings. */
export const loadPolicy = async (client: NarvaroClient): Promise<OrganizationPolicy> =>
  (await dataOf(client.api.GET('/v1/organization/policy'))) as OrganizationPolicy

export const listGroups = async (client: NarvaroClient): Promise<Group[]> => client.teams()

/** Names of the groups that `rules` mention (no call when they mention none). */
export const groupNamesOf = async (
  client: NarvaroClient,
  rules: readonly Rule[],
): Promise<GroupNames> => {
  if (!rules.some((rule) => (rule.conditions.groups?.length ?? 0) > 0)) return new Map()
  return new Map((await listGroups(client)).map((group) => [group.id, group.name]))
}
