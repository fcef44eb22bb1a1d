// Validation and normalization of organization policies and personal settings before they are stored;
// unit tests.
import { describe, expect, it } from 'vitest'
import { NarvaroError } from '../../../src/core/errors.js'
import type { OrganizationPolicy, PersonalRule } from '../../../src/core/policy/policy-model.js'
import { defaultOrganizationPolicy } from '../../../src/core/policy/policy-model.js'
import {
  validateOrganizationPolicy,
  validatePersonalSettings,
} from '../../../src/core/policy/validate-policy.js'
import { t0 } from '../../support/publications.js'

const rule = (id: string, rest: Partial<PersonalRule> = {}): PersonalRule => ({
  id,
  conditions: { everyone: true },
  subscription: 'allow',
  grant: {},
  ...rest,
})

const codeOf = (action: () => unknown): string | undefined => {
  try {
    action()
    return undefined
  } catch (error) {
    return error instanceof NarvaroError ? error.code : 'not a NarvaroError'
  }
}

describe('validatePersonalSettings', () => {
  it('normalizes addresses, except lists and domains of rules', () => {
    const settings = validatePersonalSettings({
      rules: [
        rule('r', {
          conditions: {
            addresses: [' Bob@ACME.example '],
            except: ['EVE@acme.example'],
            domains: [' Other.Example '],
          },
        }),
      ],
    })
    expect(settings.rules?.[0]?.conditions).toEqual({
      addresses: ['bob@acme.example'],
      except: ['eve@acme.example'],
      domains: ['other.example'],
    })
  })

  it('normalizes and deduplicates the watchers the person appears offline to', () => {
    expect(
      validatePersonalSettings({ appearOfflineTo: ['Bob@acme.example', 'bob@ACME.example'] }),
    ).toEqual({
      appearOfflineTo: ['bob@acme.example'],
    })
  })

  it('rejects a malformed address with NRV_ADDRESS_INVALID', () => {
    expect(codeOf(() => validatePersonalSettings({ appearOfflineTo: ['bob'] }))).toBe(
      'NRV_ADDRESS_INVALID',
    )
    expect(
      codeOf(() =>
        validatePersonalSettings({ rules: [rule('r', { conditions: { addresses: ['@x'] } })] }),
      ),
    ).toBe('NRV_ADDRESS_INVALID')
  })

  it('rejects a rule whose validity ends before it starts, or at the same moment', () => {
    const span = (validFrom: number, validUntil: number) =>
      codeOf(() =>
        validatePersonalSettings({
          rules: [rule('r', { conditions: { everyone: true, validFrom, validUntil } })],
        }),
      )
    expect(span(t0, t0)).toBe('NRV_VALIDATION')
    expect(span(t0 + 1, t0)).toBe('NRV_VALIDATION')
    expect(span(t0, t0 + 1)).toBeUndefined()
  })

  it('rejects two rules with the same id', () => {
    expect(codeOf(() => validatePersonalSettings({ rules: [rule('r'), rule('r')] }))).toBe(
      'NRV_VALIDATION',
    )
  })

  it('leaves settings without rules as they are', () => {
    expect(validatePersonalSettings({ shareOutsideWorkingHours: true })).toEqual({
      shareOutsideWorkingHours: true,
    })
  })
})

describe('validateOrganizationPolicy', () => {
  it('accepts the default policy as it is', () => {
    expect(validateOrganizationPolicy(defaultOrganizationPolicy)).toEqual(defaultOrganizationPolicy)
  })

  it.each([
    ['the personal scope', { contactScopes: ['personal' as const] }],
    ['single contact methods', { contactMethodIds: ['home-sms'] }],
  ])('rejects default rules that grant %s: only the person may', (_what, grant) => {
    const policy: OrganizationPolicy = {
      ...defaultOrganizationPolicy,
      defaultRules: [rule('r', { grant })],
    }
    expect(codeOf(() => validateOrganizationPolicy(policy))).toBe('NRV_VALIDATION')
  })
})
